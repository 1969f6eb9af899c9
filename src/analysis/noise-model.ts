import type { CohortPairs } from './cohort-pairs.js';
import { similarSplit } from './cohort-pairs.js';
import type { ResolvedKind } from './metric-kind.js';
import { learnDispersion } from './dispersion-model.js';
import { medianInPlace } from './robust-stats.js';

/**
 * How noisy the minute-by-minute difference between canary and baseline is when both run the same code, learned
 * from earlier deploys' cohort series in the history. Comparing cohorts in the same minute cancels what they
 * share (load, incidents, daily swings), so only sampling noise is left, and it shrinks with the requests behind
 * each number.
 *
 * - gauge / count: var(d) = a + c u + b x, where d is the per-minute difference (log of canary/baseline, or
 *   canary - baseline on the raw scale; counts divided by requests first), x = 1/canaryRequests +
 *   1/baselineRequests and u = 1/sqrt(canaryRequests) + 1/sqrt(baselineRequests) (both 0 when no traffic series is
 *   known, leaving var = a). Pure sampling noise (a latency percentile) is b x alone; host noise plus sampling
 *   noise (CPU: sd = h + k/sqrt(n) per cohort) needs all three terms.
 * - ratio: errors are binomial given the requests, with dispersion `phi` >= 1 (1 = exactly binomial).
 */
export interface NoiseModel {
  scale: 'log' | 'raw';
  a: number;
  b: number;
  c: number;
  phi: number;
  /** Residuals the model was fitted on (0 = not learned: the default model). */
  residuals: number;
}

/** Variance of one minute's canary - baseline difference under the model. nc, nb: requests (NaN if unknown). */
export function pairVariance(m: NoiseModel, nc: number, nb: number): number {
  if (!(nc > 0) || !(nb > 0)) return m.a;
  return m.a + m.b * (1 / nc + 1 / nb) + m.c * (1 / Math.sqrt(nc) + 1 / Math.sqrt(nb));
}

/** Second differences of a locally constant series leave 1.5 x the per-sample noise variance. */
const SECOND_DIFF_VAR = 1.5;
/** Median of chi-square(1): turns a median of squared residuals into a variance. */
const CHI2_1_MEDIAN = 0.454936423119572;
const BINS = 8;
/** Fewer residuals than this and no model is learned (the test then estimates the noise within the deploy). */
export const MIN_RESIDUALS = 40;

/** Per-minute difference d for a pair on the chosen scale; NaN when not defined (non-positive on log scale). */
export function pairDifference(
  kind: ResolvedKind,
  scale: 'log' | 'raw',
  c: number,
  b: number,
  nc: number,
  nb: number,
): number {
  let x = c;
  let y = b;
  if (kind === 'count') {
    if (!(nc > 0) || !(nb > 0)) return NaN;
    x = c / nc;
    y = b / nb;
  }
  if (scale === 'log') return x > 0 && y > 0 ? Math.log(x / y) : NaN;
  return x - y;
}

/**
 * Learns the model from history pairs (earlier deploys). `stepMs` is the sample spacing. Returns undefined when
 * there are fewer than MIN_RESIDUALS usable residuals (no earlier deploys in the history, say).
 */
export function learnNoiseModel(
  kind: ResolvedKind,
  pairs: CohortPairs,
  stepMs: number,
): NoiseModel | undefined {
  if (kind === 'ratio') return learnDispersion(pairs, stepMs);
  let best: NoiseModel | undefined;
  let bestLl = -Infinity;
  for (const scale of ['log', 'raw'] as const) {
    const res = residuals(kind, scale, pairs, stepMs);
    if (res.n < MIN_RESIDUALS) continue;
    const model = fitScale(scale, res);
    if (!model) continue;
    // Choose the scale on which the noise is best explained (Gaussian log-likelihood, with the Jacobian of the
    // log so that the two scales are comparable): latency noise is multiplicative, CPU points are additive.
    const ll = likelihood(model, res);
    if (ll > bestLl) {
      bestLl = ll;
      best = model;
    }
  }
  return best;
}

