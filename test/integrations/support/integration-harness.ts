import type { FastifyInstance } from 'fastify';
import type { DeployService } from '../../../src/pipeline/deploy-service.js';
import { EventBus } from '../../../src/events/event-bus.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { BuiltinSource } from '../../../src/metrics/builtin/builtin-source.js';
import { AnalysisRunner } from '../../../src/pipeline/analysis-runner.js';
import { integrationRoutes } from '../../../src/server/routes/integration-routes.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Scope, Store } from '../../../src/store/store.js';
import { ManualClock } from '../../../src/time/clock.js';
import { makeApi } from '../../support/api-harness.js';
import { configFrom } from '../../support/config.js';
import { T0 } from '../../support/engine-harness.js';

export const MIN = 60_000;

/**
 * `webapp`: judged on its error ratio (static bound 5%, rollback) and its p99 latency (static bound 1 s, pause),
 * stages mirroring the examples' weights. The checks are plain static bounds so a test states the verdict it
 * wants through the data it pushes.
 */
export const WEBAPP = `
services:
  webapp:
    interval: 1m
    deployer: { type: none }
    stages:
      - { name: canary, traffic: 5, bake: 10m }
      - { name: quarter, traffic: 25, bake: 10m }
      - { name: half, traffic: 50, bake: 10m }
      - { name: full, traffic: 100, bake: 10m }
    checks:
      - name: error-ratio
        query: 'http_error_ratio{service="webapp"}'
        kind: gauge
        direction: up
        action: rollback
        static: { max: 0.05 }
        zscore: false
        dynamic: false
        compare: false
        persistence: { breaches: 1, of: 1 }
      - name: latency-p99
        query: 'http_latency_p99_seconds{service="webapp"}'
        kind: gauge
        direction: up
        action: pause
        static: { max: 1 }
        zscore: false
        dynamic: false
        compare: false
        persistence: { breaches: 1, of: 1 }
`;

export interface IntegrationHarness {
  store: Store;
  source: BuiltinSource;
  clock: ManualClock;
  bus: EventBus;
  app: FastifyInstance;
  /** The operations people do (pause, rollback, …), as the API and Slack call them. */
  deploys: DeployService;
  token(scopes: Scope[], limits?: { services?: string[] }): Promise<string>;
  /** One sample a minute of each series, `fromMin`..`toMin` minutes around T0 (values by minute). */
  push(series: Record<string, (minute: number) => number>, fromMin: number, toMin: number): Promise<void>;
  close(): Promise<void>;
}

/** A real app with the integration routes, a PGlite store and the built-in metric source, on a manual clock. */
export async function makeIntegrationHarness(configYaml = WEBAPP): Promise<IntegrationHarness> {
  const config = configFrom(configYaml);
  const store = await openStore({ url: 'memory:' });
  const clock = new ManualClock(T0);
  const source = await BuiltinSource.open({ clock, logger: silentLogger, retention: Infinity });
  const analyzer = new AnalysisRunner({ sourceFor: () => source, store, logger: silentLogger });
  const bus = new EventBus();
  const api = await makeApi(store, config, {
    plugins: [integrationRoutes({ config, store, clock, bus, analyzer })],
  });
  return {
    store,
    source,
    clock,
    bus,
    app: api.app,
    deploys: api.deploys,
    token: (scopes, limits) => api.token(scopes, limits),
    async push(series, fromMin, toMin) {
      const lines: string[] = [];
      for (let m = fromMin; m <= toMin; m++) {
        for (const [name, value] of Object.entries(series)) lines.push(`${name} ${value(m)} ${T0 + m * MIN}`);
      }
      await source.ingestExposition(`${lines.join('\n')}\n`, { format: 'prometheus', now: T0 + toMin * MIN });
    },
    async close() {
      await api.close();
      await source.close();
      await store.close();
    },
  };
}
