import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { BotMetrics } from '../observability/bot-metrics.js';
import type { ApiDeps } from './api-deps.js';
import { bearerOf, registerAuth } from './auth/auth-hook.js';
import type { Identity } from './auth/identity.js';
import { hashToken } from './auth/token-secret.js';
import { answerFrameworkError, registerErrorHandler } from './error-handler.js';
import type { EventTail } from './event-tail.js';
import { registerJsonParser } from './json-body-parser.js';
import { deployRoutes } from './routes/deploy-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { healthRoutes, type Readiness } from './routes/health-routes.js';
import { serviceRoutes } from './routes/service-routes.js';
import { tokenRoutes } from './routes/token-routes.js';

export type AppPlugin = (app: FastifyInstance) => void | Promise<void>;

export interface AppOptions extends ApiDeps {
  tail: EventTail;
  readiness: Readiness;
  metrics: BotMetrics;
  /** Let GET requests without a token read (the demo, an internal dashboard). */
  anonymousRead?: boolean;
  /**
   * Requests without a token act as this identity. Only for an app that never listens: the CLI working on the
   * local store in-process.
   */
  localIdentity?: Identity;
  /** More routes (Slack, integrations, dashboard, metrics push), registered after the core API. */
  plugins?: AppPlugin[];
}

/** The Fastify app with every route, built apart from listen() so tests use inject(). */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  // pino's Logger is Fastify's base logger; the cast only bridges their generic parameters.
  const app = Fastify({
    loggerInstance: o.logger,
    bodyLimit: o.config.server.bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    // Our own parser limits depth; keep Fastify from rejecting unusual but harmless URLs.
    routerOptions: { maxParamLength: 500 },
    frameworkErrors: answerFrameworkError,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerJsonParser(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'releasebot',
        version: '1',
        description: 'Deploy-safety bot API. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(rateLimit, {
    // Not per route: route hooks run after the app's, so requests the auth hook refuses (made-up or missing
    // tokens) would never be counted. The limiter is added below as the first app-level hook instead.
    global: false,
    max: o.config.server.rateLimit,
    timeWindow: 60_000,
    // Per token (hashed), else per client address. Only a token that exists gets its own allowance: made-up
    // tokens count against the caller's address, or each one would start a fresh allowance (and a store lookup).
    keyGenerator: async (req) => {
      let secret: string | null;
      try {
        secret = bearerOf(req);
      } catch {
        return `ip:${req.ip}`;
      }
      if (!secret) return `ip:${req.ip}`;
      const hash = hashToken(secret);
      const known = await o.store.tokens.findByHash(hash).catch(() => null);
      return known ? `t:${hash.slice(0, 32)}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      message: `rate limit of ${ctx.max} requests a minute exceeded; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });

  app.addHook('onRequest', app.rateLimit());
  registerAuth(app, {
    store: o.store,
    prefixes: ['/api/'],
    anonymousRead: o.anonymousRead ?? false,
    ...(o.localIdentity ? { localIdentity: o.localIdentity } : {}),
  });
  deployRoutes(app, o);
  serviceRoutes(app, o);
  tokenRoutes(app, o);
  eventRoutes(app, o);
  healthRoutes(app, o);
  for (const plugin of o.plugins ?? []) await plugin(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
