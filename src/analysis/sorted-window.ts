/**
 * The last `capacity` values of a stream, kept sorted for O(log n) order statistics: median, quantiles, and the
 * median absolute deviation in O(log^2 n) without a second sort. Insert and evict cost one binary search and a
 * memmove. NaN values must not be pushed.
 */
export class SortedWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds v, evicting the oldest value when full. */
  push(v: number): void {
    const s = this.sorted;
    const n = this.size;
    if (n === this.capacity) {
      // Replace the oldest value: only the values between its slot and the new value's slot move.
      const old = this.ring[this.head];
      const i = lowerBound(s, n, old);
      if (v > old) {
        const j = lowerBound(s, n, v) - 1;
        if (j > i) s.copyWithin(i, i + 1, j + 1);
        s[j] = v;
      } else {
        const j = lowerBound(s, n, v);
        if (i > j) s.copyWithin(j + 1, j, i);
        s[j] = v;
      }
    } else {
      const j = lowerBound(s, n, v);
      s.copyWithin(j + 1, j, n);
      s[j] = v;
      this.size++;
    }
    this.ring[this.head] = v;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
  }

  /** Quantile q in [0, 1] (linear interpolation); NaN when empty. */
  quantile(q: number): number {
    const n = this.size;
    if (n === 0) return NaN;
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = lo + 1 < n ? lo + 1 : lo;
    return this.sorted[lo] + (h - lo) * (this.sorted[hi] - this.sorted[lo]);
  }

  median(): number {
    return this.quantile(0.5);
  }

  /**
   * Median absolute deviation from `center` (the median of |value - center|, averaging the two middle ones for an
   * even count), exactly, in O(log n): the deviations of the values below center and of those above are two sorted
   * runs, and the median is found by selection across them. 0 when more than half the values equal center.
   */
  mad(center: number): number {
    const n = this.size;
    if (n === 0) return NaN;
    const p = lowerBound(this.sorted, n, center);
    const k = (n - 1) >> 1;
    const a = this.kthDeviation(p, k, center);
    return n & 1 ? a : 0.5 * (a + this.kthDeviation(p, k + 1, center));
  }

  /** k-th smallest (0-based) of |value - center| over the window, values below center ending at index p. */
  private kthDeviation(p: number, k: number, center: number): number {
    const s = this.sorted;
    const n = this.size;
    // Run A: center - s[p-1], center - s[p-2], ... (length p). Run B: s[p] - center, s[p+1] - center, ... (n - p).
    const la = p;
    const lb = n - p;
    // Take i from A and k + 1 - i from B; find i by bisection so that the two runs interleave at rank k.
    let lo = Math.max(0, k + 1 - lb);
    let hi = Math.min(k + 1, la);
    while (lo < hi) {
      const i = (lo + hi) >> 1;
      const j = k + 1 - i;
      // A[i] < B[j-1]: need more from A.
      if (center - s[p - 1 - i] < s[p + j - 1] - center) lo = i + 1;
      else hi = i;
    }
    const i = lo;
    const j = k + 1 - i;
    const lastA = i > 0 ? center - s[p - i] : -Infinity;
    const lastB = j > 0 ? s[p + j - 1] - center : -Infinity;
    return Math.max(lastA, lastB);
  }
}

/** First index in a[0..n) with a[i] >= x (branch-light form: the loop runs log2(n) times whatever x is). */
function lowerBound(a: Float64Array, n: number, x: number): number {
  if (n === 0) return 0;
  let base = 0;
  let len = n;
  while (len > 1) {
    const half = len >>> 1;
    if (a[base + half] < x) base += half;
    len -= half;
  }
  return a[base] < x ? base + 1 : base;
}
