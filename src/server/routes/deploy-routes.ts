import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DeployState } from '../../pipeline/deploy.js';
import { parseChange } from '../../pipeline/parse-change.js';
import type { ApiDeps } from '../api-deps.js';
import { authorize, mayTouchService } from '../auth/identity.js';
import { identityOf } from '../auth/auth-hook.js';
import { presentDeploy } from '../present-deploy.js';
import {
  createDeployBody,
  deployIdParams,
  deployOpParams,
  listDeploysQuery,
  reasonBody,
} from '../schemas.js';

export function deployRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, deploys } = deps;

  r.post(
    '/api/v1/deploys',
    {
      schema: {
        tags: ['deploys'],
        summary: 'Queue a deploy (idempotent on idempotencyKey or the Idempotency-Key header)',
        body: createDeployBody,
      },
    },
    async (req, reply) => {
      const who = identityOf(req);
      authorize(who, 'deploy', req.body.service, config);
      const header = req.headers['idempotency-key'];
      const changes = req.body.changes?.map((c, i) =>
        typeof c === 'string' ? parseChange(c, `changes[${i}]`) : c,
      );
      const { deploy, created } = await deploys.createDeploy({
        service: req.body.service,
        version: req.body.version,
        previousVersion: req.body.previousVersion ?? null,
        changes: changes ?? [],
        trigger: { kind: req.body.trigger?.kind ?? 'api', actor: req.body.trigger?.actor ?? who.name },
        idempotencyKey:
          req.body.idempotencyKey ?? (typeof header === 'string' && header ? header.slice(0, 200) : null),
      });
      return reply.status(created ? 201 : 200).send({ created, deploy: presentDeploy(deploy, config) });
    },
  );

  r.get(
    '/api/v1/deploys',
    { schema: { tags: ['deploys'], summary: 'List deploys, newest first', querystring: listDeploysQuery } },
    async (req) => {
      const who = identityOf(req);
      authorize(who, 'read', null, config);
      const q = req.query;
      const list = await deploys.listDeploys({
        ...(q.service ? { service: q.service } : {}),
        ...(q.team ? { team: q.team } : {}),
        ...(q.state ? { states: q.state.split(',') as DeployState[] } : {}),
        ...(q.before !== undefined ? { before: q.before } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        limit: q.limit,
      });
      return {
        deploys: list
          .filter((d) => mayTouchService(who, d.service, config))
          .map((d) => presentDeploy(d, config)),
      };
    },
  );

  r.get(
    '/api/v1/deploys/:id',
    {
      schema: {
        tags: ['deploys'],
        summary: 'A deploy with its history and evaluations',
        params: deployIdParams,
      },
    },
    async (req) => {
      const who = identityOf(req);
      const details = await deploys.details(req.params.id);
      authorize(who, 'read', details.deploy.service, config);
      return { ...details, deploy: presentDeploy(details.deploy, config) };
    },
  );

  r.post(
    '/api/v1/deploys/:id/:op',
    {
      schema: {
        tags: ['deploys'],
        summary:
          'pause, resume, rollback, abort, advance (end the current stage now) or promote (skip remaining stages)',
        params: deployOpParams,
        body: reasonBody,
      },
    },
    async (req) => {
      const who = identityOf(req);
      const d = await deploys.resolveTarget(req.params.id);
      authorize(who, 'deploy', d.service, config);
      const next = await deploys.operate(req.params.op, d.id, who.name, req.body?.reason);
      return { deploy: presentDeploy(next, config) };
    },
  );
}
