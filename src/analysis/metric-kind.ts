import type { MetricKind } from '../config/check-schema.js';

/** A metric kind after `auto` has been resolved. */
export type ResolvedKind = Exclude<MetricKind, 'auto'>;

// `ratio` only as a word of the name: `duration` contains it, and a latency is not a ratio.
const RATIO_RE =
  /(_ratio|_rate|_fraction|_percent_errors|_error_share)$|(^|_)ratios?(_|$)|error_rate|success_rate|availability/;
const COUNT_RE =
  /(_per_(minute|second|min|sec|interval)|_total|_count|_sum)$|lines|_events|_messages|_logs?\b|_bytes_total/;

/**
 * Resolves a check's metric kind. `auto` guesses from the metric name in the query (the selector's name, or the
 * first identifier): names ending in `_ratio` / `_rate` (or with the word `ratio`) are ratios, weighed by requests;
 * `_per_minute` / `_total` / `_count` or containing `lines` are counts, compared per request when traffic is
 * known; everything else is a gauge (latency, CPU, memory, queue length). Never fails: unknown names are gauges.
 */
export function resolveMetricKind(kind: MetricKind | undefined, query: string | undefined): ResolvedKind {
  if (kind && kind !== 'auto') return kind;
  const name = metricName(query ?? '').toLowerCase();
  if (!name) return 'gauge';
  if (RATIO_RE.test(name)) return 'ratio';
  if (COUNT_RE.test(name)) return 'count';
  return 'gauge';
}

/** The metric name of a PromQL selector or expression: `rate(foo_total{a="b"}[5m])` -> `foo_total`. */
export function metricName(query: string): string {
  const q = query.replace(/\{[^}]*\}/g, ' ');
  const ids = q.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [];
  const fns = new Set([
    'sum',
    'rate',
    'irate',
    'increase',
    'avg',
    'max',
    'min',
    'by',
    'without',
    'histogram_quantile',
    'count',
    'delta',
    'avg_over_time',
    'sum_over_time',
    'max_over_time',
    'min_over_time',
    'clamp_min',
    'clamp_max',
    'abs',
    'le',
    'on',
    'ignoring',
    'offset',
  ]);
  for (const id of ids) if (!fns.has(id)) return id;
  return '';
}
