import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { ApiDeps } from '../api-deps.js';
import { identityOf } from '../auth/auth-hook.js';
import { authorize } from '../auth/identity.js';
import { createApiToken } from '../auth/token-service.js';
import { createTokenBody, holdParams } from '../schemas.js';

export function tokenRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, store, clock } = deps;

  r.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create a token (admin); the secret is shown once',
        body: createTokenBody,
      },
    },
    async (req, reply) => {
      const who = identityOf(req);
      authorize(who, 'admin', null, config);
      const { token, secret } = await createApiToken(store, clock, req.body);
      await store.audit.record({
        at: clock.now(),
        actor: who.name,
        action: 'token.create',
        target: token.id,
        details: { name: token.name, scopes: token.scopes },
      });
      return reply.status(201).send({ token, secret });
    },
  );

  r.get(
    '/api/v1/tokens',
    { schema: { tags: ['tokens'], summary: 'List tokens (never their secrets)' } },
    async (req) => {
      authorize(identityOf(req), 'admin', null, config);
      return { tokens: await store.tokens.list() };
    },
  );

  r.delete(
    '/api/v1/tokens/:id',
    { schema: { tags: ['tokens'], summary: 'Revoke a token', params: holdParams } },
    async (req) => {
      const who = identityOf(req);
      authorize(who, 'admin', null, config);
      if (!(await store.tokens.revoke(req.params.id, clock.now()))) {
        throw new ReleasebotError('REQUEST_INVALID', `no active token with id "${req.params.id}"`);
      }
      await store.audit.record({
        at: clock.now(),
        actor: who.name,
        action: 'token.revoke',
        target: req.params.id,
        details: {},
      });
      return { revoked: req.params.id };
    },
  );
}
