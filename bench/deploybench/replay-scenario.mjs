// In-process replay of a deploybench scenario through the judge (prepareCheck + evaluateRound), with
// spec/replay.md's semantics: the clock starts at each deploy's startedAt, checks are evaluated every interval
// using only samples with t <= now, the stage advances after its bake (the decision at the bake's last minute
// belongs to that stage), and the deploy is promoted after the last stage. Output is replay's JSON.
// Run with tsx (it imports the TypeScript sources): node --import tsx bench/deploybench/replay-scenario.mjs DIR

import fs from 'node:fs';
import path from 'node:path';
import { lib } from './deploybench-root.mjs';
import { prepareCheck } from '../../src/analysis/prepare-check.js';
import { evaluateRound } from '../../src/analysis/evaluate-round.js';
import { historyRanges } from '../../src/analysis/history-ranges.js';
import { sliceSamples } from '../../src/metrics/samples.js';
import { scenarioService } from './scenario-service.mjs';

const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** deploybench's own store of metrics.om (seconds), as the reference judges read it. */
export function loadStore(dir) {
  return lib.readOpenMetrics(path.join(dir, 'metrics.om'));
}

/** Loads metrics.om into Samples (ms timestamps) keyed by `${metric}|${cohort}`. */
export function loadSeries(dir, store = loadStore(dir)) {
  const out = new Map();
  for (const [key, s] of store.series) {
    const t = new Float64Array(s.ts.length);
    for (let i = 0; i < t.length; i++) t[i] = s.ts[i] * 1000;
    out.set(key, { t, v: s.v });
  }
  return out;
}

/** Samples of `s` inside the union of `ranges` (sorted, disjoint), as one sorted series. */
function restrict(s, ranges) {
  if (!s) return undefined;
  const parts = ranges.map((r) => sliceSamples(s, r.from - 1, r.to));
  const n = parts.reduce((a, p) => a + p.t.length, 0);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let k = 0;
  for (const p of parts) {
    t.set(p.t, k);
    v.set(p.v, k);
    k += p.t.length;
  }
  return { t, v };
}

/**
 * Replays every deploy of a scenario directory. Options: service overrides (detectors), `series` (preloaded),
 * `onRound(deploy, T, round)` for diagnostics. Returns { deploys: [{id, outcome, decidedAt, stage, reason, checks}],
 * timing }.
 */
export function replayScenario(dir, opts = {}) {
  const scenario = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
  const { deploys } = JSON.parse(fs.readFileSync(path.join(dir, 'deploys.json'), 'utf8'));
  const series = opts.series ?? loadSeries(dir);
  const service = scenarioService(scenario, opts);
  const metricOf = (check) => check.queries.all.slice(0, check.queries.all.indexOf('{'));
  const get = (m, c) => series.get(`${m}|${c}`);
  const interval = service.intervalMs;
  const out = [];
  let prepMs = 0;
  let evalMs = 0;
  let rounds = 0;
  for (const d of deploys) {
    const S = Date.parse(d.startedAt);
    const t0 = performance.now();
    const models = {};
    for (const check of service.checks) {
      const ranges = historyRanges(service, S, check);
      const m = metricOf(check);
      const history = {
        deployStart: S,
        from: ranges[0].from,
        to: ranges[ranges.length - 1].to,
        metric: restrict(get(m, 'all'), ranges),
        traffic: restrict(get('http_requests_per_minute', 'all'), ranges),
        canary: restrict(get(m, 'canary'), ranges),
        baseline: restrict(get(m, 'baseline'), ranges),
        canaryTraffic: restrict(get('http_requests_per_minute', 'canary'), ranges),
        baselineTraffic: restrict(get('http_requests_per_minute', 'baseline'), ranges),
      };
      models[check.name] = prepareCheck(check, service, history);
      opts.onModel?.(d, models[check.name]);
    }
    const t1 = performance.now();
    prepMs += t1 - t0;
    // Stage schedule.
    const stages = [];
    let at = S;
    for (const s of service.stages) {
      stages.push({ name: s.name, traffic: s.traffic, start: at, end: at + s.bakeMs });
      at += s.bakeMs;
    }
    const end = at;
    const windowStart = S - service.baselineMs;
    let prior = [];
    let decision = null;
    let decidedAt = end;
    let stageIdx = stages.length - 1;
    for (let T = S + interval; T <= end; T += interval) {
      const si = stages.findIndex((s) => T > s.start && T <= s.end);
      // Shifts that have happened by now: a stage's shift happens after the previous stage's last evaluation.
      const exposure = stages.filter((s) => s.start < T).map((s) => ({ at: s.start, traffic: s.traffic }));
      const windows = {};
      for (const check of service.checks) {
        const m = metricOf(check);
        const sl = (s) => (s ? sliceSamples(s, windowStart, T) : undefined);
        windows[check.name] = {
          now: T,
          deployStart: S,
          windowStart,
          stageStart: stages[si].start,
          exposure,
          metric: { all: sl(get(m, 'all')), canary: sl(get(m, 'canary')), baseline: sl(get(m, 'baseline')) },
          traffic: {
            all: sl(get('http_requests_per_minute', 'all')),
            canary: sl(get('http_requests_per_minute', 'canary')),
            baseline: sl(get('http_requests_per_minute', 'baseline')),
          },
        };
      }
      const round = evaluateRound({ service, models, windows, prior, stageIndex: si });
      rounds++;
      opts.onRound?.(d, T, round, si);
      prior = round.results;
      if (round.decision.action === 'rollback' || round.decision.action === 'pause') {
        decision = round;
        decidedAt = T;
        stageIdx = si;
        break;
      }
    }
    evalMs += performance.now() - t1;
    if (decision) {
      out.push({
        id: d.id,
        outcome: decision.decision.action === 'rollback' ? 'rolled_back' : 'paused',
        decidedAt: iso(decidedAt),
        stage: stages[stageIdx].name,
        reason: decision.decision.reason,
        checks: decision.results.map((r) => ({ name: r.name, verdict: r.verdict, action: r.action })),
      });
    } else {
      out.push({
        id: d.id,
        outcome: 'promoted',
        decidedAt: iso(end),
        stage: stages[stages.length - 1].name,
        reason: 'all checks passed',
        checks: prior.map((r) => ({ name: r.name, verdict: r.verdict, action: r.action })),
      });
    }
  }
  return { deploys: out, timing: { prepMs, evalMs, rounds } };
}

const isMain =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const dir = process.argv[process.argv.length - 1] ?? process.env.DEPLOYBENCH_DIR;
  const res = replayScenario(dir);
  process.stdout.write(JSON.stringify({ deploys: res.deploys }) + '\n');
}
