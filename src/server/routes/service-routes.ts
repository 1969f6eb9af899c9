import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { ApiDeps } from '../api-deps.js';
import { identityOf } from '../auth/auth-hook.js';
import { authorize, mayTouchService } from '../auth/identity.js';
import { presentDeploy } from '../present-deploy.js';
import { createHoldBody, holdParams, serviceParams } from '../schemas.js';

export function serviceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, deploys } = deps;

  const present = (s: Awaited<ReturnType<typeof deploys.listServices>>[number]) => ({
    ...s,
    active: s.active ? presentDeploy(s.active, config) : null,
  });

  r.get(
    '/api/v1/services',
    { schema: { tags: ['services'], summary: 'Services with their current state' } },
    async (req) => {
      const who = identityOf(req);
      authorize(who, 'read', null, config);
      const list = await deploys.listServices();
      return { services: list.filter((s) => mayTouchService(who, s.name, config)).map(present) };
    },
  );

  r.get(
    '/api/v1/services/:name',
    {
      schema: {
        tags: ['services'],
        summary: 'One service: configuration, state and recent deploys',
        params: serviceParams,
      },
    },
    async (req) => {
      const who = identityOf(req);
      const svc = deploys.service(req.params.name);
      authorize(who, 'read', svc.name, config);
      const summary = (await deploys.listServices()).find((s) => s.name === svc.name)!;
      const recent = await deploys.listDeploys({ service: svc.name, limit: 50 });
      return { service: present(summary), config: svc, deploys: recent.map((d) => presentDeploy(d, config)) };
    },
  );

  r.get('/api/v1/holds', { schema: { tags: ['holds'], summary: 'Active holds' } }, async (req) => {
    authorize(identityOf(req), 'read', null, config);
    return { holds: await deploys.listHolds() };
  });

  r.post(
    '/api/v1/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Hold deploys of a service, a team or everything',
        body: createHoldBody,
      },
    },
    async (req, reply) => {
      const who = identityOf(req);
      const b = req.body;
      if (b.scope === 'all') authorize(who, 'admin', null, config);
      else if (b.scope === 'service') authorize(who, 'deploy', b.target ?? null, config);
      else {
        authorize(who, 'deploy', null, config);
        if ((who.services.length || who.teams.length) && !who.teams.includes(b.target ?? '')) {
          throw new ReleasebotError('AUTH_FORBIDDEN', `token "${who.name}" may not hold team "${b.target}"`);
        }
      }
      const hold = await deploys.setHold({
        scope: b.scope,
        target: b.target ?? null,
        reason: b.reason,
        actor: who.name,
      });
      return reply.status(201).send({ hold });
    },
  );

  r.delete(
    '/api/v1/holds/:id',
    { schema: { tags: ['holds'], summary: 'Release a hold', params: holdParams } },
    async (req) => {
      const who = identityOf(req);
      const hold = await deps.store.holds.get(req.params.id);
      if (!hold) throw new ReleasebotError('HOLD_UNKNOWN', `no hold with id "${req.params.id}"`);
      if (hold.scope === 'all') authorize(who, 'admin', null, config);
      else authorize(who, 'deploy', hold.scope === 'service' ? hold.target : null, config);
      return { hold: await deploys.releaseHold(hold.id, who.name) };
    },
  );
}
