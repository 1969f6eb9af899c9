import type { FastifyInstance } from 'fastify';
import type { BotMetrics } from '../../observability/bot-metrics.js';

export type Readiness = () => Promise<{ ok: boolean; checks: Record<string, string> }>;

export function healthRoutes(
  app: FastifyInstance,
  deps: { readiness: Readiness; metrics: BotMetrics },
): void {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness: the process answers' } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Readiness: the store answers and the scheduler runs' } },
    async (_req, reply) => {
      const r = await deps.readiness();
      return reply.status(r.ok ? 200 : 503).send({ status: r.ok ? 'ready' : 'not ready', checks: r.checks });
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'releasebot’s own metrics (Prometheus format)' } },
    async (_req, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
}
