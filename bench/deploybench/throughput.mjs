#!/usr/bin/env node
// Judge throughput, in process (run with tsx): CPU of one evaluation round of N running deploys x C checks
// (evaluateRound only: the engine's fetching is measured by bench/evaluation-round.mjs), prepareCheck per check,
// and `detect` points per second.
//   node --import tsx bench/deploybench/throughput.mjs [--deploys 1000] [--checks 20] [--rounds 5] [--no-detect]
import { parseArgs } from 'node:util';
import { evaluateRound } from '../../src/analysis/evaluate-round.js';
import { prepareCheck } from '../../src/analysis/prepare-check.js';
import { sliceSamples } from '../../src/metrics/samples.js';
import { StreamDetector } from '../../src/analysis/stream-detector.js';
import { detectCsv } from '../../src/cli/detect-command.js';

const { values: a } = parseArgs({
  options: {
    deploys: { type: 'string', default: '1000' },
    checks: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    'no-detect': { type: 'boolean', default: false },
  },
});
const N = Number(a.deploys);
const C = Number(a.checks);
const ROUNDS = Number(a.rounds);
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 3, 12, 0);

let seed = 1;
const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

/** Per-minute series over [from, to), value(t) -> number. */
function series(from, to, value) {
  const n = Math.round((to - from) / MIN);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = from + (i + 1) * MIN;
    v[i] = value(t[i]);
  }
  return { t, v };
}

const checks = Array.from({ length: C }, (_, c) => ({
  name: `c${c}`,
  queries: {
    all: `m${c}_seconds{cohort="all"}`,
    canary: `m${c}_seconds{cohort="canary"}`,
    baseline: `m${c}_seconds{cohort="baseline"}`,
  },
  direction: 'up',
  action: 'rollback',
  detectors: {},
}));
const svc = {
  name: 's',
  key: false,
  deployer: { type: 'none' },
  source: 'builtin',
  intervalMs: MIN,
  queue: 'fifo',
  traffic: { all: 'req{cohort="all"}', canary: 'req{cohort="canary"}', baseline: 'req{cohort="baseline"}' },
  stages: [
    { name: 'canary', traffic: 10, bakeMs: 60 * MIN },
    { name: 'full', traffic: 100, bakeMs: 60 * MIN },
  ],
  checks,
  deployWindows: [],
  baselineMs: 60 * MIN,
};

// One deploy's data per check: 3 days of history with an earlier deploy every 2 hours, 30 minutes into this one.
const NOW = T0 + 30 * MIN;
const lat = (n) => 0.2 * Math.exp((1.16 / Math.sqrt(n)) * normal());
const reqAll = series(T0 - 3 * 86_400_000, NOW, () => 10_000);
const inPast = (t) => t < T0 && (((t - T0) % (2 * 3_600_000)) + 2 * 3_600_000) % (2 * 3_600_000) < 30 * MIN;
const cohort = (t) => inPast(t) || t > T0;
const reqC = { t: reqAll.t.filter(cohort), v: reqAll.t.filter(cohort).map(() => 1000) };
const reqB = { t: reqC.t, v: reqC.v.map(() => 9000) };
const data = checks.map(() => ({
  all: series(T0 - 3 * 86_400_000, NOW, () => lat(10_000)),
  canary: { t: reqC.t, v: reqC.t.map(() => lat(1000)) },
  baseline: { t: reqC.t, v: reqC.t.map(() => lat(9000)) },
}));
for (const d of [...data, { canary: reqC }]) d.canary.v = Float64Array.from(d.canary.v);
reqB.v = Float64Array.from(reqB.v);
for (const d of data) d.baseline.v = Float64Array.from(d.baseline.v);

