import type { QueryProblem } from '../analysis/check-data.js';
import { isReleasebotError } from '../errors/releasebot-error.js';
import type { MetricSource, RangeQuery, Series, SyncReader } from '../metrics/metric-source.js';
import type { Samples } from '../metrics/samples.js';

export type Fetched = { samples: Samples } | { problem: Omit<QueryProblem, 'target' | 'cohort'> };

function labelText(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}

/**
 * One query for one check: exactly one series is data; none is `no_series` (no data, never a pass); several is an
 * error naming them; a failing source is an error with its message, distinct from an empty answer.
 */
export async function fetchOne(
  source: MetricSource,
  q: RangeQuery,
  onError?: (e: unknown) => void,
): Promise<Fetched> {
  try {
    return classify(await source.queryRange(q), q.query);
  } catch (e) {
    onError?.(e);
    const message = isReleasebotError(e) ? `${e.code}: ${e.message}` : String(e);
    return { problem: { query: q.query, kind: 'source_error', message } };
  }
}

/** The same as fetchOne for a query prepared on a source that answers synchronously. */
export function fetchOneSync(
  read: SyncReader,
  query: string,
  start: number,
  end: number,
  onError?: (e: unknown) => void,
): Fetched {
  try {
    const only = read.only(start, end);
    return only ? { samples: only } : classify(read.read(start, end), query);
  } catch (e) {
    onError?.(e);
    const message = isReleasebotError(e) ? `${e.code}: ${e.message}` : String(e);
    return { problem: { query, kind: 'source_error', message } };
  }
}

function classify(series: Series[], query: string): Fetched {
  if (series.length === 1) return { samples: series[0].samples };
  if (series.length === 0) return { problem: { query, kind: 'no_series' } };
  return {
    problem: { query, kind: 'multiple_series', labels: series.slice(0, 5).map((s) => labelText(s.labels)) },
  };
}

/** Joins samples of sorted, non-overlapping ranges into one series. */
export function concatSamples(parts: Samples[]): Samples {
  const n = parts.reduce((a, p) => a + p.t.length, 0);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let o = 0;
  let last = -Infinity;
  for (const p of parts) {
    for (let i = 0; i < p.t.length; i++) {
      if (p.t[i] <= last) continue; // ranges may share an end point
      t[o] = p.t[i];
      v[o] = p.v[i];
      last = p.t[i];
      o++;
    }
  }
  return { t: t.subarray(0, o), v: v.subarray(0, o) };
}
