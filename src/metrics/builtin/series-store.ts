import type { Series } from '../metric-source.js';
import { emptySamples, type Samples } from '../samples.js';
import { LabelIndex } from './label-index.js';
import { chunkBytes, chunkUpperBound, decodeChunk, sealChunk, type SealedChunk } from './sealed-chunk.js';
import type { Matcher } from './selector.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * What happened to one appended sample. Replaced: same timestamp as the series' last sample, value replaced.
 * OutOfOrder: older than the series' last sample, dropped. TooOld: outside the retention window, dropped.
 */
export const AppendResult = { Added: 0, Replaced: 1, OutOfOrder: 2, TooOld: 3 } as const;
export type AppendResult = (typeof AppendResult)[keyof typeof AppendResult];

export interface StoreStats {
  series: number;
  samples: number;
  /** Dropped because older than the series' newest sample. */
  outOfOrder: number;
  /** Dropped because older than the retention window. */
  tooOld: number;
  /** Equal timestamps whose value replaced the stored one. */
  replaced: number;
  /** Estimated bytes held by series data (arrays, chunk and series objects). */
  bytes: number;
}

export interface SeriesStoreOptions {
  /** ms; samples older than the newest sample minus this are dropped. Infinity keeps everything. */
  retention: number;
  /** Samples per sealed chunk. */
  chunkSize?: number;
}

interface MemSeries {
  readonly id: number;
  readonly labels: Labels;
  readonly key: string;
  /** Sealed, ascending, non-overlapping. */
  chunks: SealedChunk[];
  /** The open chunk: raw arrays with spare capacity; holds the newest sample whenever the series has any. */
  headT: Float64Array;
  headV: Float64Array;
  headLen: number;
  sealedCount: number;
}

const FIRST_CAPACITY = 16;
/** How far (ms of data time) the cutoff moves before memory of expired chunks is reclaimed. */
const RECLAIM_EVERY = 3_600_000;

/**
 * In-memory series: typed arrays per series (an open head chunk plus compact sealed chunks, see sealed-chunk.ts),
 * a label index, and retention relative to the newest sample (as Prometheus does), so old recorded files replay
 * the same whatever the wall clock says.
 */
export class SeriesStore {
  /** Changes whenever series are added or removed; lets callers cache selector results. */
  generation = 0;
  private readonly all: (MemSeries | undefined)[] = [];
  private readonly byKey = new Map<string, MemSeries>();
  private readonly index = new LabelIndex();
  private readonly retention: number;
  private readonly chunkSize: number;
  private maxT = -Infinity;
  private reclaimedAt = -Infinity;
  private live = 0;
  private counts = { outOfOrder: 0, tooOld: 0, replaced: 0 };

  constructor(opts: SeriesStoreOptions) {
    this.retention = opts.retention;
    this.chunkSize = opts.chunkSize ?? 1024;
  }

  /** Samples at or before this time (ms) are outside retention. */
  get cutoff(): number {
    return this.maxT - this.retention;
  }

  /** The id of the series with exactly these labels (including `__name__`), creating it when new. */
  seriesId(labels: Labels): number {
    const key = seriesKey(labels);
    const found = this.byKey.get(key);
    if (found) return found.id;
    return this.create(this.all.length, sortedLabels(labels), key).id;
  }

  /** Re-creates a series under a known id (loading from disk); returns false if the id holds other labels. */
  restoreSeries(id: number, labels: Labels): boolean {
    const existing = this.all[id];
    const key = seriesKey(labels);
    if (existing) return existing.key === key;
    if (this.byKey.has(key)) return false;
    this.create(id, sortedLabels(labels), key);
    return true;
  }

  /** Installs sealed chunks loaded from disk into an empty restored series; the last one reopens as the head. */
  restoreChunks(id: number, chunks: SealedChunk[]): void {
    const s = this.all[id];
    if (!s || s.headLen || s.chunks.length || !chunks.length) return;
    const last = chunks[chunks.length - 1];
    s.chunks = chunks.slice(0, -1);
    s.sealedCount = s.chunks.reduce((n, c) => n + c.count, 0);
    s.headT = new Float64Array(Math.max(this.chunkSize, last.count));
    s.headV = new Float64Array(s.headT.length);
    decodeChunk(last, 0, last.count, s.headT, s.headV, 0);
    s.headLen = last.count;
    if (last.maxT > this.maxT) this.maxT = last.maxT;
  }

  labelsOf(id: number): Labels {
    return this.all[id]?.labels ?? {};
  }

  has(id: number): boolean {
    return this.all[id] !== undefined;
  }

