import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import { flaggerPayloadSchema, type FlaggerPayload } from '../../integrations/flagger-payload.js';
import {
  argoServiceName,
  flaggerServiceName,
  type FlaggerGate,
  type IntegrationDeps,
  IntegrationService,
} from '../../integrations/integration-service.js';
import { bearerOf, identityOf } from '../auth/auth-hook.js';
import { authorize, type Identity } from '../auth/identity.js';
import { identify } from '../auth/token-service.js';
import type { AppPlugin } from '../build-app.js';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/, 'expected a Kubernetes-style name');

export const argoVerdictQuery = z
  .object({
    service: name.optional().describe('releasebot service; default the rollout name'),
    rollout: name,
    namespace: name.default('default'),
    revision: z.string().min(1).max(100).describe('canary pod template hash (podTemplateHashValue: Latest)'),
    weight: z.coerce.number().min(0).max(100).optional().describe('canary traffic percent of this step'),
    version: z.string().min(1).max(200).optional(),
    stable: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('stable pod template hash (podTemplateHashValue: Stable)'),
  })
  .strict();

/**
 * Routes for deploy systems that shift traffic themselves and ask releasebot for its judgement:
 * - `GET|POST /api/v1/integrations/argo/verdict` — Argo Rollouts' `web` metric provider (bearer token header);
 * - `POST /api/v1/integrations/flagger/confirm-traffic-increase`, `…/confirm-promotion`, `…/rollback`, `…/event` —
 *   Flagger's webhooks. Flagger cannot send headers, so these take the token from the webhook's `metadata.token`
 *   (or a bearer header).
 * Both need the `deploy` scope for the service: a verdict creates and moves the deploy it judges.
 */
export function integrationRoutes(deps: IntegrationDeps): AppPlugin {
  const service = new IntegrationService(deps);
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.route({
      method: ['GET', 'POST'],
      url: '/api/v1/integrations/argo/verdict',
      schema: {
        tags: ['integrations'],
        summary:
          "releasebot's verdict on an Argo Rollouts canary (web metric provider): pass, fail, no_data or inconclusive",
        querystring: argoVerdictQuery,
      },
      handler: async (req) => {
        const who = identityOf(req);
        authorize(who, 'deploy', argoServiceName(req.query), deps.config);
        return service.argoVerdict(req.query, who.name);
      },
    });

    const gate = (kind: FlaggerGate, summary: string) =>
      r.post(
        `/api/v1/integrations/flagger/${kind}`,
        {
          config: { auth: 'route' },
          schema: { tags: ['integrations'], summary, body: flaggerPayloadSchema },
        },
        async (req, reply) => {
          const who = await flaggerIdentity(req, req.body, deps);
          authorize(who, 'deploy', flaggerServiceName(req.body), deps.config);
          const { status, result } = await service.flaggerGate(kind, req.body, who.name);
          return reply.status(status).send(result);
        },
      );
    gate(
      'confirm-traffic-increase',
      'Flagger confirm-traffic-increase gate: 200 when releasebot passes the canary, 409 to hold',
    );
    gate(
      'confirm-promotion',
      'Flagger confirm-promotion gate: 200 when releasebot passes the canary, 409 to hold',
    );
    gate(
      'rollback',
      'Flagger rollback gate: 200 when releasebot fails the canary (Flagger rolls back), else 409',
    );

    r.post(
      '/api/v1/integrations/flagger/event',
      {
        config: { auth: 'route' },
        schema: {
          tags: ['integrations'],
          summary: "Flagger's canary events, recorded as the deploy's progress",
          body: flaggerPayloadSchema,
        },
      },
      async (req) => {
        const who = await flaggerIdentity(req, req.body, deps);
        authorize(who, 'deploy', flaggerServiceName(req.body), deps.config);
        return service.flaggerEvent(req.body, who.name);
      },
    );
  };
}

/** Flagger's webhooks carry no headers: the token comes from the webhook's `metadata.token`, or a bearer header. */
async function flaggerIdentity(
  req: FastifyRequest,
  body: FlaggerPayload,
  deps: IntegrationDeps,
): Promise<Identity> {
  const secret = bearerOf(req) ?? body.metadata?.token;
  if (!secret) {
    throw new ReleasebotError(
      'AUTH_MISSING',
      'Flagger webhooks need the token in the webhook metadata (`token:`) or a bearer header',
    );
  }
  return identify(deps.store, secret);
}
