import type { MetricSource } from '../../metrics/metric-source.js';
import type { Samples } from '../../metrics/samples.js';
import { concatSamples, fetchOne, type Fetched } from '../../pipeline/fetch-series.js';

/** Prometheus refuses more than 11,000 points per series and query: ask in pieces of at most this many steps. */
const MAX_STEPS_PER_QUERY = 10_000;

/** Points of one series as JSON carries them: NaN (missing) becomes null. */
export interface SeriesPoints {
  t: number[];
  v: Array<number | null>;
}

/**
 * One query over [from, to] through the service's own metric source (never the database), in pieces small enough
 * for Prometheus; the same rules as the engine's fetch: exactly one series, or a problem saying why not.
 */
export async function fetchRange(
  source: MetricSource,
  query: string,
  from: number,
  to: number,
  step: number,
): Promise<Fetched> {
  const piece = step * MAX_STEPS_PER_QUERY;
  const parts: Samples[] = [];
  for (let start = from; start <= to; start += piece + step) {
    const got = await fetchOne(source, { query, start, end: Math.min(to, start + piece), step });
    if ('problem' in got) {
      // No series in one piece is normal (a gap); anything else spoils the whole range.
      if (got.problem.kind === 'no_series') continue;
      return got;
    }
    parts.push(got.samples);
  }
  if (!parts.length) return { problem: { query, kind: 'no_series' } };
  return { samples: concatSamples(parts) };
}

/**
 * Samples as JSON points, averaged into at most `maxPoints` buckets so a long range stays a light response (uPlot
 * draws tens of thousands, but a browser should not download them for a 600-pixel chart).
 */
export function toPoints(s: Samples, maxPoints = 4000): SeriesPoints {
  const n = s.t.length;
  if (n <= maxPoints) {
    return { t: Array.from(s.t), v: Array.from(s.v, (x) => (Number.isFinite(x) ? x : null)) };
  }
  const from = s.t[0];
  const width = (s.t[n - 1] - from) / maxPoints || 1;
  const t: number[] = [];
  const v: Array<number | null> = [];
  let i = 0;
  while (i < n) {
    const bucket = Math.floor((s.t[i] - from) / width);
    let sum = 0;
    let k = 0;
    let last = s.t[i];
    for (; i < n && Math.floor((s.t[i] - from) / width) === bucket; i++) {
      last = s.t[i];
      if (Number.isFinite(s.v[i])) {
        sum += s.v[i];
        k++;
      }
    }
    t.push(last);
    v.push(k ? sum / k : null);
  }
  return { t, v };
}
