import type { Series, SyncReader } from '../metric-source.js';
import type { Samples } from '../samples.js';
import { newReadHint, type ReadHint, type SeriesStore } from './series-store.js';

/**
 * A query prepared on the built-in store and read again every interval (the evaluation hot path: 60,000 reads a
 * round). One object holds what a read needs: the ids the selector matched (looked up again only when series were
 * added or removed) and, when it matched one series, that series' read hint in its own fields. Fewer objects
 * touched per read is what makes it cheap: the work is memory-bound.
 */
export class PreparedQuery implements SyncReader, ReadHint {
  // ReadHint of the single matched series (see SeriesStore.read).
  arr: Float64Array | null = null;
  lo = NaN;
  i = 0;
  end = NaN;
  j = 0;
  private generation = -1;
  private ids: readonly number[] = [];
  /** The one matched id, or -1 for none or several. */
  private single = -1;
  /** The read hint of each matched series (this object itself when there is one). */
  private hints: ReadHint[] = [];

  constructor(
    private readonly store: SeriesStore,
    private readonly select: () => readonly number[],
  ) {}

  only(start: number, end: number): Samples | undefined {
    if (this.generation !== this.store.generation) this.refresh();
    if (this.single < 0) return undefined;
    const s = this.store.read(this.single, start, end, true, this);
    return s.t.length ? s : undefined;
  }

  read(start: number, end: number): Series[] {
    if (this.generation !== this.store.generation) this.refresh();
    return this.store.readSeries(this.ids, start, end, this.hints);
  }

  private refresh(): void {
    this.ids = this.select();
    this.generation = this.store.generation;
    this.single = this.ids.length === 1 ? this.ids[0] : -1;
    this.hints = this.ids.length > 1 ? this.ids.map(newReadHint) : [this];
    this.arr = null; // the hint belonged to the previous series
  }
}

/** A query that cannot be prepared (it does not parse): every read throws its error, as queryRange would. */
export class FailedQuery implements SyncReader {
  constructor(private readonly error: unknown) {}

  only(): Samples | undefined {
    throw this.error;
  }

  read(): Series[] {
    throw this.error;
  }
}
