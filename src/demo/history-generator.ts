import type { HistoryPlan } from './history-plan.js';
import type { MetricsWriter } from './metrics-writer.js';
import type { SimulatedService } from './simulated-service.js';

const MINUTE_MS = 60_000;

/**
 * Writes the service's per-minute metrics for the whole history plan (weeks of minutes, with its past deploys'
 * cohorts): what the judge's baselines, dynamic thresholds and noise model learn from. Returns the minutes written.
 */
export function generateHistory(service: SimulatedService, plan: HistoryPlan, writer: MetricsWriter): number {
  const first = Math.ceil(plan.from / MINUTE_MS) * MINUTE_MS;
  let n = 0;
  for (let t = first; t <= plan.end; t += MINUTE_MS) {
    writer.write(service.minute(t, plan.splitAt(t - MINUTE_MS / 2)));
    n++;
  }
  return n;
}
