import type { CohortPairs } from './cohort-pairs.js';
import type { Comparison, Side } from './comparison.js';
import type { ResolvedKind } from './metric-kind.js';
import type { NoiseModel } from './noise-model.js';
import { normSf, tToZ } from './normal.js';
import type { EffectFloor } from './effect-floor.js';
import { floorDelta } from './effect-floor.js';

/** Degrees of freedom a learned noise model counts as, against the scatter seen in this deploy. */
export const MODEL_PRIOR_DF = 20;
/** Minutes where either cohort served fewer requests are left out of gauge and count comparisons. */
export const MIN_MINUTE_REQUESTS = 10;
/** Standardised residuals beyond this are pulled in (Huber), so one odd minute cannot decide alone. */
const HUBER_K = 3;

/**
 * Paired test for gauges (latency, CPU) and per-request counts (log lines): per minute, d = canary - baseline on
 * the learned scale (log ratio or raw difference). Minutes are weighed by the inverse of their noise variance
 * (noise-model.ts), so a minute with 50 canary requests counts far less than one with
 * 5,000. The noise scale is the learned model's, updated by this deploy's own scatter (a t statistic with
 * MODEL_PRIOR_DF + minutes - 1 degrees of freedom, put on the z scale); without a model the weights are equal and
 * the scale is this deploy's alone (needs 3 minutes). `z` tests "no worse", `zFloor` "worse by at most the
 * effect floor" (effect-floor.ts); both after removing the learned canary bias.
 */
export function pairedTest(
  pairs: CohortPairs,
  kind: ResolvedKind,
  model: NoiseModel | undefined,
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
  const d = scratch.buf;
  const w = scratch.w;
  const useRequests = !!model && model.b + model.c > 0;
  let m = 0;
  let sw = 0;
  let swd = 0;
  let level = 0;
  let cSum = 0;
  let bSum = 0;
  let ncSum = 0;
  let nbSum = 0;
  const perRequest = kind === 'count';
  const logScale = scale === 'log';
  const bias = floor.bias;
  const cv = pairs.canary;
  const bv = pairs.baseline;
  const cn = pairs.canaryRequests;
  const bn = pairs.baselineRequests;
  for (let i = 0; i < n; i++) {
    const nc = cn[i];
    const nb = bn[i];
    // A percentile or a per-request rate of a handful of requests is noise, not a measurement.
    if (nc < MIN_MINUTE_REQUESTS || nb < MIN_MINUTE_REQUESTS) continue;
    // pairDifference, inlined: this loop runs for every minute of every check at every evaluation.
    let x = cv[i];
    let y = bv[i];
    if (perRequest) {
      if (!(nc > 0) || !(nb > 0)) continue;
      x /= nc;
      y /= nb;
    }
    let di: number;
    if (logScale) {
      if (!(x > 0) || !(y > 0)) continue;
      di = Math.log(x / y) - bias;
    } else di = x - y - bias;
    let vi = 1;
    if (model) {
      if (useRequests) {
        if (!(nc > 0) || !(nb > 0)) continue;
        vi = model.a + model.b * (1 / nc + 1 / nb);
        if (model.c !== 0) vi += model.c * (1 / Math.sqrt(nc) + 1 / Math.sqrt(nb));
      } else vi = model.a;
    }
    if (!(vi > 0)) continue;
    const wi = 1 / vi;
    d[m] = di;
    w[m] = wi;
    m++;
    sw += wi;
    swd += wi * di;
    level += wi * Math.abs(y);
    const cr = nc > 0 ? nc : 1;
    const br = nb > 0 ? nb : 1;
    // Request-weighted levels for display (per request for counts).
    if (perRequest) {
      cSum += cv[i];
      bSum += bv[i];
    } else {
      cSum += cv[i] * cr;
      bSum += bv[i] * br;
    }
    ncSum += cr;
    nbSum += br;
  }
  const canaryValue = m ? cSum / ncSum : NaN;
  const baselineValue = m ? bSum / nbSum : NaN;
  const priorDf = model && model.residuals > 0 ? MODEL_PRIOR_DF : 0;
  const df0 = priorDf + m - 1;
  if (m === 0 || df0 < 2) {
    const effect = m ? effectOf(scale, swd / sw, level / sw) : NaN;
    return result(0, 0, canaryValue, baselineValue, effect, ncSum, nbSum, m, NaN);
  }
  let mean = swd / sw;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += w[i] * (d[i] - mean) * (d[i] - mean);
  let lambda = (priorDf + ss) / df0;
  if (m >= 3) {
    // One Huber step: clip minutes standardised beyond HUBER_K, then re-estimate the mean and the scale.
    const sl = Math.sqrt(lambda);
    let sw2 = 0;
    let swd2 = 0;
    for (let i = 0; i < m; i++) {
      const lim = (HUBER_K * sl) / Math.sqrt(w[i]);
      if (d[i] > mean + lim) d[i] = mean + lim;
      else if (d[i] < mean - lim) d[i] = mean - lim;
      sw2 += w[i];
      swd2 += w[i] * d[i];
    }
    mean = swd2 / sw2;
    ss = 0;
    for (let i = 0; i < m; i++) ss += w[i] * (d[i] - mean) * (d[i] - mean);
    lambda = (priorDf + ss) / df0;
  }
  const lvl = level / sw;
  const delta = floorDelta(floor, scale, lvl);
  const se = Math.sqrt(lambda / sw);
  const tUp = (mean - delta) / se;
  const tDown = (-mean - delta) / se;
  const zUp = tToZ(tUp, df0);
  const zDown = tToZ(tDown, df0);
  const zFloor = side === 'up' ? zUp : side === 'down' ? zDown : Math.max(zUp, zDown);
  const any = tToZ(mean / se, df0);
  const z = side === 'up' ? any : side === 'down' ? -any : Math.abs(any);
  return result(
    z,
    zFloor,
    canaryValue,
    baselineValue,
    effectOf(scale, mean, lvl),
    ncSum,
    nbSum,
    m,
    Math.sqrt(lambda),
  );
}

// One literal shape for every result: spreading objects costs microseconds per call on this hot path.
function result(
  z: number,
  zFloor: number,
  canaryValue: number,
  baselineValue: number,
  effect: number,
  canaryRequests: number,
  baselineRequests: number,
  minutes: number,
  noiseScale: number,
): Comparison {
  return {
    test: 'paired',
    z,
    zFloor,
    p: normSf(z),
    canaryValue,
    baselineValue,
    effect,
    canaryRequests,
    baselineRequests,
    minutes,
    noiseScale: Number.isNaN(noiseScale) ? undefined : noiseScale,
    dispersion: undefined,
  };
}

function effectOf(scale: 'log' | 'raw', mean: number, level: number): number {
  return scale === 'log' ? Math.expm1(mean) : level > 0 ? mean / level : NaN;
}
