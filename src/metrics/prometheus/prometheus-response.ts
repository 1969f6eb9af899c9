import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Series } from '../metric-source.js';

/** The JSON body of Prometheus' /api/v1/query and /api/v1/query_range. */
export interface PrometheusBody {
  status?: 'success' | 'error';
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

type Point = [number, string];
interface MatrixItem {
  metric?: Record<string, string>;
  values?: Point[];
}
interface VectorItem {
  metric?: Record<string, string>;
  value?: Point;
}

/** Prometheus formats sample values as strings: decimals, `NaN`, `+Inf`, `-Inf`. */
export function parsePromValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const x = Number(s);
  if (s.trim() === '' || Number.isNaN(x)) throw new Error(`not a number: ${JSON.stringify(s)}`);
  return x;
}

/** Series (times in ms) from a successful body of any result type; SOURCE_ERROR when its shape is not Prometheus'. */
export function seriesFromBody(body: PrometheusBody, url: string): Series[] {
  const type = body.data?.resultType;
  const result = body.data?.result;
  try {
    if (type === 'matrix' && Array.isArray(result))
      return (result as MatrixItem[]).map((r) => toSeries(r.metric, r.values ?? []));
    if (type === 'vector' && Array.isArray(result)) {
      return (result as VectorItem[]).map((r) => toSeries(r.metric, r.value ? [r.value] : []));
    }
    if (type === 'scalar' && Array.isArray(result)) return [toSeries({}, [result as Point])];
  } catch (e) {
    throw new ReleasebotError(
      'SOURCE_ERROR',
      `${url}: unreadable sample in the response: ${(e as Error).message}`,
      { cause: e },
    );
  }
  throw new ReleasebotError(
    'SOURCE_ERROR',
    `${url}: unexpected response (resultType ${JSON.stringify(type)}); is this a Prometheus API?`,
  );
}

function toSeries(metric: Record<string, string> | undefined, points: Point[]): Series {
  const t = new Float64Array(points.length);
  const v = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const [ts, value] = points[i];
    t[i] = Math.round(Number(ts) * 1000);
    v[i] = parsePromValue(String(value));
  }
  return { labels: { ...(metric ?? {}) }, samples: { t, v } };
}