/**
 * Second-difference residuals within runs of consecutive minutes at a similar traffic split, column-wise: x and u
 * of the minute (see NoiseModel), v = r^2 / 1.5, the baseline level, and x, u of the two neighbours (their noise
 * enters a second difference with weight 1/4 each).
 */
interface Residuals {
  n: number;
  x: Float64Array;
  u: Float64Array;
  v: Float64Array;
  level: Float64Array;
  xn: Float64Array;
  un: Float64Array;
}

function residuals(kind: ResolvedKind, scale: 'log' | 'raw', p: CohortPairs, stepMs: number): Residuals {
  const cap = Math.max(0, p.n - 2);
  const out: Residuals = {
    n: 0,
    x: new Float64Array(cap),
    u: new Float64Array(cap),
    v: new Float64Array(cap),
    level: new Float64Array(cap),
    xn: new Float64Array(cap),
    un: new Float64Array(cap),
  };
  const tol = stepMs / 4;
  const d = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++)
    d[i] = pairDifference(
      kind,
      scale,
      p.canary[i],
      p.baseline[i],
      p.canaryRequests[i],
      p.baselineRequests[i],
    );
  let k = 0;
  for (let i = 1; i + 1 < p.n; i++) {
    if (Math.abs(p.t[i] - p.t[i - 1] - stepMs) > tol || Math.abs(p.t[i + 1] - p.t[i] - stepMs) > tol)
      continue;
    if (!similarSplit(p, i - 1, i) || !similarSplit(p, i, i + 1)) continue;
    if (tooFew(p, i - 1) || tooFew(p, i) || tooFew(p, i + 1)) continue;
    const r = d[i] - 0.5 * (d[i - 1] + d[i + 1]);
    if (!Number.isFinite(r)) continue;
    out.x[k] = xOf(p, i);
    out.u[k] = uOf(p, i);
    out.xn[k] = xOf(p, i - 1) + xOf(p, i + 1);
    out.un[k] = uOf(p, i - 1) + uOf(p, i + 1);
    out.v[k] = (r * r) / SECOND_DIFF_VAR;
    out.level[k] = Math.abs(kind === 'count' ? p.baseline[i] / p.baselineRequests[i] : p.baseline[i]);
    k++;
  }
  out.n = k;
  return out;
}

/** The comparison leaves out minutes with fewer than 10 requests in a cohort; so does the model. */
function tooFew(p: CohortPairs, i: number): boolean {
  return p.canaryRequests[i] < 10 || p.baselineRequests[i] < 10;
}

function xOf(p: CohortPairs, i: number): number {
  const nc = p.canaryRequests[i];
  const nb = p.baselineRequests[i];
  return nc > 0 && nb > 0 ? 1 / nc + 1 / nb : 0;
}

function uOf(p: CohortPairs, i: number): number {
  const nc = p.canaryRequests[i];
  const nb = p.baselineRequests[i];
  return nc > 0 && nb > 0 ? 1 / Math.sqrt(nc) + 1 / Math.sqrt(nb) : 0;
}

function fitScale(scale: 'log' | 'raw', res: Residuals): NoiseModel | undefined {
  const fit = binnedFit(res);
  if (!(fit.a + fit.b + fit.c > 0)) return undefined;
  // Calibrate the level on residuals normalised by the fitted shape: a bin's median of squares underestimates its
  // mean when the bin mixes minutes of different noise (a scale mixture has heavier tails); normalised residuals
  // do not mix.
  const norm = new Float64Array(res.n);
  let m = 0;
  for (let i = 0; i < res.n; i++) {
    const own = fit.a + fit.b * res.x[i] + fit.c * res.u[i];
    const nb = 2 * fit.a + fit.b * res.xn[i] + fit.c * res.un[i];
    const expected = (own + nb / 4) / SECOND_DIFF_VAR;
    if (expected > 0) norm[m++] = res.v[i] / expected;
  }
  const k = m ? medianInPlace(norm, m) / CHI2_1_MEDIAN : 1;
  return { scale, a: fit.a * k, b: fit.b * k, c: fit.c * k, phi: 1, residuals: res.n };
}

