import { describe, expect, it } from 'vitest';
import { newCohortPairs, pairCohorts } from '../../src/analysis/cohort-pairs.js';
import type { CohortPairs } from '../../src/analysis/cohort-pairs.js';
import { MODEL_PRIOR_DF, pairedTest } from '../../src/analysis/paired-test.js';
import { mannWhitneyTest, rankSumZ, signedRankTest, signedRankZ } from '../../src/analysis/rank-test.js';
import { rateTest, signedRoot } from '../../src/analysis/rate-test.js';
import { tToZ } from '../../src/analysis/normal.js';
import { series } from './synthetic.js';

/** Pairs from rows [canary value, baseline value, canary requests, baseline requests], one a minute. */
function pairs(rows: Array<[number, number, number, number]>): CohortPairs {
  const t = rows.map((_, i) => (i + 1) * 60_000);
  const p = newCohortPairs(2);
  pairCohorts(
    p,
    series(rows.map((r, i) => [t[i], r[0]])),
    series(rows.map((r, i) => [t[i], r[1]])),
    series(rows.map((r, i) => [t[i], r[2]])),
    series(rows.map((r, i) => [t[i], r[3]])),
    0,
    Infinity,
    30_000,
  );
  return p;
}

const noFloor = { relative: 0, learned: 0, bias: 0 };
const scratch = () => ({ buf: new Float64Array(4), w: new Float64Array(4) });

describe('cohort pairing', () => {
  it('lines up minutes within half an interval and skips NaN and unmatched samples', () => {
    const p = newCohortPairs(1);
    const n = pairCohorts(
      p,
      series([
        [60_000, 1],
        [120_000, NaN],
        [180_000, 3],
        [240_000, 4],
      ]),
      series([
        [61_000, 10],
        [119_000, 20],
        [181_000, 30],
      ]),
      series([
        [60_000, 5],
        [120_000, 5],
        [180_000, 5],
        [240_000, 5],
      ]),
      undefined,
      0,
      Infinity,
      30_000,
    );
    expect(n).toBe(2);
    expect(Array.from(p.canary.subarray(0, n))).toEqual([1, 3]);
    expect(Array.from(p.baseline.subarray(0, n))).toEqual([10, 30]);
    expect(Array.from(p.canaryRequests.subarray(0, n))).toEqual([5, 5]);
    expect(Number.isNaN(p.baselineRequests[0])).toBe(true);
  });
});

describe('rate test', () => {
  it('is the signed root of the binomial deviance', () => {
    // 5 events where 1 of 1,000 was expected: 2 [5 ln 5 + 995 ln(995/999)] = 8.11.
    expect(signedRoot(5, 1, 1000)).toBeCloseTo(
      Math.sqrt(2 * (5 * Math.log(5) + 995 * Math.log(995 / 999))),
      12,
    );
    expect(signedRoot(5, 1, 1000)).toBeCloseTo(2.848, 3);
    expect(signedRoot(0, 1, 1000)).toBeLessThan(0);
    expect(signedRoot(3, 3, 100)).toBe(0);
  });

  it('weighs errors by the requests behind them', () => {
    // canary 100 requests, 5% errors; baseline 900 requests, 1%: 5 of 14 errors went to 10% of the requests.
    const r = rateTest(pairs([[0.05, 0.01, 100, 900]]), 1, 'up', 0);
    expect(r.canaryValue).toBeCloseTo(0.05, 12);
    expect(r.baselineValue).toBeCloseTo(0.01, 12);
    expect(r.effect).toBeCloseTo(4, 12);
    expect(r.canaryRequests).toBe(100);
    expect(r.z).toBeCloseTo(signedRoot(5, 1.4, 14), 12);
    // The floor makes "worse by more than 10%" harder to show than "worse".
    expect(rateTest(pairs([[0.05, 0.01, 100, 900]]), 1, 'up', 0.1).zFloor).toBeLessThan(r.z);
    // Direction: a down check sees a higher canary as good.
    expect(rateTest(pairs([[0.05, 0.01, 100, 900]]), 1, 'down', 0).z).toBeLessThan(0);
    // Dispersion scales the evidence down.
    expect(rateTest(pairs([[0.05, 0.01, 100, 900]]), 4, 'up', 0).z).toBeCloseTo(r.z / 2, 12);
  });

  it('gives no evidence without events', () => {
    const r = rateTest(
      pairs([
        [0, 0, 100, 900],
        [0, 0, 120, 880],
      ]),
      1,
      'up',
      0.1,
    );
    expect(r.z).toBe(0);
    expect(r.minutes).toBe(2);
  });
});

