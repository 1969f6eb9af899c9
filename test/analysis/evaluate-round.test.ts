import { describe, expect, it } from 'vitest';
import type { CheckWindow } from '../../src/analysis/check-data.js';
import { evaluateRound } from '../../src/analysis/evaluate-round.js';
import { prepareCheck } from '../../src/analysis/prepare-check.js';
import {
  updatePrior,
  type CheckResult,
  type Decision,
  type PriorResult,
} from '../../src/analysis/verdict.js';
import type { ResolvedCheck, ResolvedService } from '../../src/config/resolved-config.js';
import { decodeResults, encodeResults } from '../../src/store/evaluation-codec.js';
import { MIN, T0, check, historyOf, service, windowAt, world } from './synthetic.js';
import type { World } from './synthetic.js';

const share = (m: number): number => (m < 10 ? 10 : m < 20 ? 50 : 100);
const exposure = [
  { at: T0, traffic: 10 },
  { at: T0 + 10 * MIN, traffic: 50 },
  { at: T0 + 20 * MIN, traffic: 100 },
];
const stageOf = (k: number): number => (k <= 10 ? 0 : k <= 20 ? 1 : 2);
const stageStart = (k: number): number => T0 + stageOf(k) * 10 * MIN;

interface Round {
  k: number;
  results: CheckResult[];
  decision: Decision;
}

/** Evaluates a one-check deploy minute by minute; `edit` may change each window. Stops at the first stop. */
function run(
  c: ResolvedCheck,
  w: World,
  edit?: (win: CheckWindow, k: number) => void,
  svc?: ResolvedService,
): Round[] {
  const s = svc ?? service([c]);
  const models = { [c.name]: prepareCheck(c, s, historyOf(w)) };
  const rounds: Round[] = [];
  // Carried from round to round as the analysis runner does.
  let prior: PriorResult[] = [];
  for (let k = 1; k <= 30; k++) {
    const win = windowAt(w, T0 + k * MIN, exposure, stageStart(k));
    edit?.(win, k);
    const out = evaluateRound({
      service: s,
      models,
      windows: { [c.name]: win },
      prior,
      stageIndex: stageOf(k),
    });
    rounds.push({ k, ...out });
    prior = updatePrior(prior, out.results);
    if (out.decision.action === 'rollback' || out.decision.action === 'pause') break;
  }
  return rounds;
}

const errors = check('errors', 'http_error_ratio');
const latency = check('latency', 'http_latency_p95_seconds');
const spec = { historyMinutes: 6 * 60, deployMinutes: 30, rpm: 10_000, share, pastDeploys: true };

