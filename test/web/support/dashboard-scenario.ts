import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../../src/logging/logger.js';
import type { Deploy } from '../../../src/pipeline/deploy.js';
import { currentTraffic } from '../../../src/pipeline/deploy-ref.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import { createApiToken } from '../../../src/server/auth/token-service.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { ManualClock } from '../../../src/time/clock.js';
import { configFrom } from '../../support/config.js';
import { MINUTE, SimulatedService, type CanaryBehaviour } from './synthetic-metrics.js';

const DAY = 86_400_000;

/** The checks every service gets: the error ratio rolls back, p95 latency pauses. */
const checks = (service: string) => `
    checks:
      - name: error-ratio
        query: 'http_error_ratio{service="${service}",cohort="{{cohort}}"}'
        action: rollback
        static: { max: 0.05 }
      - name: latency-p95
        query: 'http_latency_p95_seconds{service="${service}",cohort="{{cohort}}"}'
        action: pause
        static: { max: 0.8 }`;
const traffic = (service: string) => `
    traffic:
      query: 'http_requests{service="${service}",cohort="all"}'
      canary: 'http_requests{service="${service}",cohort="canary"}'
      baseline: 'http_requests{service="${service}",cohort="baseline"}'`;

export const SCENARIO_CONFIG = configFrom(`
store: { url: 'memory:' }
sources: { builtin: { type: builtin } }
services:
  checkout:
    team: payments
    interval: 1m${traffic('checkout')}
    stages:
      - { name: canary, traffic: 10, bake: 10m }
      - { name: half, traffic: 50, bake: 10m }
      - { name: full, traffic: 100, bake: 10m }${checks('checkout')}
  search:
    team: discovery
    interval: 1m${traffic('search')}
    stages:
      - { name: canary, traffic: 10, bake: 2h }
      - { name: full, traffic: 100, bake: 10m }${checks('search')}
  ledger:
    team: payments
    interval: 1m
    stages:
      - { name: full, traffic: 100, bake: 5m }
`);

/** A version and a change title crafted to execute if the dashboard ever put user text into HTML. */
export const XSS_VERSION = '<img/src/onerror=window.__xss=1>';
export const XSS_TITLE = '<script>window.__xss=2</script><b>bold</b>';

export interface Scenario {
  rt: Runtime;
  store: Store;
  clock: ManualClock;
  ids: { promoted: string; rolledBack: string; running: string; queued: string };
  tokens: { deploy: string; read: string; checkoutOnly: string };
  /** A new queued deploy on the held service, as a CI job would create it. */
  createQueued(version: string): Promise<Deploy>;
  close(): Promise<void>;
}

/**
 * A real runtime on an in-memory PGlite store and the built-in metric source, filled with four weeks of synthetic
 * history, then driven on a simulated clock through: a healthy deploy of checkout (promoted), a bad one that the
 * real judge rolls back, a healthy search deploy left running in its first stage, and a queued deploy on a held
 * service whose version and change title are XSS attempts. Returns before start(): callers listen and start.
 */
