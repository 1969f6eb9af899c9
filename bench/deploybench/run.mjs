#!/usr/bin/env node
// deploybench, in process: replays scenarios through the judge (prepareCheck + evaluateRound, replay semantics)
// and through the reference judges, scores them as deploybench's run.mjs does, prints one table per
// scenario and the median over scenarios.
//   node --import tsx bench/deploybench/run.mjs [--dir DIR ...] [--default] [--json FILE] [--judges zscore3,argo,kayenta,oracle]
// --default (or no --dir) generates and uses: seeds 11, 12, 13 (28 days, 4 weeks of history), seed 31 on a NAB
// background (elb_request_count_8c0756), seed 41 with a 3-stage plan; scenarios are cached in
// $RELEASEBOT_BENCH_DIR (default <tmp>/releasebot-deploybench).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEPLOYBENCH, NAB, judges, lib } from './deploybench-root.mjs';
import { loadSeries, replayScenario, loadStore } from './replay-scenario.mjs';
import { score, impactOfNone } from './score.mjs';

const { makeAccessor, parseTime, iso, median } = lib;
const { JUDGES } = judges;
const SHARED = DEPLOYBENCH;
const { values: a } = parseArgs({
  options: {
    dir: { type: 'string', multiple: true },
    default: { type: 'boolean', default: false },
    json: { type: 'string' },
    judges: { type: 'string', default: 'zscore3,argo,kayenta,oracle' },
    messy: { type: 'boolean', default: false },
  },
});

const gen = (seed, days, ...more) => [
  '--seed',
  String(seed),
  '--days',
  String(days),
  '--history-weeks',
  '4',
  ...more,
];
/** The default scenario set: [name, gen.mjs arguments]. */
const DEFAULTS = [
  ['s11', gen(11, 28)],
  ['s12', gen(12, 28)],
  ['s13', gen(13, 28)],
  [
    'nab-elb-s31',
    gen(31, 28, '--background', `csv:${NAB}/data/realAWSCloudwatch/elb_request_count_8c0756.csv`),
  ],
  ['plan3-s41', gen(41, 21, '--stages', 'canary:5:5,half:50:15,full:100:10')],
  ['plan5-s42', gen(42, 21, '--stages', 'one:1:5,five:5:5,twenty:20:10,half:50:10,full:100:15')],
];
/** Scenarios on the default plan and synthetic traffic: the setting the targets are stated for. */
const STANDARD = /^s\d+$/;

let dirs = a.dir ?? [];
if (!dirs.length || a.default) {
  const cache = process.env.RELEASEBOT_BENCH_DIR ?? path.join(os.tmpdir(), 'releasebot-deploybench');
  for (const [name, args] of DEFAULTS) {
    const out = path.join(cache, name);
    if (!fs.existsSync(path.join(out, 'truth.json'))) {
      const r = spawnSync(
        process.execPath,
        [path.join(SHARED, 'gen.mjs'), ...args, '--out', out, '--quiet'],
        { stdio: 'inherit' },
      );
      if (r.status !== 0) process.exit(1);
    }
    dirs.push(out);
    if (a.messy) {
      const messy = path.join(cache, `messy-${name}`);
      if (!fs.existsSync(path.join(messy, 'truth.json'))) {
        const r = spawnSync(
          process.execPath,
          [
            path.join(path.dirname(new URL(import.meta.url).pathname), 'messy.mjs'),
            '--in',
            out,
            '--out',
            messy,
          ],
          { stdio: 'inherit' },
        );
        if (r.status !== 0) process.exit(1);
      }
      dirs.push(messy);
    }
  }
}

