import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../api-deps.js';
import { identityOf } from '../auth/auth-hook.js';
import { authorize, mayTouchService } from '../auth/identity.js';
import type { EventTail } from '../event-tail.js';
import { eventsQuery } from '../schemas.js';

export function eventRoutes(app: FastifyInstance, deps: ApiDeps & { tail: EventTail }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, store } = deps;

  r.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The event log after a sequence number (polling)',
        querystring: eventsQuery,
      },
    },
    async (req) => {
      const who = identityOf(req);
      authorize(who, 'read', null, config);
      const events = await store.events.after(req.query.after, req.query.limit);
      return { events: events.filter((e) => !e.service || mayTouchService(who, e.service, config)) };
    },
  );

  r.get(
    '/api/v1/events/stream',
    { schema: { tags: ['events'], summary: 'Server-sent events: every new lifecycle event' } },
    (req, reply) => {
      const who = identityOf(req);
      authorize(who, 'read', null, config);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const unsubscribe = deps.tail.subscribe((e) => {
        if (e.service && !mayTouchService(who, e.service, config)) return;
        res.write(`id: ${e.seq}\nevent: ${e.event.type}\ndata: ${JSON.stringify(e)}\n\n`);
      });
      // Proxies close idle connections; a comment every 15 s keeps the stream open.
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.raw.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    },
  );

  r.get(
    '/api/v1/audit',
    { schema: { tags: ['events'], summary: 'The audit trail of mutating calls' } },
    async (req) => {
      authorize(identityOf(req), 'admin', null, config);
      const target = (req.query as { target?: string }).target;
      return {
        audit: await store.audit.list({ ...(target ? { target: String(target).slice(0, 200) } : {}) }),
      };
    },
  );
}