describe('evaluateRound', () => {
  it('passes a healthy deploy through every stage', () => {
    const rounds = run(errors, world({ ...spec, kind: 'errors', seed: 1 }));
    expect(rounds).toHaveLength(30);
    expect(rounds.every((r) => r.decision.action === 'continue')).toBe(true);
    const last = rounds[29].results[0];
    expect(last.verdict).toBe('pass');
    expect(last.evidence).toMatchObject({ test: 'rate', detector: 'canary', unit: 'ratio' });
    expect(last.reason).toMatch(/^errors: canary \d.*% vs baseline \d.*% \(.*rate test p=/);
    // A passing line is not stored: read back, it is rebuilt from the evidence in the same words (its numbers are
    // the evidence's, rounded for storage, so a last shown digit may differ).
    const words = (line: string) => line.replace(/-?\d[\d.]*(e[-+]?\d+)?/g, '#');
    for (const r of rounds) {
      const [res] = r.results;
      if (res.verdict !== 'pass') continue;
      expect(words(decodeResults(JSON.parse(encodeResults([res])))[0].reason)).toBe(words(res.reason));
    }
  });

  it('rolls back a deploy whose canary errors 5x as often, with the numbers in the reason', () => {
    const rounds = run(errors, world({ ...spec, kind: 'errors', seed: 2, effect: 5 }));
    const last = rounds[rounds.length - 1];
    expect(last.decision.action).toBe('rollback');
    expect(last.k).toBeLessThanOrEqual(10);
    expect(last.decision.culprits).toEqual(['errors']);
    const r = last.results[0];
    expect(r).toMatchObject({ verdict: 'breach', action: 'rollback' });
    expect(r.evidence.detector).toBe('canary');
    expect(r.evidence.compareZ).toBeGreaterThanOrEqual(r.evidence.boundary as number);
    expect(r.evidence.effect).toBeGreaterThan(2);
    expect(r.reason).toMatch(/rate test p=[0-9.e-]+ < [0-9.e-]+/);
    expect(last.decision.reason).toBe(r.reason);
  });

  it('catches a latency regression with the paired test and ignores it for a down check', () => {
    const w = world({ ...spec, kind: 'latency', seed: 3, effect: 1.3 });
    const rounds = run(latency, w);
    const last = rounds[rounds.length - 1];
    expect(last.decision.action).toBe('rollback');
    expect(last.results[0].evidence.test).toBe('paired');
    expect(last.results[0].reason).toMatch(/canary \d+ ms vs baseline \d+ ms \(\+\d+%, paired test/);
    const down = run({ ...latency, direction: 'down' }, w);
    expect(down.every((r) => r.decision.action === 'continue')).toBe(true);
  });

  it('gives no_data naming the query when a query matches nothing, then pauses after the grace', () => {
    const rounds = run(errors, world({ ...spec, kind: 'errors', seed: 4 }), (win) => {
      win.metric.canary = undefined;
      win.problems = [
        { target: 'metric', cohort: 'canary', query: 'http_error_ratio{cohort="canary"}', kind: 'no_series' },
      ];
    });
    expect(rounds.map((r) => r.decision.action)).toEqual(['hold', 'hold', 'pause']);
    const r = rounds[2].results[0];
    expect(r.verdict).toBe('no_data');
    expect(r.reason).toContain('query for canary http_error_ratio{cohort="canary"} matched no series');
    expect(r.evidence.missing).toBe(3);
    expect(rounds[2].decision.blind).toBe(true);
  });

  it('gives error naming the series when a query matches several', () => {
    const rounds = run(errors, world({ ...spec, kind: 'errors', seed: 5 }), (win) => {
      win.problems = [
        {
          target: 'metric',
          cohort: 'all',
          query: 'http_error_ratio{cohort="all"}',
          kind: 'multiple_series',
          labels: ['{zone="a"}', '{zone="b"}'],
        },
      ];
    });
    const r = rounds[0].results[0];
    expect(r.verdict).toBe('error');
    expect(r.reason).toBe(
      'errors: query for all http_error_ratio{cohort="all"} matched 2 series: {zone="a"}, {zone="b"}; it must match exactly one',
    );
    expect(rounds[0].decision.action).toBe('hold');
    const failing = run(errors, world({ ...spec, kind: 'errors', seed: 5 }), (win) => {
      win.problems = [
        { target: 'traffic', cohort: 'all', query: 'req', kind: 'source_error', message: 'timeout' },
      ];
    });
    expect(failing[0].results[0].reason).toContain('failed: timeout');
  });

  it('copes with NaN samples and gaps', () => {
    const w = world({ ...spec, kind: 'latency', seed: 6 });
    for (const s of [w.metric.canary, w.metric.baseline, w.metric.all])
      for (let i = 3; i < s.v.length; i += 7) s.v[i] = NaN;
    const rounds = run(latency, w, (win, k) => {
      if (k === 12) win.metric.canary = { t: new Float64Array(0), v: new Float64Array(0) };
    });
    expect(rounds).toHaveLength(30);
    expect(rounds.every((r) => r.decision.action === 'continue' || r.decision.action === 'hold')).toBe(true);
    expect(rounds[29].results[0].evidence.minutes).toBeGreaterThan(10);
  });

  it('blames the deploy at once when the canary goes dark while the service errors', () => {
    const w = world({ ...spec, kind: 'errors', seed: 7 });
    const rounds = run(errors, w, (win, k) => {
      win.metric.canary = { t: new Float64Array(0), v: new Float64Array(0) };
      win.traffic!.canary = undefined;
      // the canary's requests now fail: 10% of all requests
      const all = win.metric.all!;
      const v = Float64Array.from(all.v, (x, i) => (all.t[i] > T0 ? x + 0.1 : x));
      win.metric.all = { t: all.t, v };
      void k;
    });
    expect(rounds).toHaveLength(1);
    const r = rounds[0].results[0];
    expect(rounds[0].decision.action).toBe('rollback');
    expect(r.evidence.detector).toBe('zscore');
    expect(r.evidence.attributed).toBe(true);
  });

  it('only alerts on a service-wide anomaly at 100% that the comparison cannot attribute', () => {
    const w = world({ ...spec, kind: 'latency', seed: 8 });
    const all = w.metric.all;
    for (let i = 0; i < all.t.length; i++) if (all.t[i] > T0 + 22 * MIN) all.v[i] *= 3; // an incident
    const rounds = run(latency, w);
    expect(rounds).toHaveLength(30);
    const alerted = rounds.filter((r) => r.decision.alerts.length);
    expect(alerted.length).toBeGreaterThan(0);
    expect(alerted.every((r) => r.decision.action === 'continue')).toBe(true);
    const r = alerted[0].results[0];
    expect(r).toMatchObject({ verdict: 'breach', action: 'alert' });
    expect(r.reason).toContain('alert only');
  });

  it('needs 2 of 3 breaching evaluations for a check without cohorts', () => {
    const plain: ResolvedCheck = { ...latency, queries: { all: latency.queries.all } };
    const w = world({ ...spec, kind: 'latency', seed: 9 });
    const all = w.metric.all;
    for (let i = 0; i < all.t.length; i++) if (all.t[i] > T0 + 4 * MIN) all.v[i] *= 2;
    const rounds = run(plain, w);
    const last = rounds[rounds.length - 1];
    expect(last.decision.action).toBe('rollback');
    // The first breaching evaluation only counts; the second one in three stops the deploy.
    const first = rounds.findIndex((r) => (r.results[0].evidence.recent ?? 0) & 1);
    expect(rounds[first].results[0].verdict).toBe('pass');
    expect(last.k).toBe(rounds[first].k + 1);
    expect(last.results[0].evidence.recent).toBe(0b11);
  });

  it('learns what it can from the history and says what it lacked', () => {
    const w = world({ ...spec, kind: 'latency', seed: 10 });
    const m = prepareCheck(latency, service([latency]), historyOf(w));
    expect(m.noise?.residuals).toBeGreaterThan(100);
    expect(m.notes).toContain('no history at similar times: dynamic threshold off');
    // Two days: yesterday is there, the last four weeks are not; it says so and uses what it has.
    const twoDays = world({ ...spec, historyMinutes: 2 * 1440, kind: 'latency', seed: 10 });
    const short = prepareCheck(latency, service([latency]), historyOf(twoDays));
    expect(short.notes).toContain('short history: dynamic threshold from 0 of 4 weeks');
    expect(short.profile?.daysFound).toBe(1);
    expect(Number.isFinite(short.profile?.upper[0])).toBe(true);
    const bare = prepareCheck(latency, service([latency]), { deployStart: T0, from: T0, to: T0 });
    expect(bare.notes).toContain('no history: dynamic threshold off');
    expect(bare.notes).toContain('no earlier deploys in the history: noise estimated within this deploy');
    // Without history the first window's pre-deploy samples are the baseline.
    const rounds = run(latency, w, undefined, service([latency]));
    expect(rounds[0].results[0].evidence.z).toBeDefined();
  });
});

describe('updatePrior', () => {
  const result = (name: string, recent: number, missing: number): CheckResult => ({
    name,
    verdict: 'pass',
    action: 'rollback',
    reason: '',
    evidence: { recent, missing, value: 1 },
  });
  it('updates the kept state in place for the same checks, and starts anew when they differ', () => {
    const first = updatePrior([], [result('a', 1, 0), result('b', 0, 2)]);
    expect(first).toEqual([
      { name: 'a', evidence: { recent: 1, missing: 0 } },
      { name: 'b', evidence: { recent: 0, missing: 2 } },
    ]);
    const kept = first[0];
    const second = updatePrior(first, [result('a', 3, 0), result('b', 0, 3)]);
    expect(second[0]).toBe(kept);
    expect(second).toEqual([
      { name: 'a', evidence: { recent: 3, missing: 0 } },
      { name: 'b', evidence: { recent: 0, missing: 3 } },
    ]);
    // A renamed check (a new config): nothing carried over by position.
    const third = updatePrior(second, [result('a', 1, 0), result('c', 0, 0)]);
    expect(third[0]).not.toBe(kept);
    expect(third.map((p) => p.name)).toEqual(['a', 'c']);
    expect(second[0].evidence.recent).toBe(3);
  });
});

describe('static thresholds and key checks', () => {
  it('breach a static bound after persistence, whatever the statistics say', () => {
    const c: ResolvedCheck = {
      ...latency,
      queries: { all: latency.queries.all },
      detectors: { static: { max: 0.25 } },
    };
    const w = world({ ...spec, kind: 'latency', seed: 11 });
    const all = w.metric.all;
    for (let i = 0; i < all.t.length; i++) if (all.t[i] > T0 + 4 * MIN) all.v[i] = 0.3;
    const rounds = run(c, w);
    const last = rounds[rounds.length - 1];
    expect(last.decision.action).toBe('rollback');
    expect(last.results[0].evidence).toMatchObject({
      detector: 'static',
      staticThreshold: 0.25,
      effectiveThreshold: 0.25,
    });
    expect(last.results[0].reason).toContain('beyond static 250 ms');
  });

  it('for key checks, let the higher of the static and the dynamic threshold win', () => {
    // Two days of history: the dynamic threshold (about 0.2 s + 3 spreads) is above a static max of 0.1 s.
    const w = world({ ...spec, historyMinutes: 2 * 1440, kind: 'latency', seed: 12 });
    const plain: ResolvedCheck = {
      ...latency,
      queries: { all: latency.queries.all },
      detectors: { static: { max: 0.1 } },
    };
    const key: ResolvedCheck = { ...plain, detectors: { static: { max: 0.1 }, key: true } };
    expect(run(plain, w).at(-1)?.decision.action).toBe('rollback');
    const keyed = run(key, w);
    expect(keyed.every((r) => r.decision.action === 'continue')).toBe(true);
    const dyn = keyed[0].results[0].evidence.dynamicThreshold as number;
    expect(dyn).toBeGreaterThan(0.2);
  });
});

describe('learning from earlier deploys', () => {
  it('learns that canaries run cold after each shift and leaves those minutes out', () => {
    // Twelve hours of history: twelve earlier deploys, enough to tell.
    const cold = { ...spec, historyMinutes: 12 * 60, kind: 'latency' as const, seed: 13, warmup: 1.6 };
    const m = prepareCheck(latency, service([latency]), historyOf(world(cold)));
    expect(m.warmup).toBe(1);
    expect(m.notes.join(' ')).toContain('the canary runs cold for 1 interval after each traffic shift');
    // The same cold start in this healthy deploy is not taken for a regression...
    const learned = run(latency, world(cold));
    expect(learned.every((r) => r.decision.action === 'continue')).toBe(true);
    // ...while counting the cold minutes (a model that learned nothing) makes the canary look much worse.
    const cw = world(cold);
    const models = prepareCheck(latency, service([latency]), historyOf(cw));
    const counting = { ...models, warmup: 0 };
    const maxZ = (model: typeof models): number => {
      let best = -Infinity;
      let prior: CheckResult[] = [];
      for (let k = 1; k <= 20; k++) {
        const out = evaluateRound({
          service: service([latency]),
          models: { latency: model },
          windows: { latency: windowAt(cw, T0 + k * MIN, exposure, stageStart(k)) },
          prior,
          stageIndex: stageOf(k),
        });
        prior = out.results;
        best = Math.max(best, out.results[0].evidence.compareZ ?? -Infinity);
      }
      return best;
    };
    expect(maxZ(counting)).toBeGreaterThan(maxZ(models) + 2);
  });

  it('learns a canary pool that always runs a little slower and does not blame deploys for it', () => {
    const w = world({ ...spec, historyMinutes: 12 * 60, kind: 'latency', seed: 14, effect: 1.04 });
    // Earlier deploys' canaries were 4% slower too: shift the history's canary series.
    const slow = {
      ...w,
      metric: {
        ...w.metric,
        canary: {
          t: w.metric.canary.t,
          v: w.metric.canary.v.map((v, i) => (w.metric.canary.t[i] <= T0 ? v * 1.04 : v)),
        },
      },
    };
    const m = prepareCheck(latency, service([latency]), historyOf(slow));
    expect(m.floor.bias).toBeGreaterThan(0.02);
    expect(m.floor.bias).toBeLessThan(0.06);
  });
});
