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

/** Samples of a prepared query's series in [start, end] (ms), read synchronously. */
export type SyncReader = (start: number, end: number) => Series[];

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