describe('paired test', () => {
  it('weighs minutes by the inverse of their noise and shrinks the scale toward the learned model', () => {
    const model = { scale: 'log' as const, a: 0, b: 1, c: 0, phi: 1, residuals: 100 };
    // Four minutes, canary 10% slower every time, 100 requests each side: var(d) = 1/100 + 1/100 = 0.02.
    const rows: Array<[number, number, number, number]> = [0, 1, 2, 3].map(() => [0.22, 0.2, 100, 100]);
    const r = pairedTest(pairs(rows), 'gauge', model, 'log', 'up', noFloor, scratch());
    const mean = Math.log(1.1);
    const lambda = MODEL_PRIOR_DF / (MODEL_PRIOR_DF + 3); // no scatter in this deploy: the scale shrinks
    const se = Math.sqrt(lambda / (4 / 0.02));
    expect(r.test).toBe('paired');
    expect(r.effect).toBeCloseTo(0.1, 12);
    expect(r.z).toBeCloseTo(tToZ(mean / se, MODEL_PRIOR_DF + 3), 10);
    expect(r.zFloor).toBeCloseTo(r.z, 12);
    // A 5% floor: the evidence is about the excess over 5%.
    const floored = pairedTest(
      pairs(rows),
      'gauge',
      model,
      'log',
      'up',
      { relative: 0.05, learned: 0, bias: 0 },
      scratch(),
    );
    expect(floored.zFloor).toBeCloseTo(tToZ((mean - Math.log(1.05)) / se, MODEL_PRIOR_DF + 3), 10);
    // Direction down: slower is fine.
    expect(pairedTest(pairs(rows), 'gauge', model, 'log', 'down', noFloor, scratch()).z).toBeLessThan(0);
  });

  it('compares counts per request', () => {
    const model = { scale: 'log' as const, a: 0, b: 1, c: 0, phi: 1, residuals: 100 };
    // Log lines: canary 330 lines for 100 requests, baseline 2,700 for 900: 3.3 vs 3 per request.
    const r = pairedTest(
      pairs([
        [330, 2700, 100, 900],
        [330, 2700, 100, 900],
        [330, 2700, 100, 900],
      ]),
      'count',
      model,
      'log',
      'up',
      noFloor,
      scratch(),
    );
    expect(r.canaryValue).toBeCloseTo(3.3, 12);
    expect(r.baselineValue).toBeCloseTo(3, 12);
    expect(r.effect).toBeCloseTo(0.1, 12);
  });

  it('leaves out minutes with a handful of requests', () => {
    const model = { scale: 'log' as const, a: 0, b: 1, c: 0, phi: 1, residuals: 100 };
    const r = pairedTest(
      pairs([
        [0.9, 0.2, 3, 900],
        [0.2, 0.2, 100, 900],
      ]),
      'gauge',
      model,
      'log',
      'up',
      noFloor,
      scratch(),
    );
    expect(r.minutes).toBe(1);
  });

  it('needs three minutes without a learned model', () => {
    const rows: Array<[number, number, number, number]> = [
      [0.3, 0.2, 100, 100],
      [0.3, 0.2, 100, 100],
    ];
    const r = pairedTest(pairs(rows), 'gauge', undefined, 'log', 'up', noFloor, scratch());
    expect(r.z).toBe(0);
  });
});