export async function buildScenario(opts: {
  webDir: string;
  anonymousRead: boolean;
  plugins?: Array<(rt: Runtime) => (app: FastifyInstance) => void | Promise<void>>;
}): Promise<Scenario> {
  const config = SCENARIO_CONFIG;
  // Three hours before the wall clock, on a whole minute: ages in the pages read "3 h ago".
  const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * 3_600_000;
  const clock = new ManualClock(t0);
  const store = await openStore({ url: 'memory:' });
  const cwd = await mkdtemp(join(tmpdir(), 'rb-web-'));
  const rt = await createRuntime({
    config,
    env: {},
    cwd,
    logger: silentLogger,
    clock,
    store,
    anonymousRead: opts.anonymousRead,
    tickMs: 100,
    ...(opts.webDir ? { webDir: opts.webDir } : {}),
    ...(opts.plugins ? { plugins: opts.plugins } : {}),
  });
  const builtin = rt.builtin!;
  const sims = {
    checkout: new SimulatedService(
      { service: 'checkout', requests: 2000, errorRatio: 0.01, latency: 0.25 },
      7,
    ),
    search: new SimulatedService({ service: 'search', requests: 3000, errorRatio: 0.004, latency: 0.12 }, 11),
  };
  // History: every 5 minutes for four weeks (the dynamic thresholds), every minute for the last three days.
  for (const sim of Object.values(sims))
    await builtin.ingestExposition(sim.history(t0 - 29 * DAY, t0 - 3 * DAY, t0, 5 * MINUTE));

  const bad: Record<string, CanaryBehaviour | undefined> = {};
  /** One simulated minute: each service emits a sample for the traffic split of its deploy, then the engine ticks. */
  const minute = async () => {
    clock.advance(MINUTE);
    for (const [name, sim] of Object.entries(sims)) {
      const [active] = await store.deploys.list({
        service: name,
        states: ['running', 'paused', 'rolling_back'],
        limit: 1,
      });
      const share = active ? currentTraffic(active, config.services[name]) : 0;
      await builtin.ingestExposition(sim.sample(clock.now(), { ...bad[name], share }).join('\n') + '\n');
    }
    for (const name of Object.keys(config.services)) await rt.engine.tickService(name);
  };
  const runUntil = async (id: string, done: (d: Deploy) => boolean, maxMinutes: number): Promise<Deploy> => {
    for (let i = 0; i < maxMinutes; i++) {
      const d = (await store.deploys.get(id))!;
      if (done(d)) return d;
      await minute();
    }
    const d = (await store.deploys.get(id))!;
    throw new Error(
      `scenario: deploy ${d.service} ${d.version} still ${d.state} (${d.reason ?? ''}) after ${maxMinutes} minutes`,
    );
  };

  const ci = { kind: 'ci' as const, actor: 'ci-pipeline' };
  const promoted = await rt.deploys.createDeploy({
    service: 'checkout',
    version: 'v2.4.0',
    changes: [
      {
        id: '#801',
        title: 'Cache exchange rates',
        author: 'dana',
        url: 'https://git.example.com/shop/pull/801',
      },
    ],
    trigger: ci,
  });
  await runUntil(promoted.deploy.id, (d) => d.state !== 'running' && d.state !== 'queued', 45);

  // Start the bad deploy on a 5-minute boundary: the judge's dynamic-threshold grid then lines up with the service
  // history's, and the test can compare the two exactly.
  while ((clock.now() + MINUTE) % (5 * MINUTE) !== 0) await minute();
  bad.checkout = { share: 0, errorRatio: 0.022 };
  const rolledBack = await rt.deploys.createDeploy({
    service: 'checkout',
    version: 'v2.4.1',
    changes: [
      {
        id: '#812',
        title: 'Retry card payments on timeout',
        author: 'alice',
        url: 'https://git.example.com/shop/pull/812',
      },
      { id: '#815', title: 'Bump HTTP client', author: 'bob' },
    ],
    trigger: ci,
  });
  await runUntil(rolledBack.deploy.id, (d) => d.state === 'rolled_back' || d.state === 'promoted', 30);
  bad.checkout = undefined;

  const running = await rt.deploys.createDeploy({
    service: 'search',
    version: 'v7.1.0',
    changes: [{ id: '#77', title: 'Tune ranking weights', author: 'carol' }],
    trigger: { kind: 'user', actor: 'carol' },
  });
  await runUntil(running.deploy.id, (d) => d.state === 'running' && d.stageStartedAt !== null, 5);
  for (let i = 0; i < 6; i++) await minute();

  await rt.deploys.setHold({
    scope: 'service',
    target: 'ledger',
    reason: 'quarter-end freeze',
    actor: 'ops',
  });
  const createQueued = async (version: string) =>
    (
      await rt.deploys.createDeploy({
        service: 'ledger',
        version,
        changes: [{ id: '#9', title: XSS_TITLE, author: '<i>mallory</i>', url: 'javascript:window.__xss=3' }],
        trigger: ci,
      })
    ).deploy;
  const queued = await createQueued(XSS_VERSION);

  const token = async (name: string, scopes: Array<'read' | 'deploy' | 'admin'>, services?: string[]) =>
    (await createApiToken(store, clock, { name, scopes, ...(services ? { services } : {}) })).secret;
  const tokens = {
    deploy: await token('release-engineer', ['deploy']),
    read: await token('viewer', ['read']),
    checkoutOnly: await token('checkout-team', ['deploy'], ['checkout']),
  };

  return {
    rt,
    store,
    clock,
    ids: {
      promoted: promoted.deploy.id,
      rolledBack: rolledBack.deploy.id,
      running: running.deploy.id,
      queued: queued.id,
    },
    tokens,
    createQueued,
    async close() {
      await rt.close();
      await store.close();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
