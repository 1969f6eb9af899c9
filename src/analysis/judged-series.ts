import type { Samples } from '../metrics/samples.js';
import type { ResolvedKind } from './metric-kind.js';

/**
 * The whole-service value the window detectors judge: counts per request when a traffic series is known (so log
 * volume does not swing with the time of day), the metric itself otherwise. Traffic samples are matched within
 * `tol` ms; metric samples without a matching positive traffic sample become NaN. Allocates the result.
 */
export function judgedSeries(
  kind: ResolvedKind,
  metric: Samples,
  traffic: Samples | undefined,
  tol: number,
): Samples {
  if (kind !== 'count' || !traffic) return metric;
  const v = new Float64Array(metric.t.length);
  let j = 0;
  for (let i = 0; i < metric.t.length; i++) {
    const t = metric.t[i];
    while (j < traffic.t.length && traffic.t[j] < t - tol) j++;
    const n = j < traffic.t.length && traffic.t[j] <= t + tol ? traffic.v[j] : NaN;
    v[i] = n > 0 ? metric.v[i] / n : NaN;
  }
  return { t: metric.t, v };
}