function likelihood(m: NoiseModel, res: Residuals): number {
  let ll = 0;
  for (let i = 0; i < res.n; i++) {
    const v = Math.max(m.a + m.b * res.x[i] + m.c * res.u[i], 1e-300);
    // On the log scale a residual r stands for level * r on the raw scale: add log(level^2) per residual.
    const jac = m.scale === 'log' ? 2 * Math.log(Math.max(res.level[i], 1e-300)) : 0;
    ll -= 0.5 * (Math.log(v) + jac + Math.min(res.v[i] / v, 50));
  }
  return ll / Math.max(1, res.n);
}

/**
 * Fits var = a + c u + b x (a, b, c >= 0) through the medians of equal-count bins of x; medians resist the odd
 * incident onset or spike. Least squares on relative errors (a bin's median has about the same relative error
 * whatever its level), over every subset of the three terms, keeping the best fit with no negative term.
 */
function binnedFit(res: Residuals): { a: number; b: number; c: number } {
  const n = res.n;
  const sorted = res.x.slice(0, n).sort();
  const cuts = new Float64Array(BINS - 1);
  for (let k = 1; k < BINS; k++) cuts[k - 1] = sorted[Math.floor((k * n) / BINS)];
  const binOf = new Int32Array(n);
  const counts = new Int32Array(BINS);
  for (let i = 0; i < n; i++) {
    let bin = 0;
    while (bin < BINS - 1 && res.x[i] >= cuts[bin]) bin++;
    binOf[i] = bin;
    counts[bin]++;
  }
  const vals = Array.from(counts, (c) => new Float64Array(c));
  const fill = new Int32Array(BINS);
  const sx = new Float64Array(BINS);
  const su = new Float64Array(BINS);
  for (let i = 0; i < n; i++) {
    const bin = binOf[i];
    vals[bin][fill[bin]++] = res.v[i];
    sx[bin] += res.x[i];
    su[bin] += res.u[i];
  }
  const rows: Array<{ x: number; u: number; v: number }> = [];
  for (let k = 0; k < BINS; k++) {
    const c = counts[k];
    if (c < 5) continue;
    rows.push({ v: medianInPlace(vals[k], c) / CHI2_1_MEDIAN, x: sx[k] / c, u: su[k] / c });
  }
  let best = { a: 0, b: 0, c: 0 };
  let bestErr = Infinity;
  for (let mask = 1; mask < 8; mask++) {
    const coef = leastSquares(rows, mask);
    if (!coef) continue;
    let err = 0;
    for (const r of rows) {
      const f = coef[0] + coef[1] * r.x + coef[2] * r.u;
      err += ((r.v - f) / r.v) ** 2;
    }
    if (err < bestErr - 1e-12) {
      bestErr = err;
      best = { a: coef[0], b: coef[1], c: coef[2] };
    }
  }
  return best;
}

/**
 * Weighted least squares (weights 1/v^2) of v on the terms in `mask` (bit 0: 1, bit 1: x, bit 2: u). Returns
 * [a, b, c] with unused terms 0, or undefined when singular or when a used term comes out negative.
 */
function leastSquares(rows: Array<{ x: number; u: number; v: number }>, mask: number): number[] | undefined {
  const use = [0, 1, 2].filter((k) => mask & (1 << k));
  const k = use.length;
  const term = (r: { x: number; u: number }, t: number): number => (t === 0 ? 1 : t === 1 ? r.x : r.u);
  const m = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (const r of rows) {
    const w = 1 / (r.v * r.v);
    for (let i = 0; i < k; i++) {
      const fi = term(r, use[i]);
      for (let j = 0; j < k; j++) m[i][j] += w * fi * term(r, use[j]);
      m[i][k] += w * fi * r.v;
    }
  }
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    if (!(Math.abs(m[piv][col]) > 1e-300)) return undefined;
    [m[col], m[piv]] = [m[piv], m[col]];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= k; c++) m[r][c] -= f * m[col][c];
    }
  }
  const out = [0, 0, 0];
  for (let i = 0; i < k; i++) {
    const c = m[i][k] / m[i][i];
    if (!(c >= 0)) return undefined;
    out[use[i]] = c;
  }
  return out;
}
