import type { Samples } from '../metrics/samples.js';
import type { CohortPairs } from './cohort-pairs.js';
import type { Comparison, Side } from './comparison.js';
import type { ResolvedKind } from './metric-kind.js';
import { pairDifference } from './noise-model.js';
import { normSf } from './normal.js';
import type { EffectFloor } from './effect-floor.js';
import { floorDelta } from './effect-floor.js';
import { MIN_MINUTE_REQUESTS } from './paired-test.js';

/**
 * Wilcoxon signed-rank test on per-minute canary - baseline differences, for continuous metrics when no noise
 * model or request counts are known. Pairing by minute cancels what both cohorts share, which is why it is used
 * rather than Mann-Whitney whenever samples line up. The floor shifts the null: d - log(1 + floor) on the log
 * scale, or canary - (1 + floor) x baseline on the raw scale. Normal approximation with tie correction; fewer
 * than 6 minutes cannot reach any useful level, and give z = 0.
 */
export function signedRankTest(
  pairs: CohortPairs,
  kind: ResolvedKind,
  scale: 'log' | 'raw',
  side: Side,
  floor: EffectFloor,
  scratch: { buf: Float64Array; w: Float64Array },
): Comparison {
  const n = pairs.n;
  if (scratch.buf.length < n) {
    scratch.buf = new Float64Array(n * 2);
    scratch.w = new Float64Array(n * 2);
  }
  let cSum = 0;
  let bSum = 0;
  let ncSum = 0;
  let nbSum = 0;
  let logSum = 0;
  let m = 0;
  if (scratch.buf.length < 3 * n) scratch.buf = new Float64Array(3 * n + 8);
  const dUp = scratch.buf.subarray(0, n);
  const shifts = scratch.buf.subarray(n, 2 * n);
  const dDown = scratch.w;
  for (let i = 0; i < n; i++) {
    const nc = pairs.canaryRequests[i];
    const nb = pairs.baselineRequests[i];
    if (nc < MIN_MINUTE_REQUESTS || nb < MIN_MINUTE_REQUESTS) continue;
    const d = pairDifference(kind, scale, pairs.canary[i], pairs.baseline[i], nc, nb) - floor.bias;
    if (!Number.isFinite(d)) continue;
    const bl = kind === 'count' ? pairs.baseline[i] / nb : pairs.baseline[i];
    const shift = floorDelta(floor, scale, Math.abs(bl));
    dUp[m] = d - shift;
    dDown[m] = -d - shift;
    shifts[m] = shift;
    logSum += d;
    const cr = nc > 0 ? nc : 1;
    const br = nb > 0 ? nb : 1;
    cSum += kind === 'count' ? pairs.canary[i] : pairs.canary[i] * cr;
    bSum += kind === 'count' ? pairs.baseline[i] : pairs.baseline[i] * br;
    ncSum += cr;
    nbSum += br;
    m++;
  }
  const canaryValue = m ? cSum / ncSum : NaN;
  const baselineValue = m ? bSum / nbSum : NaN;
  const effect =
    scale === 'log'
      ? Math.expm1(m ? logSum / m : NaN)
      : baselineValue
        ? canaryValue / baselineValue - 1
        : NaN;
  const zUp = m >= 6 ? signedRankZ(dUp, m) : 0;
  const zDown = m >= 6 ? signedRankZ(dDown, m) : 0;
  const zFloor = side === 'up' ? zUp : side === 'down' ? zDown : Math.max(zUp, zDown);
  // Without the floor: add the shifts back (dUp + shift = d).
  const raw = scratch.buf.subarray(2 * n, 3 * n);
  for (let i = 0; i < m; i++) raw[i] = side === 'down' ? -(dUp[i] + shifts[i]) : dUp[i] + shifts[i];
  let z = m >= 6 ? signedRankZ(raw, m) : 0;
  // Negating every difference mirrors the statistic: z(-raw) = -z(raw) exactly (ranks are multiples of 1/2).
  if (side === 'both') z = Math.abs(z);
  return {
    test: 'rank',
    z,
    zFloor,
    p: normSf(z),
    canaryValue,
    baselineValue,
    effect,
    canaryRequests: ncSum,
    baselineRequests: nbSum,
    minutes: m,
    noiseScale: undefined,
    dispersion: undefined,
  };
}

// Scratch for signedRankZ: the positive and the negated negative differences, each sorted natively (a sort with a
// comparator calls back into JavaScript for every comparison and copies the array).
let posBuf = new Float64Array(64);
let negBuf = new Float64Array(64);

