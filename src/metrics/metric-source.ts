import type { Samples } from './samples.js';

export interface Series {
  labels: Record<string, string>;
  samples: Samples;
}

export interface RangeQuery {
  /** A PromQL expression; the built-in source accepts instant-vector selectors `name{a="b",c!~"d.*"}`. */
  query: string;
  /** ms since the epoch, inclusive. */
  start: number;
  /** ms since the epoch, inclusive. */
  end: number;
  /** Resolution in ms (Prometheus `step`); the built-in source returns its raw samples in range. */
  step: number;
}

/** A query prepared on a source that answers from memory, read synchronously for any range (ms, inclusive). */
export interface SyncReader {
  /** Samples of every series the query selects that has some in [start, end], as queryRange answers. */
  read(start: number, end: number): Series[];
  /**
   * The samples in [start, end] when the query selects exactly one series and it has some there (the evaluation
   * hot path: no labels, no array); undefined otherwise, and `read` then tells which case it is.
   */
  only(start: number, end: number): Samples | undefined;
}

/**
 * A metrics system. An empty result (no series matched) is a normal answer: `[]`. A failure (unreachable,
 * timeout, HTTP or PromQL error, malformed query) throws a ReleasebotError (SOURCE_UNREACHABLE, SOURCE_ERROR,
 * QUERY_INVALID) so that it is never mistaken for "no data".
 */
export interface MetricSource {
  readonly name: string;
  queryRange(q: RangeQuery, signal?: AbortSignal): Promise<Series[]>;
  /**
   * Sources that answer from memory also answer synchronously (the evaluation hot path): a query prepared once
   * (parsed, its series looked up) and then read for any range, start and end inclusive, with queryRange's answers
   * and errors (thrown by the reader, never by prepareSync).
   */
  prepareSync?(query: string): SyncReader;
  close(): Promise<void>;
}