const refNames = a.judges.split(',').filter(Boolean);
const rows = [];
for (const dir of dirs) {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const scenario = read('scenario.json');
  const truth = read('truth.json');
  const { deploys } = read('deploys.json');
  truth.byId = new Map(truth.deploys.map((d) => [d.id, d]));
  const store = loadStore(dir);
  const series = loadSeries(dir, store);
  const none = impactOfNone(truth, scenario, deploys);
  const judged = [];
  // releasebot, in process
  const t0 = process.hrtime.bigint();
  const mine = replayScenario(dir, { series });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  judged.push({
    name: 'releasebot',
    wall,
    decisions: new Map(mine.deploys.map((d) => [d.id, d])),
    timing: mine.timing,
  });
  // reference judges, in process, as run.mjs runs them
  for (const name of refNames) {
    const fn = JUDGES[name];
    const t1 = process.hrtime.bigint();
    const decisions = new Map();
    for (const d of deploys) {
      const startTs = parseTime(d.startedAt);
      const acc = makeAccessor(store, startTs);
      const pub = { id: d.id, version: d.version, startedAt: d.startedAt, changes: d.changes, startTs };
      const dec = fn.needsTruth ? fn(scenario, acc, pub, truth) : fn(scenario, acc, pub);
      decisions.set(d.id, { ...dec, decidedAt: iso(dec.decidedAt) });
    }
    judged.push({ name, wall: Number(process.hrtime.bigint() - t1) / 1e6, decisions });
  }
  const results = judged.map((j) => {
    const s = score(j.decisions, truth, scenario, deploys);
    delete s.rows;
    return {
      judge: j.name,
      wallMs: j.wall,
      ...s,
      impactReductionPct: 100 * (1 - s.impactMinutes / none),
      timing: j.timing,
    };
  });
  rows.push({ scenario: path.basename(dir), dir, deploys: deploys.length, bad: results[0].bad, results });
  printScenario(rows[rows.length - 1]);
}
const standard = rows.filter((r) => STANDARD.test(r.scenario));
if (standard.length >= 2 && standard.length < rows.length)
  printMedians(standard, "the default plan on synthetic traffic (the targets' setting)");
printMedians(rows, 'all scenarios');
if (a.json) fs.writeFileSync(a.json, JSON.stringify({ scenarios: rows }, null, 2) + '\n');

function pct(x) {
  return x == null ? '-' : `${(100 * x).toFixed(1)}%`;
}

function printScenario(r) {
  console.log(`\n${r.scenario}: ${r.deploys} deploys, ${r.bad} bad (${r.dir})`);
  table(
    ['judge', 'recall', 'false-stop', '<10%', 'TTD med', 'TTD p90', 'impact-min', 'reduction', 'wall'],
    r.results.map((s) => [
      s.judge,
      `${pct(s.recall)} (${s.recallCount})`,
      `${pct(s.falseStopRate)} (${s.falseStopCount})`,
      pct(s.before10Rate),
      s.ttdMedianMin?.toFixed(1) ?? '-',
      s.ttdP90Min?.toFixed(1) ?? '-',
      s.impactMinutes.toFixed(1),
      `${s.impactReductionPct.toFixed(1)}%`,
      `${(s.wallMs / 1000).toFixed(2)} s`,
    ]),
  );
  const mine = r.results[0];
  const types = Object.entries(mine.byType)
    .map(([k, v]) => `${k} ${v.count}`)
    .join(', ');
  const terc = Object.entries(mine.byTercile)
    .map(([k, v]) => `${k} ${v.count}`)
    .join(', ');
  console.log(`  releasebot recall by type: ${types}; by magnitude tercile: ${terc}`);
  if (mine.timing) {
    const { prepMs, evalMs, rounds } = mine.timing;
    console.log(
      `  releasebot time: ${(prepMs / r.deploys).toFixed(1)} ms per deploy preparing, ${((1000 * evalMs) / rounds).toFixed(0)} µs per evaluation round (${rounds} rounds)`,
    );
  }
}

function printMedians(all, what) {
  if (all.length < 2) return;
  const judges = all[0].results.map((s) => s.judge);
  console.log(`\nmedian over ${what}: ${all.map((r) => r.scenario).join(', ')}`);
  const med = (f) => (j) =>
    median(all.map((r) => f(r.results.find((s) => s.judge === j))).filter((x) => x != null));
  table(
    ['judge', 'recall', 'false-stop', '<10%', 'TTD med', 'reduction'],
    judges.map((j) => [
      j,
      pct(med((s) => s.recall)(j)),
      pct(med((s) => s.falseStopRate)(j)),
      pct(med((s) => s.before10Rate)(j)),
      med((s) => s.ttdMedianMin)(j)?.toFixed(1) ?? '-',
      `${med((s) => s.impactReductionPct)(j).toFixed(1)}%`,
    ]),
  );
  console.log(
    'targets (defaults only): recall >= 95%, false stops <= 1%, >= 70% before 10%, TTD median <= 3 min, reduction >= 94%',
  );
}

function table(head, body) {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  console.log(line(head));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const r of body) console.log(line(r));
}
