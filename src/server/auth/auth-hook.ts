import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Store } from '../../store/store.js';
import { ANONYMOUS_READER, type Identity } from './identity.js';
import { identify } from './token-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
  interface FastifyContextConfig {
    /**
     * `route`: the route authenticates the request itself (callers that cannot send headers, such as Flagger's
     * webhooks, which carry the token in their body); the hook leaves `identity` null.
     */
    auth?: 'route';
  }
}

/** The bearer secret of a request, if any (`Authorization: Bearer rb_…`). */
export function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new ReleasebotError('AUTH_INVALID', 'the Authorization header must be `Bearer <token>`');
  return m[1];
}

/**
 * Authenticates requests under `prefixes`: a valid bearer token becomes `req.identity`. Without a token, reads may
 * be anonymous when the server allows it; everything else is refused with AUTH_MISSING.
 */
export function registerAuth(
  app: FastifyInstance,
  opts: { store: Store; prefixes: string[]; anonymousRead: boolean; localIdentity?: Identity },
): void {
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0];
    if (!opts.prefixes.some((p) => path.startsWith(p))) return;
    if (req.routeOptions.config?.auth === 'route') return;
    const secret = bearerOf(req);
    if (secret) {
      req.identity = await identify(opts.store, secret);
      return;
    }
    // The CLI on the local store (an app that never listens) acts as the store's owner.
    if (opts.localIdentity) {
      req.identity = opts.localIdentity;
      return;
    }
    if (opts.anonymousRead && (req.method === 'GET' || req.method === 'HEAD')) {
      req.identity = ANONYMOUS_READER;
      return;
    }
    throw new ReleasebotError('AUTH_MISSING', `${req.method} ${path} needs a bearer token`);
  });
}

/** The authenticated identity of a request under an authenticated prefix. */
export function identityOf(req: FastifyRequest): Identity {
  if (!req.identity) throw new ReleasebotError('AUTH_MISSING', 'this route needs a bearer token');
  return req.identity;
}
