import type { CohortQueries, ResolvedService } from '../config/resolved-config.js';
import type { MetricSource, SyncReader } from '../metrics/metric-source.js';

export const COHORTS = ['all', 'canary', 'baseline'] as const;
export type Cohort = (typeof COHORTS)[number];

/** Indexes into FetchPlan.queries, per cohort. */
export type CohortSlots = Partial<Record<Cohort, number>>;

/**
 * The distinct queries an evaluation of a service reads, made once per service: each round then fetches by index,
 * without building keys (checks share the traffic series; the same query in two checks is read once).
 */
export interface FetchPlan {
  queries: Array<{ query: string; cohort: Cohort }>;
  traffic: CohortSlots | undefined;
  checks: Array<{ name: string; slots: CohortSlots }>;
  /** The queries prepared on the source that answers synchronously (AnalysisRunner fills it on first use). */
  prepared?: { source: MetricSource; readers: SyncReader[] };
}

export function fetchPlan(service: ResolvedService): FetchPlan {
  const queries: FetchPlan['queries'] = [];
  const index = new Map<string, number>();
  const slotsOf = (q: CohortQueries): CohortSlots => {
    const slots: CohortSlots = {};
    for (const cohort of COHORTS) {
      const query = q[cohort];
      if (!query) continue;
      // The whole service is read from before the deploy (its baseline), cohorts from its start: different ranges.
      const key = `${cohort}\u0000${query}`;
      let i = index.get(key);
      if (i === undefined) {
        i = queries.push({ query, cohort }) - 1;
        index.set(key, i);
      }
      slots[cohort] = i;
    }
    return slots;
  };
  return {
    queries,
    traffic: service.traffic ? slotsOf(service.traffic) : undefined,
    checks: service.checks.map((c) => ({ name: c.name, slots: slotsOf(c.queries) })),
  };
}