describe('rank tests', () => {
  it('signed-rank z of hand-computed cases', () => {
    // All six differences positive: W+ = 21, mean 10.5, var 22.75; continuity corrected.
    expect(signedRankZ(Float64Array.from([1, 2, 3, 4, 5, 6]), 6)).toBeCloseTo(10 / Math.sqrt(22.75), 10);
    expect(signedRankZ(Float64Array.from([-1, -2, -3, -4, -5, -6]), 6)).toBeCloseTo(
      -10 / Math.sqrt(22.75),
      10,
    );
    expect(signedRankZ(Float64Array.from([0, 0, 0]), 3)).toBe(0);
  });

  it('signed-rank z agrees with the textbook ranking, ties across signs included, and leaves its input alone', () => {
    // Textbook: rank |d| (zeros dropped), average ranks over ties, W+ = sum of ranks of positive d.
    const textbook = (d: number[]): number => {
      const a = d.filter((x) => x !== 0).sort((x, y) => Math.abs(x) - Math.abs(y));
      let wPlus = 0;
      let ties = 0;
      for (let i = 0; i < a.length;) {
        let j = i;
        while (j + 1 < a.length && Math.abs(a[j + 1]) === Math.abs(a[i])) j++;
        const t = j - i + 1;
        for (let k = i; k <= j; k++) if (a[k] > 0) wPlus += i + (t + 1) / 2;
        ties += t ** 3 - t;
        i = j + 1;
      }
      const n = a.length;
      const dev = wPlus - (n * (n + 1)) / 4;
      return (dev - Math.sign(dev) * 0.5) / Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - ties / 48);
    };
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let round = 0; round < 200; round++) {
      // Few distinct magnitudes, both signs: many ties between positive and negative differences.
      const d = Array.from({ length: 6 + Math.floor(rand() * 40) }, () => Math.round(rand() * 8 - 4) / 2);
      if (d.every((x) => x === 0)) continue;
      const arr = Float64Array.from(d);
      expect(signedRankZ(arr, arr.length)).toBeCloseTo(textbook(d), 12);
      expect(Array.from(arr)).toEqual(d);
      // Negated, the statistic is mirrored exactly (signedRankTest relies on it for two-sided tests).
      const mirrored = signedRankZ(
        arr.map((x) => -x),
        arr.length,
      );
      expect(mirrored + 0).toBe(-signedRankZ(arr, arr.length) + 0);
    }
  });

  it('rank-sum z of hand-computed cases', () => {
    // x ranks 4, 5, 6: U = 9, mean 4.5, var 5.25.
    expect(rankSumZ([4, 5, 6], [1, 2, 3])).toBeCloseTo(4 / Math.sqrt(5.25), 10);
    expect(rankSumZ([1, 2, 3], [4, 5, 6])).toBeCloseTo(-4 / Math.sqrt(5.25), 10);
  });

  it('signed-rank test on paired minutes, with the floor shifting the null', () => {
    const rows: Array<[number, number, number, number]> = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => [
      1.2 + k / 1000,
      1,
      NaN,
      NaN,
    ]);
    const r = signedRankTest(pairs(rows), 'gauge', 'raw', 'up', noFloor, scratch());
    expect(r.test).toBe('rank');
    expect(r.z).toBeGreaterThan(2);
    // A 30% floor: canary 20% higher is within it.
    expect(
      signedRankTest(pairs(rows), 'gauge', 'raw', 'up', { relative: 0.3, learned: 0, bias: 0 }, scratch())
        .zFloor,
    ).toBeLessThan(0);
  });

  it('Mann-Whitney for samples that do not line up', () => {
    const c = series([
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    const b = series([
      [1.5, 1],
      [2.5, 2],
      [3.5, 3],
    ]);
    const r = mannWhitneyTest(c, b, 0, 10, 'up', 0);
    expect(r.z).toBeCloseTo(4 / Math.sqrt(5.25), 10);
    expect(r.canaryValue).toBe(6);
    expect(r.baselineValue).toBe(2);
  });
});