  /** Ids (ascending) of the series the matchers select. */
  select(matchers: readonly Matcher[]): number[] {
    return this.index.select(matchers, (id) => this.labelsOf(id));
  }

  /**
   * Appends one sample; t in ms, rounded to a whole millisecond. Samples of a series must come in time order; see
   * AppendResult. Memory of expired data is freed by `reclaim`, never here, so ids stay valid during a batch.
   */
  append(id: number, t: number, v: number): AppendResult {
    const s = this.all[id];
    if (!s) throw new Error(`series ${id} does not exist`);
    t = Math.round(t);
    if (t <= this.maxT - this.retention) {
      this.counts.tooOld++;
      return AppendResult.TooOld;
    }
    const n = s.headLen;
    if (n > 0) {
      const last = s.headT[n - 1];
      if (t < last) {
        this.counts.outOfOrder++;
        return AppendResult.OutOfOrder;
      }
      if (t === last) {
        s.headV[n - 1] = v;
        this.counts.replaced++;
        return AppendResult.Replaced;
      }
      if (n === s.headT.length) this.makeRoom(s);
    }
    s.headT[s.headLen] = t;
    s.headV[s.headLen] = v;
    s.headLen++;
    if (t > this.maxT) this.maxT = t;
    return AppendResult.Added;
  }

  /**
   * Samples of a series with start < t <= end (or start <= t when startInclusive), ms. Reads inside the open chunk
   * are views into the store's arrays, valid until the next write; callers must not modify them. A `hint` kept by
   * the caller between reads of the same series remembers where the last read fell in the open chunk: a reader that
   * comes back every interval for the same start then skips both searches (this runs 60,000 times a round).
   */
  read(id: number, start: number, end: number, startInclusive = false, hint?: ReadHint): Samples {
    const s = this.all[id];
    if (!s || end < start) return emptySamples();
    // Stored times are whole milliseconds, so t >= start is t > ceil(start) - 1: every bound becomes "time > x".
    const lo = Math.max(startInclusive ? Math.ceil(start) - 1 : start, this.maxT - this.retention);
    if (s.chunks.length === 0 || lo >= (s.headLen ? s.headT[0] : Infinity)) {
      const arr = s.headT;
      const n = s.headLen;
      let i: number;
      let j: number;
      // The open chunk's samples never move and only grow at the end, so positions found in the same array hold
      // (the first sample after lo only once there was one: i < j).
      if (hint && hint.arr === arr && hint.lo === lo && hint.i < hint.j && end >= hint.end && hint.j <= n) {
        i = hint.i;
        j = upperBoundFrom(arr, end, hint.j, n);
      } else {
        i = upperBound(arr, lo, n);
        j = Math.max(i, upperBound(arr, end, n));
      }
      if (hint) {
        hint.arr = arr;
        hint.lo = lo;
        hint.i = i;
        hint.end = end;
        hint.j = j;
      }
      return { t: arr.subarray(i, j), v: s.headV.subarray(i, j) };
    }
    const headFirst = s.headLen ? s.headT[0] : Infinity;
    const chunks = s.chunks;
    let first = firstChunkAfter(chunks, lo);
    let total = 0;
    for (let k = first; k < chunks.length && chunks[k].minT <= end; k++) {
      total += chunkUpperBound(chunks[k], end) - chunkUpperBound(chunks[k], lo);
    }
    const hi = end >= headFirst ? upperBound(s.headT, end, s.headLen) : 0;
    total += hi;
    if (total === 0) return emptySamples();
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    let at = 0;
    for (; first < chunks.length && chunks[first].minT <= end; first++) {
      const c = chunks[first];
      const i = chunkUpperBound(c, lo);
      const j = chunkUpperBound(c, end);
      decodeChunk(c, i, j, t, v, at);
      at += j - i;
    }
    t.set(s.headT.subarray(0, hi), at);
    v.set(s.headV.subarray(0, hi), at);
    return { t, v };
  }

  /**
   * The series of `ids` that have samples in [start, end] (ms), with their labels, as a selector's answer.
   * `hints[k]`, when given, is the read hint of `ids[k]` (see read).
   */
  readSeries(ids: readonly number[], start: number, end: number, hints?: readonly ReadHint[]): Series[] {
    const out: Series[] = [];
    for (let k = 0; k < ids.length; k++) {
      const samples = this.read(ids[k], start, end, true, hints?.[k]);
      if (samples.t.length) out.push({ labels: this.labelsOf(ids[k]), samples });
    }
    return out;
  }

