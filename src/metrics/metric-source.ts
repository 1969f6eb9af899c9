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

/**
 * A metrics system. An empty result (no series matched) is a normal answer: `[]`. A failure (unreachable,
 * timeout, HTTP or PromQL error, malformed query) throws a ReleasebotError (SOURCE_UNREACHABLE, SOURCE_ERROR,
 * QUERY_INVALID) so that it is never mistaken for "no data".
 */
export interface MetricSource {
  readonly name: string;
  queryRange(q: RangeQuery, signal?: AbortSignal): Promise<Series[]>;
  /** Sources that answer from memory also answer synchronously (the evaluation hot path); same semantics. */
  queryRangeSync?(q: RangeQuery): Series[];
  close(): Promise<void>;
}