const models = {};
const prepare = () => {
  for (const [i, c] of checks.entries()) {
    const before = (s) => sliceSamples(s, -Infinity, T0);
    models[c.name] = prepareCheck(c, svc, {
      deployStart: T0,
      from: reqAll.t[0],
      to: T0,
      metric: before(data[i].all),
      traffic: before(reqAll),
      canary: before(data[i].canary),
      baseline: before(data[i].baseline),
      canaryTraffic: before(reqC),
      baselineTraffic: before(reqB),
    });
  }
};
// The first deploy of a stage plan also computes its sequential boundaries (cached afterwards): time the second.
prepare();
let cpu = process.cpuUsage();
prepare();
cpu = process.cpuUsage(cpu);
const prepMs = (cpu.user + cpu.system) / 1000 / C;

const windows = Object.fromEntries(
  checks.map((c, i) => {
    const cut = (s, from) => sliceSamples(s, from, NOW);
    return [
      c.name,
      {
        now: NOW,
        deployStart: T0,
        windowStart: T0 - 60 * MIN,
        stageStart: T0,
        exposure: [{ at: T0, traffic: 10 }],
        metric: {
          all: cut(data[i].all, T0 - 60 * MIN),
          canary: cut(data[i].canary, T0),
          baseline: cut(data[i].baseline, T0),
        },
        traffic: { all: cut(reqAll, T0 - 60 * MIN), canary: cut(reqC, T0), baseline: cut(reqB, T0) },
      },
    ];
  }),
);
// Each of the N deploys gets its own copy of the models (their scratch buffers are per deploy).
const deployModels = Array.from({ length: N }, () =>
  Object.fromEntries(
    Object.entries(models).map(([k, m]) => [
      k,
      { ...m, scratch: { ...m.scratch, pairs: { ...m.scratch.pairs } } },
    ]),
  ),
);
let prior = Array.from({ length: N }, () => []);
const roundCpu = [];
for (let r = 0; r < ROUNDS + 1; r++) {
  const c0 = process.cpuUsage();
  for (let d = 0; d < N; d++)
    prior[d] = evaluateRound({
      service: svc,
      models: deployModels[d],
      windows,
      prior: prior[d],
      stageIndex: 0,
    }).results;
  const c1 = process.cpuUsage(c0);
  if (r > 0) roundCpu.push((c1.user + c1.system) / 1000); // the first round warms the JIT
}
roundCpu.sort((x, y) => x - y);
const roundMs = roundCpu[roundCpu.length >> 1];

if (a['no-detect']) {
  console.log(
    `evaluation round, ${N} deploys x ${C} checks: ${roundMs.toFixed(0)} ms CPU (median of ${ROUNDS})`,
  );
  process.exit(0);
}
// detect: points per second, detector alone and CSV in/out.
const P = 1_000_000;
const vals = new Float64Array(P);
for (let i = 0; i < P; i++) vals[i] = 100 + 10 * Math.sin(i / 100) + 3 * normal();
let c2 = process.cpuUsage();
const det = new StreamDetector();
for (let i = 0; i < P; i++) det.push(T0 + i * MIN, vals[i]);
c2 = process.cpuUsage(c2);
const detPps = P / ((c2.user + c2.system) / 1e6);
const rows = ['timestamp,value'];
for (let i = 0; i < P; i++)
  rows.push(`${new Date(T0 + i * MIN).toISOString().slice(0, 19).replace('T', ' ')},${vals[i].toFixed(3)}`);
const csv = Buffer.from(rows.join('\n') + '\n');
let c3 = process.cpuUsage();
detectCsv(csv, 'both');
c3 = process.cpuUsage(c3);
const csvPps = P / ((c3.user + c3.system) / 1e6);

console.log(
  `evaluation round, ${N} deploys x ${C} checks: ${roundMs.toFixed(0)} ms CPU (median of ${ROUNDS}), ${((1000 * roundMs) / (N * C)).toFixed(1)} µs per check`,
);
console.log(
  `prepareCheck: ${prepMs.toFixed(2)} ms CPU per check (3 days of history, once per deploy; boundaries cached)`,
);
console.log(
  `detect: ${(detPps / 1e6).toFixed(2)} M points/s (detector), ${(csvPps / 1e6).toFixed(2)} M points/s (CSV in and out)`,
);
