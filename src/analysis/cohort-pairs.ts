import type { Samples } from '../metrics/samples.js';
import { upperBound } from '../metrics/samples.js';

/**
 * Canary and baseline samples of the same minutes side by side, with the requests behind each (NaN when the
 * traffic series has no sample for that minute). Buffers are reused between evaluations: only `n` entries are
 * valid.
 */
export interface CohortPairs {
  n: number;
  t: Float64Array;
  canary: Float64Array;
  baseline: Float64Array;
  canaryRequests: Float64Array;
  baselineRequests: Float64Array;
}

export function newCohortPairs(capacity = 64): CohortPairs {
  return {
    n: 0,
    t: new Float64Array(capacity),
    canary: new Float64Array(capacity),
    baseline: new Float64Array(capacity),
    canaryRequests: new Float64Array(capacity),
    baselineRequests: new Float64Array(capacity),
  };
}

/** Room for `size` pairs; what the buffers held is not kept (pairCohorts refills them from the start). */
function grow(p: CohortPairs, size: number): void {
  if (p.t.length >= size) return;
  const cap = Math.max(size, p.t.length * 2);
  p.t = new Float64Array(cap);
  p.canary = new Float64Array(cap);
  p.baseline = new Float64Array(cap);
  p.canaryRequests = new Float64Array(cap);
  p.baselineRequests = new Float64Array(cap);
}

/** Index of the sample of `s` within `tol` of `t`, searching forward from `from`; -1 if none. */
function match(s: Samples, t: number, tol: number, from: number): number {
  let j = from;
  const ts = s.t;
  while (j < ts.length && ts[j] < t - tol) j++;
  return j < ts.length && ts[j] <= t + tol ? j : -1;
}

/**
 * Fills `out` with the minutes in (from, to] where both cohorts have a finite sample (matched within `tol` ms).
 * Requests come from the traffic series when given (matched the same way). Linear in the samples in range; no
 * allocation unless the buffers must grow. Returns the number of pairs.
 */
export function pairCohorts(
  out: CohortPairs,
  canary: Samples,
  baseline: Samples,
  canaryTraffic: Samples | undefined,
  baselineTraffic: Samples | undefined,
  from: number,
  to: number,
  tol: number,
): number {
  const lo = upperBound(canary.t, from);
  const hi = upperBound(canary.t, to);
  grow(out, hi - lo);
  let jb = upperBound(baseline.t, from - tol - 1);
  let jc = canaryTraffic ? upperBound(canaryTraffic.t, from - tol - 1) : 0;
  let jn = baselineTraffic ? upperBound(baselineTraffic.t, from - tol - 1) : 0;
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const t = canary.t[i];
    const c = canary.v[i];
    const k = match(baseline, t, tol, jb);
    if (k < 0) continue;
    jb = k + 1;
    const b = baseline.v[k];
    if (!Number.isFinite(c) || !Number.isFinite(b)) continue;
    let nc = NaN;
    let nb = NaN;
    if (canaryTraffic) {
      const kc = match(canaryTraffic, t, tol, jc);
      if (kc >= 0) {
        nc = canaryTraffic.v[kc];
        jc = kc + 1;
      }
    }
    if (baselineTraffic) {
      const kb = match(baselineTraffic, t, tol, jn);
      if (kb >= 0) {
        nb = baselineTraffic.v[kb];
        jn = kb + 1;
      }
    }
    out.t[n] = t;
    out.canary[n] = c;
    out.baseline[n] = b;
    out.canaryRequests[n] = nc;
    out.baselineRequests[n] = nb;
    n++;
  }
  out.n = n;
  return n;
}

/**
 * Whether pairs i and j are at a similar traffic split (the canary's share of requests within a factor 1.5, or
 * unknown): the same deploy stage when they are also consecutive.
 */
export function similarSplit(p: CohortPairs, i: number, j: number): boolean {
  const si = p.canaryRequests[i] / (p.canaryRequests[i] + p.baselineRequests[i]);
  const sj = p.canaryRequests[j] / (p.canaryRequests[j] + p.baselineRequests[j]);
  if (!Number.isFinite(si) || !Number.isFinite(sj)) return true;
  return si < sj * 1.5 && sj < si * 1.5;
}
