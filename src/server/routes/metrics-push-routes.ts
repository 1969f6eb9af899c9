import type { FastifyInstance } from 'fastify';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import type { BuiltinSource } from '../../metrics/builtin/builtin-source.js';
import { DEFAULT_PUSH_MAX_BYTES, pushMetrics } from '../../metrics/builtin/push-metrics.js';
import type { Clock } from '../../time/clock.js';
import { identityOf } from '../auth/auth-hook.js';
import { authorize } from '../auth/identity.js';

/** `POST /api/v1/metrics`: Prometheus text or OpenMetrics into the built-in source (deploy scope). */
export function metricsPushRoutes(deps: { builtin: BuiltinSource; clock: Clock; config: ResolvedConfig }) {
  return (app: FastifyInstance): void => {
    void app.register(async (scope) => {
      // Text bodies only here, as raw buffers: the parser streams them and reports line numbers.
      scope.addContentTypeParser(
        ['text/plain', 'application/openmetrics-text'],
        { parseAs: 'buffer', bodyLimit: DEFAULT_PUSH_MAX_BYTES },
        (_req, body, done) => done(null, body),
      );
      scope.post(
        '/api/v1/metrics',
        {
          schema: {
            tags: ['metrics'],
            summary: 'Push samples (Prometheus text or OpenMetrics) into the built-in store',
          },
        },
        async (req) => {
          authorize(identityOf(req), 'deploy', null, deps.config);
          const result = await pushMetrics(
            deps.builtin,
            {
              body: (req.body as Buffer | undefined) ?? Buffer.alloc(0),
              ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
            },
            { now: deps.clock.now() },
          );
          return { ingested: result };
        },
      );
    });
  };
}
