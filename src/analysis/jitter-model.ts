import type { CohortPairs } from './cohort-pairs.js';
import { similarSplit } from './cohort-pairs.js';
import type { ResolvedKind } from './metric-kind.js';
import type { NoiseModel } from './noise-model.js';
import { pairDifference, pairVariance } from './noise-model.js';

/**
 * How much earlier deploys' canaries differed from their baselines as a whole (not minute by minute): each
 * deploy's overall effect, then the spread of those effects across deploys beyond what sampling noise explains
 * (harmless build-to-build jitter), and their typical offset (a canary pool on different hardware). Robust
 * (median and MAD), so the bad deploys among them do not count.
 */
export interface JitterModel {
  /** Typical canary offset, on the test's scale (log ratio, or raw units); 0 when not clearly non-zero. */
  bias: number;
  /** Between-deploy spread of effects beyond sampling noise (robust sd), on the test's scale. */
  spread: number;
  /** Earlier deploys it was learned from. */
  deploys: number;
}

/** Fewer earlier deploys than this and nothing is learned. */
export const MIN_DEPLOYS = 8;
/** Pairs a deploy needs to count. */
const MIN_PAIRS = 5;
/** Events each cohort needs in a deploy for its rate ratio to count. */
const MIN_EVENTS = 10;

/**
 * Learns the jitter model from history pairs. Deploys are runs of pairs without a gap longer than two intervals.
 * Returns undefined with fewer than MIN_DEPLOYS usable deploys.
 */
export function learnJitter(
  kind: ResolvedKind,
  pairs: CohortPairs,
  noise: NoiseModel | undefined,
  scale: 'log' | 'raw',
  stepMs: number,
  warmup = 0,
): JitterModel | undefined {
  const skip = warmupMask(pairs, stepMs, warmup);
  const effects: number[] = [];
  const vars: number[] = [];
  let start = 0;
  for (let i = 1; i <= pairs.n; i++) {
    if (i < pairs.n && pairs.t[i] - pairs.t[i - 1] <= 2 * stepMs) continue;
    const e =
      kind === 'ratio'
        ? rateEffect(pairs, start, i, noise?.phi ?? 1)
        : meanEffect(kind, pairs, start, i, noise, scale, skip);
    if (e) {
      effects.push(e.effect);
      vars.push(e.variance);
    }
    start = i;
  }
  if (effects.length < MIN_DEPLOYS) return undefined;
  const center = median(effects);
  const mad = 1.482602218505602 * median(effects.map((e) => Math.abs(e - center)));
  // The spread of effects holds each deploy's own sampling noise too: take it out (the typical deploy's). A
  // learned spread only ever raises the floor above its default, so an estimate on the low side costs nothing.
  const tau = Math.sqrt(Math.max(0, mad * mad - median(vars)));
  // The offset counts only when it is clearly there (over twice its standard error).
  const seCenter = (1.2533 * Math.max(mad, 1e-12)) / Math.sqrt(effects.length);
  const bias = Math.abs(center) > 2 * seCenter ? center : 0;
  return { bias, spread: tau, deploys: effects.length };
}

function meanEffect(
  kind: ResolvedKind,
  p: CohortPairs,
  from: number,
  to: number,
  noise: NoiseModel | undefined,
  scale: 'log' | 'raw',
  skip: Uint8Array,
): { effect: number; variance: number } | undefined {
  let sw = 0;
  let swd = 0;
  let m = 0;
  for (let i = from; i < to; i++) {
    if (skip[i]) continue;
    const nc = p.canaryRequests[i];
    const nb = p.baselineRequests[i];
    const d = pairDifference(kind, scale, p.canary[i], p.baseline[i], nc, nb);
    if (!Number.isFinite(d)) continue;
    const v = noise ? pairVariance(noise, nc, nb) : 1;
    if (!(v > 0)) continue;
    sw += 1 / v;
    swd += d / v;
    m++;
  }
  if (m < MIN_PAIRS) return undefined;
  // Without a noise model the weights are equal and sampling variance unknown: count it as zero (conservative:
  // all the spread is taken for jitter).
  return { effect: swd / sw, variance: noise ? 1 / sw : 0 };
}

/**
 * A deploy's rate ratio by Mantel-Haenszel over its minutes (pooling counts across minutes would mix the canary's
 * and the baseline's different spread over stages with the error rate's drift), with the variance of its log
 * from the conditional binomial information.
 */
function rateEffect(
  p: CohortPairs,
  from: number,
  to: number,
  phi: number,
): { effect: number; variance: number } | undefined {
  let num = 0;
  let den = 0;
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    const c = p.canaryRequests[i];
    const b = p.baselineRequests[i];
    if (!(c > 0) || !(b > 0)) continue;
    const xi = Math.round(p.canary[i] * c);
    const yi = Math.round(p.baseline[i] * b);
    num += (xi * b) / (c + b);
    den += (yi * c) / (c + b);
    x += xi;
    y += yi;
  }
  if (x < MIN_EVENTS || y < MIN_EVENTS || !(num > 0) || !(den > 0)) return undefined;
  const theta = num / den;
  // Information about log theta: sum over minutes of T pi (1 - pi) at the fitted theta.
  let info = 0;
  for (let i = from; i < to; i++) {
    const c = p.canaryRequests[i];
    const b = p.baselineRequests[i];
    if (!(c > 0) || !(b > 0)) continue;
    const ti = Math.round(p.canary[i] * c) + Math.round(p.baseline[i] * b);
    const pi = (c * theta) / (c * theta + b);
    info += ti * pi * (1 - pi);
  }
  if (!(info > 0)) return undefined;
  return { effect: Math.log(theta), variance: phi / info };
}

/** Marks the first `warmup` pairs of every stage (a new deploy, or a change of the traffic split). */
function warmupMask(p: CohortPairs, stepMs: number, warmup: number): Uint8Array {
  const mask = new Uint8Array(p.n);
  if (warmup <= 0) return mask;
  let since = 0;
  for (let i = 0; i < p.n; i++) {
    const fresh = i === 0 || p.t[i] - p.t[i - 1] > 2 * stepMs || !similarSplit(p, i - 1, i);
    since = fresh ? 0 : since + 1;
    if (since < warmup) mask[i] = 1;
  }
  return mask;
}

function median(v: number[]): number {
  const a = v.slice().sort((p, q) => p - q);
  const h = a.length >> 1;
  return a.length % 2 ? a[h] : 0.5 * (a[h - 1] + a[h]);
}
