import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { AppPlugin } from '../build-app.js';
import { dashboardApiRoutes } from './dashboard-api-routes.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { DASHBOARD_HEADERS } from './dashboard-security-headers.js';

/** The pages of the single-page app; each answers with the same index.html and the app routes in the browser. */
export const DASHBOARD_PAGES = ['/', '/deploys/:id', '/services/:name', '/safety'] as const;

export interface DashboardOptions {
  /** The built front end (index.html and assets/); defaults to the package's dist/web. */
  dir?: string;
}

/** dist/web of this package: three levels up from both src/server/routes (tsx) and dist/server/routes (built). */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../../dist/web/', import.meta.url));
}

/**
 * The dashboard: the built front end at `/` (pages) and `/assets/` (hashed files, cached for a year), with strict
 * security headers, plus the API endpoints it needs (whoami, deploy chart series, service history). Without a
 * build the pages answer DASHBOARD_NOT_BUILT and the API endpoints still work.
 */
export function dashboardRoutes(rt: DashboardDeps, opts: DashboardOptions = {}): AppPlugin {
  return async (app: FastifyInstance) => {
    dashboardApiRoutes(app, rt);
    const dir = opts.dir ?? defaultWebDir();
    const indexFile = join(dir, 'index.html');
    const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
    if (!index) rt.logger.warn({ dir }, 'dashboard not built: run `npm run build`; the API works without it');
    const etag = index ? `"${createHash('sha256').update(index).digest('base64url').slice(0, 27)}"` : '';

    await app.register(async (scope) => {
      scope.addHook('onSend', async (_req, reply, payload) => {
        for (const [k, v] of Object.entries(DASHBOARD_HEADERS)) reply.header(k, v);
        return payload;
      });
      if (index) {
        await scope.register(fastifyStatic, {
          root: join(dir, 'assets'),
          prefix: '/assets/',
          index: false,
          list: false,
          dotfiles: 'deny',
          // File names carry a content hash: a new build has new names, so a year-long immutable cache is safe.
          maxAge: '365d',
          immutable: true,
        });
      }
      for (const path of DASHBOARD_PAGES) {
        scope.get(path, { schema: { hide: true } }, async (req, reply) => {
          if (!index)
            throw new ReleasebotError('DASHBOARD_NOT_BUILT', `the dashboard is not built (no ${indexFile})`);
          // The page itself is revalidated every time: after a new build (and restart) browsers load it at once.
          void reply.header('cache-control', 'no-cache').header('etag', etag);
          if (req.headers['if-none-match'] === etag) return reply.status(304).send();
          return reply.type('text/html; charset=utf-8').send(index);
        });
      }
    });
  };
}
