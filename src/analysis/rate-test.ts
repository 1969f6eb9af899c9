import type { CohortPairs } from './cohort-pairs.js';
import type { Comparison, Side } from './comparison.js';
import { normSf } from './normal.js';

/** Degrees of freedom the learned dispersion counts as, against the dispersion seen in this deploy. */
const PRIOR_DF = 30;

/**
 * Rate test for errors (or any ratio of events to requests): per minute, event counts are value x requests for
 * each cohort; given a minute's total, the canary's share is binomial with a probability fixed by the request
 * split and the rate ratio theta. Conditioning on each minute's total cancels whatever both cohorts share (load,
 * incidents, the time of day), so only the rate ratio is tested: H0 theta <= 1 + floor (up) or >= 1 / (1 + floor)
 * (down), by the signed root of the binomial deviance (the likelihood-ratio z, close to the mid-p exact
 * test for a handful of errors and to the normal test for thousands), divided by sqrt(dispersion). `z` tests theta <= 1 (>= 1 for down), `zFloor` the
 * floor-shifted null.
 *
 * Pairs without request counts are skipped. `phi` >= 1 is the learned dispersion (1 when unknown). With no
 * events at all, z = 0.
 */
export function rateTest(pairs: CohortPairs, phi: number, side: Side, floor: number): Comparison {
  const up = 1 + floor;
  const down = 1 / (1 + floor);
  let x = 0;
  let total = 0;
  let mUp = 0;
  let mDown = 0;
  let mOne = 0;
  let nc = 0;
  let nb = 0;
  let minutes = 0;
  let eb = 0;
  for (let i = 0; i < pairs.n; i++) {
    const c = pairs.canaryRequests[i];
    const b = pairs.baselineRequests[i];
    if (!(c > 0) || !(b > 0)) continue;
    const xi = Math.round(pairs.canary[i] * c);
    const yi = Math.round(pairs.baseline[i] * b);
    minutes++;
    nc += c;
    nb += b;
    eb += yi;
    x += xi;
    const ti = xi + yi;
    if (ti <= 0) continue;
    total += ti;
    mUp += (ti * c * up) / (c * up + b);
    mDown += (ti * c * down) / (c * down + b);
    mOne += (ti * c) / (c + b);
  }
  const canaryValue = nc > 0 ? x / nc : NaN;
  const baselineValue = nb > 0 ? eb / nb : NaN;
  const theta = eb > 0 && nc > 0 ? x / nc / (eb / nb) : x > 0 ? Infinity : 1;
  let disp = phi;
  if (minutes > 2 && total > 0) disp = Math.max(phi, inDeployDispersion(pairs, theta, phi));
  const s = Math.sqrt(disp);
  const zUp = signedRoot(x, mUp, total) / s;
  const zDown = -signedRoot(x, mDown, total) / s;
  const anyUp = signedRoot(x, mOne, total) / s;
  const zFloor = side === 'up' ? zUp : side === 'down' ? zDown : Math.max(zUp, zDown);
  const z = side === 'up' ? anyUp : side === 'down' ? -anyUp : Math.abs(anyUp);
  return {
    test: 'rate',
    z,
    zFloor,
    p: normSf(z),
    canaryValue,
    baselineValue,
    effect: theta - 1,
    canaryRequests: nc,
    baselineRequests: nb,
    minutes,
    noiseScale: undefined,
    dispersion: disp,
  };
}

/**
 * Signed root of the binomial deviance of `x` events out of `total` when `m` are expected. Positive when x > m.
 * Without continuity correction it tracks the mid-p exact test, which is what a sequential boundary calibrated
 * for continuous statistics expects; a half-event correction would make rare-event tests needlessly deaf.
 */
export function signedRoot(x: number, m: number, total: number): number {
  if (!(total > 0) || !(m > 0) || !(m < total)) return 0;
  if (x === m) return 0;
  const rest = total - x;
  const d = 2 * ((x > 0 ? x * Math.log(x / m) : 0) + (rest > 0 ? rest * Math.log(rest / (total - m)) : 0));
  const r = Math.sqrt(Math.max(0, d));
  return x > m ? r : -r;
}

/** Pearson dispersion of this deploy's minutes around the fitted rate ratio, shrunk toward the learned one. */
function inDeployDispersion(pairs: CohortPairs, theta: number, phi: number): number {
  if (!Number.isFinite(theta) || theta <= 0) return phi;
  let stat = 0;
  let m = 0;
  for (let i = 0; i < pairs.n; i++) {
    const c = pairs.canaryRequests[i];
    const b = pairs.baselineRequests[i];
    if (!(c > 0) || !(b > 0)) continue;
    const xi = Math.round(pairs.canary[i] * c);
    const ti = xi + Math.round(pairs.baseline[i] * b);
    if (ti <= 0) continue;
    const pi = (c * theta) / (c * theta + b);
    const e = ti * pi;
    const v = e * (1 - pi);
    // Minutes expecting less than one event's variance make Pearson residuals wildly skewed: leave them out.
    if (!(v >= 1)) continue;
    stat += ((xi - e) * (xi - e)) / v;
    m++;
  }
  const df = m - 1;
  if (df <= 0) return phi;
  return (PRIOR_DF * phi + stat) / (PRIOR_DF + df);
}