  /** Every series with all its samples as sealed chunks (the head sealed as a copy), for snapshots. */
  *dump(): Generator<{ id: number; labels: Labels; chunks: SealedChunk[] }> {
    for (const s of this.all) {
      if (!s) continue;
      const chunks = s.headLen ? [...s.chunks, sealChunk(s.headT, s.headV, s.headLen)] : s.chunks.slice();
      yield { id: s.id, labels: s.labels, chunks };
    }
  }

  /** Whether enough data time has passed since the last `reclaim` to make another worthwhile. */
  reclaimDue(): boolean {
    return this.maxT - this.retention - this.reclaimedAt >= RECLAIM_EVERY;
  }

  /**
   * Frees chunks and series entirely outside retention (reads already hide them). Returns the number of series
   * removed; their ids become invalid.
   */
  reclaim(): number {
    const cutoff = this.maxT - this.retention;
    this.reclaimedAt = cutoff;
    let removed = 0;
    for (const s of this.all) {
      if (!s) continue;
      let drop = 0;
      while (drop < s.chunks.length && s.chunks[drop].maxT <= cutoff) drop++;
      if (drop) {
        s.sealedCount -= s.chunks.slice(0, drop).reduce((n, c) => n + c.count, 0);
        s.chunks = s.chunks.slice(drop);
      }
      if (s.chunks.length === 0 && (s.headLen === 0 || s.headT[s.headLen - 1] <= cutoff)) {
        this.remove(s);
        removed++;
      }
    }
    return removed;
  }

  stats(): StoreStats {
    let samples = 0;
    let bytes = 0;
    for (const s of this.all) {
      if (!s) continue;
      samples += s.sealedCount + s.headLen;
      bytes += 200 + s.key.length * 2 + s.headT.byteLength + s.headV.byteLength;
      for (const c of s.chunks) bytes += chunkBytes(c);
    }
    return { series: this.live, samples, ...this.counts, bytes };
  }

  private create(id: number, labels: Labels, key: string): MemSeries {
    const s: MemSeries = {
      id,
      labels,
      key,
      chunks: [],
      headT: new Float64Array(FIRST_CAPACITY),
      headV: new Float64Array(FIRST_CAPACITY),
      headLen: 0,
      sealedCount: 0,
    };
    this.all[id] = s;
    this.byKey.set(key, s);
    this.index.add(id, labels);
    this.live++;
    this.generation++;
    return s;
  }

  private remove(s: MemSeries): void {
    this.all[s.id] = undefined;
    this.byKey.delete(s.key);
    this.index.remove(s.id, s.labels);
    this.live--;
    this.generation++;
  }

  /** The head is full: grow it (amortised doubling) or seal it into a compact chunk and open a new one. */
  private makeRoom(s: MemSeries): void {
    const cap = s.headT.length;
    if (cap < this.chunkSize) {
      const t = new Float64Array(Math.min(cap * 2, this.chunkSize));
      const v = new Float64Array(t.length);
      t.set(s.headT);
      v.set(s.headV);
      s.headT = t;
      s.headV = v;
      return;
    }
    s.chunks.push(sealChunk(s.headT, s.headV, s.headLen));
    s.sealedCount += s.headLen;
    // A series that filled one chunk will likely fill the next: allocate it whole. Fresh arrays, never reused, so
    // views handed out by read() stay intact.
    s.headT = new Float64Array(this.chunkSize);
    s.headV = new Float64Array(this.chunkSize);
    s.headLen = 0;
  }
}

/** A canonical key for a label set: sorted pairs, JSON-escaped. */
export function seriesKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

function sortedLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k];
  return Object.freeze(out);
}

/** Where an earlier read of a series fell in its open chunk (see SeriesStore.read); start with newReadHint(). */
export interface ReadHint {
  arr: Float64Array | null;
  lo: number;
  i: number;
  end: number;
  j: number;
}

export const newReadHint = (): ReadHint => ({ arr: null, lo: NaN, i: 0, end: NaN, j: 0 });

/** upperBound over [from, n), knowing every t before `from` is <= x: usually one probe for the next interval. */
function upperBoundFrom(t: Float64Array, x: number, from: number, n: number): number {
  return from >= n || t[from] > x ? from : upperBound(t, x, n, from + 1);
}

/** First index in [lo, n) whose time is > x (every time before lo is <= x). */
function upperBound(t: Float64Array, x: number, n: number, lo = 0): number {
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first chunk with maxT > x. */
function firstChunkAfter(chunks: readonly SealedChunk[], x: number): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chunks[mid].maxT <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
