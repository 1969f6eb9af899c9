import type { SeriesStore } from '../metrics/builtin/series-store.js';
import { COHORTS, DEMO_METRICS, type Cohort, type DemoMetric } from './demo-metrics.js';
import type { ServiceMinute } from './simulated-service.js';

const METRICS = Object.keys(DEMO_METRICS) as DemoMetric[];

/**
 * Writes the simulated service's minutes into the built-in metric store, straight into its typed-array series (the
 * same store pushes and files land in, without the text round trip: weeks of history load in a fraction of a
 * second). Cohort series get samples only while a deploy runs, as real canary/baseline series do.
 */
export class MetricsWriter {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly store: SeriesStore,
    private readonly service: string,
  ) {}

  write(m: ServiceMinute): void {
    for (const cohort of COHORTS) {
      const values = m[cohort];
      if (!values) continue;
      for (const metric of METRICS) {
        const v = values[metric];
        if (Number.isFinite(v)) this.store.append(this.id(metric, cohort), m.t, v);
      }
    }
  }

  private id(metric: DemoMetric, cohort: Cohort): number {
    const key = `${metric}\u0000${cohort}`;
    let id = this.ids.get(key);
    if (id === undefined || !this.store.has(id)) {
      id = this.store.seriesId({ __name__: DEMO_METRICS[metric], service: this.service, cohort });
      this.ids.set(key, id);
    }
    return id;
  }
}
