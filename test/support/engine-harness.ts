import { expect } from 'vitest';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { EventBus } from '../../src/events/event-bus.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Analyzer } from '../../src/pipeline/analyzer.js';
import { DeployEngine, type GateRunner } from '../../src/pipeline/deploy-engine.js';
import { DeployService } from '../../src/pipeline/deploy-service.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { RecordingDeployer } from './recording-deployer.js';
import { ScriptedAnalyzer } from './scripted-analyzer.js';

export const T0 = Date.UTC(2025, 2, 3, 10, 0, 0);

export interface Harness {
  store: Store;
  config: ResolvedConfig;
  clock: ManualClock;
  deployer: RecordingDeployer;
  analyzer: Analyzer;
  engine: DeployEngine;
  service: DeployService;
  bus: EventBus;
  gateResults: Array<{ ok: boolean; output: string }>;
  /** A fresh engine over the same store and deployer: what a restarted process would build. */
  restart(): DeployEngine;
  /** Ticks and moves the clock to the next due time until nothing is due (or `untilMs`). */
  settle(service: string, opts?: { untilMs?: number; maxSteps?: number }): Promise<void>;
}

export function makeHarness(
  store: Store,
  config: ResolvedConfig,
  opts: { analyzer?: Analyzer; deployer?: RecordingDeployer; start?: number } = {},
): Harness {
  const clock = new ManualClock(opts.start ?? T0);
  const deployer = opts.deployer ?? new RecordingDeployer();
  const analyzer = opts.analyzer ?? new ScriptedAnalyzer();
  const bus = new EventBus();
  const gateResults: Array<{ ok: boolean; output: string }> = [];
  const runGate: GateRunner = async () => ({
    ...(gateResults.shift() ?? { ok: true, output: 'smoke ok' }),
    durationMs: 1,
  });
  const build = () =>
    new DeployEngine({
      store,
      config,
      clock,
      logger: silentLogger,
      deployerFor: () => deployer,
      runGate,
      analyzer,
      bus,
    });
  const h: Harness = {
    store,
    config,
    clock,
    deployer,
    analyzer,
    engine: build(),
    service: new DeployService({ store, config, clock, bus }),
    bus,
    gateResults,
    restart() {
      h.engine = build();
      return h.engine;
    },
    async settle(service, o = {}) {
      for (let i = 0; i < (o.maxSteps ?? 10_000); i++) {
        const { nextDueAt: due } = await h.engine.tickService(service);
        expect(due).toBe(await h.engine.nextDueAt(service)); // what a tick reports agrees with a fresh read
        if (due === null) return;
        if (o.untilMs !== undefined && due > o.untilMs) {
          clock.set(Math.max(clock.now(), o.untilMs));
          await h.engine.tickService(service);
          return;
        }
        if (due > clock.now()) clock.set(due);
      }
      throw new Error('settle: too many steps');
    },
  };
  return h;
}

/** Four stages of 10 minutes, evaluation every minute. */
export const FOUR_STAGES = `
services:
  webapp:
    team: web
    interval: 1m
    stages:
      - { name: canary, traffic: 1, bake: 10m }
      - { name: ten, traffic: 10, bake: 10m }
      - { name: half, traffic: 50, bake: 10m }
      - { name: full, traffic: 100, bake: 10m }
    checks:
      - { name: error-ratio, query: 'http_error_ratio{service="webapp"}', action: rollback }
  api:
    team: web
    queue: latest
    stages:
      - { name: canary, traffic: 5, bake: 5m }
      - { name: full, traffic: 100, bake: 5m }
`;
