import type { CohortPairs } from './cohort-pairs.js';
import { similarSplit } from './cohort-pairs.js';
import type { ResolvedKind } from './metric-kind.js';
import type { NoiseModel } from './noise-model.js';
import { pairDifference, pairVariance } from './noise-model.js';

/** The most intervals after a traffic shift that can be set aside as warm-up. */
export const MAX_WARMUP = 3;
/** Shifts in the history needed to tell. */
const MIN_SHIFTS = 10;
/** Median excess (in noise sds) beyond which an interval after a shift counts as warm-up. */
const WARM_SD = 1;

/**
 * How many intervals after each traffic shift the canary is not yet itself (cold caches, JIT, new connection
 * pools), learned from earlier deploys in the history: for every stage of every earlier deploy, the difference
 * of its first, second and third interval from the rest of that stage, in noise standard deviations; an interval
 * whose median excess across shifts is beyond one sd is warm-up, and so are those before it. 0 when the canaries
 * showed nothing of the kind, or with fewer than 10 shifts in the history.
 */
export function learnWarmup(
  kind: ResolvedKind,
  pairs: CohortPairs,
  noise: NoiseModel,
  scale: 'log' | 'raw',
  stepMs: number,
): number {
  const excess: number[][] = Array.from({ length: MAX_WARMUP }, () => []);
  let start = 0;
  for (let i = 1; i <= pairs.n; i++) {
    if (i < pairs.n && sameStage(pairs, i - 1, i, stepMs)) continue;
    collect(kind, pairs, noise, scale, start, i, excess);
    start = i;
  }
  let warm = 0;
  for (let k = 0; k < MAX_WARMUP; k++) {
    const e = excess[k];
    if (e.length < MIN_SHIFTS) break;
    e.sort((p, q) => p - q);
    const med = e[e.length >> 1];
    if (Math.abs(med) > WARM_SD) warm = k + 1;
    else break;
  }
  return warm;
}

/** Consecutive minutes (no gap beyond two intervals) at a similar traffic split. */
function sameStage(p: CohortPairs, i: number, j: number, stepMs: number): boolean {
  return p.t[j] - p.t[i] <= 2 * stepMs && similarSplit(p, i, j);
}

/** Excess of the stage's first intervals over the median of the rest, standardised. */
function collect(
  kind: ResolvedKind,
  p: CohortPairs,
  noise: NoiseModel,
  scale: 'log' | 'raw',
  from: number,
  to: number,
  out: number[][],
): void {
  if (to - from < MAX_WARMUP + 4) return;
  const rest: number[] = [];
  for (let i = from + MAX_WARMUP; i < to; i++) {
    const d = pairDifference(
      kind,
      scale,
      p.canary[i],
      p.baseline[i],
      p.canaryRequests[i],
      p.baselineRequests[i],
    );
    if (Number.isFinite(d)) rest.push(d);
  }
  if (rest.length < 4) return;
  rest.sort((a, b) => a - b);
  const center = rest[rest.length >> 1];
  for (let k = 0; k < MAX_WARMUP; k++) {
    const i = from + k;
    const d = pairDifference(
      kind,
      scale,
      p.canary[i],
      p.baseline[i],
      p.canaryRequests[i],
      p.baselineRequests[i],
    );
    const v = pairVariance(noise, p.canaryRequests[i], p.baselineRequests[i]);
    if (Number.isFinite(d) && v > 0) out[k].push((d - center) / Math.sqrt(v));
  }
}
