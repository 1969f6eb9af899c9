// Dashboard load figures: 30 days of deploys for 50 services in the store, then the time each page's API calls take
// and, when Chromium is here, the time until each page has drawn its data in a real browser. Not a test: prints
// numbers (the issue's target is under a second per page), asserts nothing.
//   npx tsx bench/dashboard-load.ts [--services 50] [--days 30] [--per-day 6] [--runs 5] [--store memory:|postgres://…]
// Builds the front end into a temporary directory first (scripts/build-web.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { CheckResult } from '../src/analysis/verdict.js';
import type { LifecycleEvent } from '../src/events/lifecycle-event.js';
import { silentLogger } from '../src/logging/logger.js';
import type { Deploy } from '../src/pipeline/deploy.js';
import { deployRef } from '../src/pipeline/deploy-ref.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { dashboardRoutes } from '../src/server/routes/dashboard-routes.js';
import { openStore } from '../src/store/open-store.js';
import { ManualClock } from '../src/time/clock.js';
import { configFrom } from '../test/support/config.js';
import { browser, launchChromium } from '../test/web/support/chromium.js';
import { MINUTE, SimulatedService } from '../test/web/support/synthetic-metrics.js';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '50' },
    days: { type: 'string', default: '30' },
    'per-day': { type: 'string', default: '6' },
    runs: { type: 'string', default: '5' },
    store: { type: 'string', default: 'memory:' },
  },
});
const SERVICES = Number(args.services);
const DAYS = Number(args.days);
const PER_DAY = Number(args['per-day']);
const RUNS = Number(args.runs);
const DAY = 86_400_000;

const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
const config = configFrom(`
store: { url: 'memory:' }
sources: { builtin: { type: builtin } }
services:
${names
  .map(
    (n, i) => `  ${n}:
    team: team-${Math.floor(i / 5)}
    interval: 1m
    traffic: { query: 'http_requests{service="${n}",cohort="all"}', canary: 'http_requests{service="${n}",cohort="canary"}', baseline: 'http_requests{service="${n}",cohort="baseline"}' }
    stages: [{ name: canary, traffic: 10, bake: 10m }, { name: half, traffic: 50, bake: 10m }, { name: full, traffic: 100, bake: 10m }]
    checks:
      - { name: error-ratio, query: 'http_error_ratio{service="${n}",cohort="{{cohort}}"}', action: rollback }
      - { name: latency-p95, query: 'http_latency_p95_seconds{service="${n}",cohort="{{cohort}}"}', action: pause }`,
  )
  .join('\n')}
`);

const now = Math.floor(Date.now() / MINUTE) * MINUTE;
const clock = new ManualClock(now - DAYS * DAY);
const store = await openStore({ url: args.store! });
const webDir = await mkdtemp(join(tmpdir(), 'rb-bench-web-'));
execFileSync(process.execPath, ['scripts/build-web.mjs', '--outdir', webDir, '--quiet']);
const rt = await createRuntime({
  config,
  env: {},
  cwd: webDir,
  logger: silentLogger,
  clock,
  store,
  anonymousRead: true,
  plugins: [(r) => dashboardRoutes(r, { dir: webDir })],
});

