// A full run of one series' samples, encoded compactly and never changed again. Lossless:
// - time: a regular scrape interval needs no per-sample bytes (start + step); otherwise Int32 ms offsets from the
//   start, or raw Float64 as the last resort;
// - values: exposition values are short decimals, so most are an integer mantissa times 10^-k, stored in 1, 2 or 4
//   bytes (as deltas when that is narrower, e.g. counters); anything else (NaN, Inf, computed floats) stays Float64.

export type IntArray = Int8Array | Int16Array | Int32Array;

export interface SealedChunk {
  readonly count: number;
  /** ms of the first and last sample. */
  readonly minT: number;
  readonly maxT: number;
  /** > 0 when t[i] = minT + i * step exactly. */
  readonly step: number;
  readonly tOffsets: Int32Array | null;
  readonly tRaw: Float64Array | null;
  /** v[i] = m[i] / vScale, m from vInts (absolute, or running sum from vBase when vDelta). */
  readonly vScale: number;
  readonly vInts: IntArray | null;
  readonly vDelta: boolean;
  readonly vBase: number;
  readonly vRaw: Float64Array | null;
}

const MAX_K = 15;
const SAFE = 2 ** 53;

/** Encodes samples [0, n) of t (strictly increasing) and v. */
export function sealChunk(t: Float64Array, v: Float64Array, n: number): SealedChunk {
  const minT = t[0];
  const maxT = t[n - 1];
  const time = encodeTime(t, n);
  const values = encodeValues(v, n);
  return { count: n, minT, maxT, ...time, ...values };
}

function encodeTime(t: Float64Array, n: number): Pick<SealedChunk, 'step' | 'tOffsets' | 'tRaw'> {
  const t0 = t[0];
  const step = n > 1 ? t[1] - t0 : 0;
  let regular = n > 1 && Number.isInteger(step) && Number.isInteger(t0);
  let fitsInt32 = Number.isInteger(t0);
  for (let i = 1; i < n && (regular || fitsInt32); i++) {
    const off = t[i] - t0;
    if (regular && off !== step * i) regular = false;
    if (fitsInt32 && (!Number.isInteger(off) || off > 0x7fffffff)) fitsInt32 = false;
  }
  if (regular) return { step, tOffsets: null, tRaw: null };
  if (fitsInt32) {
    const off = new Int32Array(n);
    for (let i = 0; i < n; i++) off[i] = t[i] - t0;
    return { step: 0, tOffsets: off, tRaw: null };
  }
  return { step: 0, tOffsets: null, tRaw: t.slice(0, n) };
}

function encodeValues(
  v: Float64Array,
  n: number,
): Pick<SealedChunk, 'vScale' | 'vInts' | 'vDelta' | 'vBase' | 'vRaw'> {
  const raw = (): Pick<SealedChunk, 'vScale' | 'vInts' | 'vDelta' | 'vBase' | 'vRaw'> => ({
    vScale: 1,
    vInts: null,
    vDelta: false,
    vBase: 0,
    vRaw: v.slice(0, n),
  });
  // The smallest k for which every value is an integer mantissa over 10^k.
  let k = 0;
  let scale = 1;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) return raw();
    while (Math.round(x * scale) / scale !== x) {
      if (++k > MAX_K) return raw();
      scale = 10 ** k;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  let dMin = Infinity;
  let dMax = -Infinity;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const m = Math.round(v[i] * scale);
    if (Math.abs(m) >= SAFE || m / scale !== v[i]) return raw();
    if (m < min) min = m;
    if (m > max) max = m;
    if (i > 0) {
      const d = m - prev;
      if (d < dMin) dMin = d;
      if (d > dMax) dMax = d;
    }
    prev = m;
  }
  const absWidth = width(min, max);
  const deltaWidth = n > 1 ? width(dMin, dMax) : absWidth;
  const delta = deltaWidth < absWidth;
  const w = delta ? deltaWidth : absWidth;
  if (w > 4) return raw();
  const ints = w === 1 ? new Int8Array(n) : w === 2 ? new Int16Array(n) : new Int32Array(n);
  const base = delta ? Math.round(v[0] * scale) : 0;
  prev = base;
  for (let i = 0; i < n; i++) {
    const m = Math.round(v[i] * scale);
    ints[i] = delta ? m - prev : m;
    prev = m;
  }
  return { vScale: scale, vInts: ints, vDelta: delta, vBase: base, vRaw: null };
}

function width(min: number, max: number): number {
  if (min >= -128 && max <= 127) return 1;
  if (min >= -32768 && max <= 32767) return 2;
  if (min >= -0x80000000 && max <= 0x7fffffff) return 4;
  return 8;
}

/** First index whose time is > x. */
export function chunkUpperBound(c: SealedChunk, x: number): number {
  if (x < c.minT) return 0;
  if (x >= c.maxT) return c.count;
  if (c.step > 0) return Math.floor((x - c.minT) / c.step) + 1;
  let lo = 0;
  let hi = c.count;
  const off = c.tOffsets;
  const y = x - c.minT;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((off ? off[mid] : (c.tRaw as Float64Array)[mid]) <= (off ? y : x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Writes samples [from, to) of the chunk into outT/outV starting at `at`. */
export function decodeChunk(
  c: SealedChunk,
  from: number,
  to: number,
  outT: Float64Array,
  outV: Float64Array,
  at: number,
): void {
  if (c.step > 0) for (let i = from; i < to; i++) outT[at + i - from] = c.minT + i * c.step;
  else if (c.tOffsets) for (let i = from; i < to; i++) outT[at + i - from] = c.minT + c.tOffsets[i];
  else outT.set((c.tRaw as Float64Array).subarray(from, to), at);
  if (c.vRaw) {
    outV.set(c.vRaw.subarray(from, to), at);
    return;
  }
  const ints = c.vInts as IntArray;
  const scale = c.vScale;
  if (!c.vDelta) {
    for (let i = from; i < to; i++) outV[at + i - from] = ints[i] / scale;
    return;
  }
  let m = c.vBase;
  for (let i = 1; i < from; i++) m += ints[i];
  for (let i = Math.max(from, 1); i < to; i++) {
    m += ints[i];
    outV[at + i - from] = m / scale;
  }
  if (from === 0 && to > 0) outV[at] = c.vBase / scale;
}

/** Bytes held by the chunk's arrays plus a fixed estimate for the object. */
export function chunkBytes(c: SealedChunk): number {
  return (
    96 +
    (c.tOffsets?.byteLength ?? 0) +
    (c.tRaw?.byteLength ?? 0) +
    (c.vInts?.byteLength ?? 0) +
    (c.vRaw?.byteLength ?? 0)
  );
}