/** z of the signed-rank statistic of d[0..m) (positive when the values are mostly positive); d is left as it is. */
export function signedRankZ(d: Float64Array, m: number): number {
  if (posBuf.length < m) {
    posBuf = new Float64Array(2 * m);
    negBuf = new Float64Array(2 * m);
  }
  let np = 0;
  let nn = 0;
  for (let i = 0; i < m; i++) {
    const x = d[i];
    if (x > 0) posBuf[np++] = x;
    else if (x < 0) negBuf[nn++] = -x; // zero differences are dropped (Wilcoxon)
  }
  const pos = posBuf.subarray(0, np).sort();
  const neg = negBuf.subarray(0, nn).sort();
  // Ranks of |d| by merging the two sorted halves; equal magnitudes share their average rank.
  let wPlus = 0;
  let ties = 0;
  let rank = 0;
  let i = 0;
  let j = 0;
  while (i < np || j < nn) {
    const v = j >= nn || (i < np && pos[i] <= neg[j]) ? pos[i] : neg[j];
    let tp = 0;
    while (i + tp < np && pos[i + tp] === v) tp++;
    let tn = 0;
    while (j + tn < nn && neg[j + tn] === v) tn++;
    const t = tp + tn;
    const avg = rank + (t + 1) / 2;
    for (let k = 0; k < tp; k++) wPlus += avg;
    ties += t * t * t - t;
    rank += t;
    i += tp;
    j += tn;
  }
  const nz = np + nn;
  if (nz === 0) return 0;
  const mean = (nz * (nz + 1)) / 4;
  const variance = (nz * (nz + 1) * (2 * nz + 1)) / 24 - ties / 48;
  if (!(variance > 0)) return 0;
  const dev = wPlus - mean;
  return (dev - Math.sign(dev) * 0.5) / Math.sqrt(variance);
}

/**
 * Mann-Whitney rank-sum test of canary values against baseline values scaled by (1 + floor), for cohorts whose
 * samples do not line up in time. Normal approximation with tie and continuity correction; z > 0 when the canary
 * ranks higher. Fewer than 3 values on either side gives z = 0.
 */
export function mannWhitneyTest(
  canary: Samples,
  baseline: Samples,
  from: number,
  to: number,
  side: Side,
  floor: number,
): Comparison {
  const c: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < canary.t.length; i++)
    if (canary.t[i] > from && canary.t[i] <= to && Number.isFinite(canary.v[i])) c.push(canary.v[i]);
  for (let i = 0; i < baseline.t.length; i++)
    if (baseline.t[i] > from && baseline.t[i] <= to && Number.isFinite(baseline.v[i])) b.push(baseline.v[i]);
  const mean = (x: number[]): number => x.reduce((p, q) => p + q, 0) / x.length;
  const canaryValue = c.length ? mean(c) : NaN;
  const baselineValue = b.length ? mean(b) : NaN;
  const ok = c.length >= 3 && b.length >= 3;
  const zUp = ok
    ? rankSumZ(
        c,
        b.map((v) => v * (1 + floor)),
      )
    : 0;
  const zDown = ok
    ? -rankSumZ(
        c,
        b.map((v) => v / (1 + floor)),
      )
    : 0;
  const zFloor = side === 'up' ? zUp : side === 'down' ? zDown : Math.max(zUp, zDown);
  const any = ok ? rankSumZ(c, b) : 0;
  const z = side === 'up' ? any : side === 'down' ? -any : Math.abs(any);
  return {
    test: 'rank',
    z,
    zFloor,
    p: normSf(z),
    canaryValue,
    baselineValue,
    effect: baselineValue ? canaryValue / baselineValue - 1 : NaN,
    canaryRequests: NaN,
    baselineRequests: NaN,
    minutes: Math.min(c.length, b.length),
    noiseScale: undefined,
    dispersion: undefined,
  };
}

/** Standardised Mann-Whitney U of x against y (positive when x tends to be larger). */
export function rankSumZ(x: number[], y: number[]): number {
  const all = x.map((v) => ({ v, g: 0 })).concat(y.map((v) => ({ v, g: 1 })));
  all.sort((p, q) => p.v - q.v);
  const nx = x.length;
  const ny = y.length;
  const n = nx + ny;
  let rx = 0;
  let ties = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    const avg = i + (t + 1) / 2;
    for (let k = i; k <= j; k++) if (all[k].g === 0) rx += avg;
    ties += t * t * t - t;
    i = j + 1;
  }
  const u = rx - (nx * (nx + 1)) / 2;
  const mu = (nx * ny) / 2;
  const variance = ((nx * ny) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return 0;
  const dev = u - mu;
  return (dev - Math.sign(dev) * 0.5) / Math.sqrt(variance);
}