// ---- seed: deploys with their events and evaluations, written through the repositories -------------------------
let t0 = performance.now();
const result = (name: string, v: number, breach: boolean): CheckResult => ({
  name,
  verdict: breach ? 'breach' : 'pass',
  action: 'rollback',
  reason: `${name}: canary ${v} vs baseline 0.01`,
  evidence: {
    detector: 'canary',
    value: v,
    canaryValue: v,
    baselineValue: 0.01,
    baselineMean: 0.01,
    baselineSpread: 0.001,
    z: 1,
    zThreshold: 3,
    dynamicThreshold: 0.013,
    pValue: 0.3,
    unit: 'ratio',
  },
});
let seeded = 0;
let rolledBackId = '';
for (let k = 0; k < DAYS * PER_DAY; k++) {
  const at = now - DAYS * DAY + (k * DAY) / PER_DAY;
  for (const [i, name] of names.entries()) {
    const svc = config.services[name];
    const start = at + i * 7_000;
    const bad = (k * 31 + i) % 20 === 0;
    const id = `d_${String(k).padStart(5, '0')}_${name}`;
    const { deploy } = await store.deploys.create(
      {
        service: name,
        version: `v1.${k}.${i}`,
        previousVersion: null,
        changes: [{ id: `#${k}${i}`, title: 'Change', author: 'dev' }],
        trigger: { kind: 'ci', actor: 'ci' },
      },
      start,
      id,
      [],
    );
    const end = start + (bad ? 8 : 30) * MINUTE;
    const final: Deploy = {
      ...deploy,
      state: bad ? 'rolled_back' : 'promoted',
      stageIndex: bad ? 0 : 2,
      startedAt: start,
      stageStartedAt: start,
      endedAt: end,
      reason: bad ? 'error-ratio breached' : 'all checks passed',
    };
    const ref = deployRef(final, svc);
    const events: Array<{ at: number; actor: string; event: LifecycleEvent }> = [
      { at: start, actor: 'releasebot', event: { type: 'deploy:started', deploy: ref } },
      {
        at: start,
        actor: 'releasebot',
        event: { type: 'stage:advanced', deploy: ref, from: null, to: 'canary', traffic: 10 },
      },
      bad
        ? {
            at: end,
            actor: 'releasebot',
            event: {
              type: 'deploy:rolled_back',
              deploy: ref,
              reason: 'error-ratio breached',
              automatic: true,
            },
          }
        : {
            at: end,
            actor: 'releasebot',
            event: { type: 'deploy:promoted', deploy: ref, skipped: false, reason: 'all checks passed' },
          },
    ];
    await store.deploys.update(final, events);
    const evals = Array.from({ length: bad ? 8 : 10 }, (_, e) => ({
      deployId: id,
      at: start + (e + 1) * (bad ? MINUTE : 3 * MINUTE),
      stageIndex: 0,
      results: [result('error-ratio', bad ? 0.03 : 0.01, bad && e === 7), result('latency-p95', 0.2, false)],
      decision: {
        action: bad && e === 7 ? ('rollback' as const) : ('continue' as const),
        reason: 'r',
        alerts: [],
        culprits: bad && e === 7 ? ['error-ratio'] : [],
        blind: false,
      },
    }));
    await store.evaluations.insert(evals);
    if (bad && i === 0) rolledBackId = id;
    seeded++;
  }
}
clock.set(now);
console.log(
  `seeded ${seeded} deploys (${SERVICES} services × ${DAYS} days × ${PER_DAY}/day) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

// Metrics for the service whose pages are measured: 30 days, every minute for the last 3 days.
t0 = performance.now();
const sim = new SimulatedService({ service: names[0], requests: 2000, errorRatio: 0.01, latency: 0.25 }, 1);
await rt.builtin!.ingestExposition(sim.history(now - DAYS * DAY, now - 3 * DAY, now, 5 * MINUTE));
console.log(`metrics loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const url = await rt.listen({ host: '127.0.0.1', port: 0 });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// What each page asks for, after GET /api/v1/whoami; the calls of one page run in parallel.
const pages: Array<[string, string, string[]]> = [
  ['deploys', '/', ['/api/v1/deploys?limit=50', '/api/v1/services']],
  [
    'deploy',
    `/deploys/${rolledBackId}`,
    [`/api/v1/deploys/${rolledBackId}`, `/api/v1/deploys/${rolledBackId}/charts`],
  ],
  [
    'service',
    `/services/${names[0]}`,
    [`/api/v1/services/${names[0]}`, `/api/v1/services/${names[0]}/history?weeks=4`],
  ],
];
console.log('\nAPI calls per page (ms, median of runs; a page issues its calls in parallel):');
for (const [page, , calls] of pages) {
  for (const call of calls) {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      const res = await fetch(url + call);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${call}: HTTP ${res.status}`);
      times.push(performance.now() - t);
    }
    console.log(`  ${page.padEnd(8)} ${call.padEnd(72)} ${median(times).toFixed(0).padStart(6)}`);
  }
}

if (browser.available) {
  const chrome = await launchChromium();
  const ready: Record<string, string> = {
    deploys: 'tr[data-deploy-id]',
    deploy: '.chart[data-drawn="true"]',
    service: '.history .chart[data-drawn="true"]',
  };
  console.log('\nIn Chromium: navigation start until the data is drawn (ms, median):');
  for (const [page, path] of pages) {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const tab = await chrome.context.newPage();
      await tab.goto(url + path);
      await tab.locator(ready[page]).first().waitFor({ timeout: 30_000 });
      times.push(await tab.evaluate(() => performance.now()));
      await tab.close();
    }
    const m = median(times);
    console.log(
      `  ${page.padEnd(8)} ${m.toFixed(0).padStart(6)}${m > 1000 ? '   (over the 1 s target)' : ''}`,
    );
  }
  await chrome.close();
} else {
  console.log(`\nbrowser figures skipped: ${browser.reason}`);
}
await rt.close();
await store.close();
await rm(webDir, { recursive: true, force: true });
