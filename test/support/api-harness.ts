import type { FastifyInstance } from 'fastify';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { EventBus } from '../../src/events/event-bus.js';
import { silentLogger } from '../../src/logging/logger.js';
import { BotMetrics } from '../../src/observability/bot-metrics.js';
import { DeployService } from '../../src/pipeline/deploy-service.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import { buildApp, type AppPlugin } from '../../src/server/build-app.js';
import { EventTail } from '../../src/server/event-tail.js';
import type { Scope, Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { T0 } from './engine-harness.js';

export interface ApiHarness {
  app: FastifyInstance;
  clock: ManualClock;
  deploys: DeployService;
  tail: EventTail;
  token(scopes: Scope[], limits?: { services?: string[]; teams?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export async function makeApi(
  store: Store,
  config: ResolvedConfig,
  opts: { anonymousRead?: boolean; plugins?: AppPlugin[] } = {},
): Promise<ApiHarness> {
  const clock = new ManualClock(T0);
  const bus = new EventBus();
  const deploys = new DeployService({ store, config, clock, bus });
  const tail = new EventTail(store, bus, silentLogger, 50);
  await tail.start();
  const app = await buildApp({
    config,
    store,
    deploys,
    clock,
    bus,
    logger: silentLogger,
    tail,
    metrics: new BotMetrics(store, { defaultMetrics: false }),
    readiness: async () => ({ ok: true, checks: { store: 'ok' } }),
    ...opts,
  });
  let n = 0;
  return {
    app,
    clock,
    deploys,
    tail,
    async token(scopes, limits = {}) {
      return (await createApiToken(store, clock, { name: `t${n++}-${scopes.join('+')}`, scopes, ...limits }))
        .secret;
    },
    async close() {
      tail.stop();
      await app.close();
    },
  };
}
