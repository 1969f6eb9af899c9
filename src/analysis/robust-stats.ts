/** Robust location and spread, computed on a caller-owned scratch buffer so that hot paths do not allocate. */

/** 1 / Phi^-1(3/4): turns a median absolute deviation into a standard deviation for normal data. */
export const MAD_TO_SD = 1.482602218505602;

/** Copies the finite values of `v` into `scratch` (grown if needed) and returns how many were copied. */
export function collectFinite(v: ArrayLike<number>, scratch: { buf: Float64Array }): number {
  if (scratch.buf.length < v.length)
    scratch.buf = new Float64Array(Math.max(v.length, scratch.buf.length * 2));
  const buf = scratch.buf;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (Number.isFinite(x)) buf[n++] = x;
  }
  return n;
}

/** Median of buf[0..n), sorting that part of buf in place. NaN when n = 0. */
export function medianInPlace(buf: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const a = n === buf.length ? buf.sort() : buf.subarray(0, n).sort();
  const h = n >> 1;
  return n & 1 ? a[h] : 0.5 * (a[h - 1] + a[h]);
}

/** Linear-interpolation quantile (R type 7) of the sorted buf[0..n). NaN when n = 0. */
export function sortedQuantile(buf: Float64Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return buf[lo] + (h - lo) * (buf[hi] - buf[lo]);
}

export interface RobustSummary {
  /** Median. */
  center: number;
  /** MAD scaled to a normal standard deviation (0 when more than half the values are equal). */
  spread: number;
  /** Values summarised (finite ones). */
  n: number;
}

/** Median and scaled MAD of the finite values of `v`. center = NaN when there are none. */
export function robustSummary(v: ArrayLike<number>, scratch: { buf: Float64Array }): RobustSummary {
  const n = collectFinite(v, scratch);
  const buf = scratch.buf;
  const center = medianInPlace(buf, n);
  for (let i = 0; i < n; i++) buf[i] = Math.abs(buf[i] - center);
  const mad = medianInPlace(buf, n);
  return { center, spread: MAD_TO_SD * mad, n };
}

/** A scratch holder for the functions above. */
export function newScratch(size = 64): { buf: Float64Array } {
  return { buf: new Float64Array(size) };
}
