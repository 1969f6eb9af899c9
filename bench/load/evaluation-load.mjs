// The load figure for one store: N running deploys x C checks (canary/baseline cohorts, the heaviest kind)
// on the built-in metric source, evaluated every interval. Reports CPU per evaluation round, decision latency
// (p50/p99, per deploy) and memory per deploy. Runs the compiled build (npm run build first, or RELEASEBOT_DIST=<dir>
// for another build); bench/load/run.mjs runs it for both stores.
//   node --expose-gc bench/load/evaluation-load.mjs [--deploys 1000] [--checks 20] [--rounds 10]
//        [--interval 10s] [--history 30m] [--store memory:|<dir>|postgres://…] [--profile out.cpuprofile] [--json]
import { parseArgs } from 'node:util';

// The compiled build: dist/ unless RELEASEBOT_DIST names another (a private build of the current sources).
const dist = process.env.RELEASEBOT_DIST
  ? new URL(`file://${process.env.RELEASEBOT_DIST.replace(/\/?$/, '/')}`)
  : new URL('../../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const { BuiltinSource } = await load('metrics/builtin/builtin-source.js');
const { resolveConfig } = await load('config/resolve-config.js');
const { configSchema } = await load('config/schema.js');
const { createDeployer } = await load('deployers/create-deployer.js');
const { silentLogger } = await load('logging/logger.js');
const { AnalysisRunner } = await load('pipeline/analysis-runner.js');
const { DeployEngine } = await load('pipeline/deploy-engine.js');
const { DeployService } = await load('pipeline/deploy-service.js');
const { openStore } = await load('store/open-store.js');
const { ManualClock } = await load('time/clock.js');
const { parseDuration } = await load('time/duration.js');

const { values: a } = parseArgs({
  options: {
    deploys: { type: 'string', default: '1000' },
    checks: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '10' },
    interval: { type: 'string', default: '10s' },
    history: { type: 'string', default: '30m' },
    store: { type: 'string', default: 'memory:' },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(a.deploys);
const C = Number(a.checks);
const ROUNDS = Number(a.rounds);
const STEP = parseDuration(a.interval);
const HISTORY = parseDuration(a.history);
const T0 = Date.UTC(2025, 2, 3, 12, 0);
const gc = globalThis.gc ?? (() => undefined);
if (!globalThis.gc) console.error('warning: run with node --expose-gc for a steady memory figure');

// A service per deploy (one deploy runs at a time per service), C checks each, with canary/baseline cohorts.
const services = {};
for (let s = 0; s < N; s++) {
  const sel = (name, c) => `${name}{service="s${s}",cohort="${c}"}`;
  services[`s${s}`] = {
    interval: a.interval,
    // The request series: the canary comparison weighs each minute by the requests behind it.
    traffic: { query: sel('req', 'all'), canary: sel('req', 'canary'), baseline: sel('req', 'baseline') },
    stages: [{ name: 'canary', traffic: 10, bake: '24h' }],
    checks: Array.from({ length: C }, (_, c) => ({
      name: `c${c}`,
      query: sel(`m${c}`, 'all'),
      canary: sel(`m${c}`, 'canary'),
      baseline: sel(`m${c}`, 'baseline'),
      dynamic: false,
    })),
  };
}
const r = resolveConfig(configSchema.parse({ services }));
if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
const config = r.config;

// History before the deploys and samples through every round to come, one per interval, as Prometheus text.
const deployStart = T0;
const end = T0 + (ROUNDS + 3) * STEP;
const clock = new ManualClock(T0 - HISTORY);
const source = await BuiltinSource.open({ clock, logger: silentLogger, retention: Infinity });
let rng = 1;
const rand = () => (rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648;
const lines = [];
const flush = async () => {
  if (lines.length) await source.ingestExposition(lines.join('\n') + '\n', { now: end, notAfter: Infinity });
  lines.length = 0;
};
for (let s = 0; s < N; s++) {
  for (let m = 0; m <= C; m++) {
    const name = m === C ? 'req' : `m${m}`;
    for (const cohort of ['all', 'canary', 'baseline']) {
      for (let t = T0 - HISTORY; t <= end; t += STEP) {
        if (cohort !== 'all' && t <= deployStart) continue;
        const base =
          name === 'req' ? (cohort === 'canary' ? 1000 : cohort === 'baseline' ? 9000 : 10000) : 0.01;
        lines.push(
          `${name}{service="s${s}",cohort="${cohort}"} ${(base * (1 + 0.05 * (rand() - 0.5))).toFixed(6)} ${t}`,
        );
      }
    }
  }
  if (s % 20 === 19) await flush();
}
await flush();

const store = await openStore({ url: a.store });
const none = createDeployer({ type: 'none' });
const analyzer = new AnalysisRunner({ sourceFor: () => source, store, logger: silentLogger });
// Decision latency: the judge's own time per deploy, and the time from the round's start to each decision.
let roundStart = 0;
const judgeMs = [];
const decidedAfterMs = [];
let recording = false;
const engine = new DeployEngine({
  store,
  config,
  clock,
  logger: silentLogger,
  deployerFor: () => none,
  runGate: async () => ({ ok: true, output: '', durationMs: 0 }),
  analyzer,
  observe: {
    evaluation(_service, _decision, durationMs) {
      if (!recording) return;
      judgeMs.push(durationMs);
      decidedAfterMs.push(performance.now() - roundStart);
    },
    transition() {},
    deployerCall() {},
  },
});
const deploys = new DeployService({ store, config, clock });
const names = Object.keys(config.services);
// What the scheduler does each round: the batch of due evaluations, then individual ticks for the rest.
const tickAll = async () => {
  const singles = await engine.tickRound(
    names.map((service) => ({ service })),
    [],
  );
  await Promise.all(singles.map(({ service }) => engine.tickService(service, { holds: [] })));
};

gc();
const before = process.memoryUsage();
clock.set(deployStart);
for (let s = 0; s < N; s++)
  await deploys.createDeploy({ service: `s${s}`, version: 'v2', trigger: { kind: 'api', actor: 'bench' } });
await tickAll(); // start + shift
clock.advance(STEP);
await tickAll(); // the first evaluation prepares each deploy's models (history fetched once): not steady state
clock.advance(STEP);
await tickAll();
gc();
const after = process.memoryUsage();

let session;
if (a.profile) {
  const { Session } = await import('node:inspector/promises');
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const cpu = [];
const wall = [];
recording = true;
for (let round = 0; round < ROUNDS; round++) {
  clock.advance(STEP);
  const c0 = process.cpuUsage();
  roundStart = performance.now();
  await tickAll();
  const c1 = process.cpuUsage(c0);
  cpu.push((c1.user + c1.system) / 1000);
  wall.push(performance.now() - roundStart);
}
recording = false;
if (session) {
  const { profile } = await session.post('Profiler.stop');
  (await import('node:fs')).writeFileSync(a.profile, JSON.stringify(profile));
}
const running = (await store.deploys.list({ states: ['running'], limit: 10_000 })).length;
await store.close();

const pct = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round1 = (x) => Math.round(x * 10) / 10;
const out = {
  store: store.kind,
  deploys: N,
  checks: C,
  interval: a.interval,
  rounds: ROUNDS,
  stillRunning: running,
  cpuMsPerRound: { p50: round1(pct(cpu, 50)), max: round1(Math.max(...cpu)), all: cpu.map(round1) },
  wallMsPerRound: { p50: round1(pct(wall, 50)), max: round1(Math.max(...wall)) },
  decisionMs: {
    judge: { p50: round1(pct(judgeMs, 50)), p99: round1(pct(judgeMs, 99)) },
    afterRoundStart: { p50: round1(pct(decidedAfterMs, 50)), p99: round1(pct(decidedAfterMs, 99)) },
  },
  evaluations: judgeMs.length,
  memoryPerDeployKiB: round1(
    (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / N / 1024,
  ),
  rssMiB: Math.round(after.rss / 1024 / 1024),
  targetCpuMsPerRound: 250,
};
if (a.json) console.log(JSON.stringify(out));
else console.log(out);
