import type { Samples } from '../metrics/samples.js';

/** One metric (or the traffic series) per cohort. Cohort series exist only while a deploy runs. */
export interface CohortSamples {
  /** The whole service. */
  all?: Samples;
  /** The new version's hosts. */
  canary?: Samples;
  /** The old version's hosts. */
  baseline?: Samples;
}

/** When the new version's traffic share changed: from `at` on it had `traffic` percent. Ascending. */
export interface ExposureStep {
  at: number;
  traffic: number;
}

/**
 * Why a query of a check gave no usable series, as the engine found when it fetched the window. The engine leaves
 * the matching `CohortSamples` entry undefined and reports the problem here; the judge turns it into `no_data`
 * (nothing matched) or `error` (several series, or the source failed), naming the query.
 */
export interface QueryProblem {
  /** The metric's series or the service's traffic series. */
  target: 'metric' | 'traffic';
  cohort: 'all' | 'canary' | 'baseline';
  query: string;
  /** no_series: the query matched nothing; multiple_series: it matched several; source_error: the fetch failed. */
  kind: 'no_series' | 'multiple_series' | 'source_error';
  /** multiple_series: each series' labels, e.g. `{cohort="canary",zone="a"}`. */
  labels?: string[];
  /** source_error: the source's message. */
  message?: string;
}

/**
 * Everything one evaluation of one check may look at, fetched by the pipeline: the metric and traffic series
 * from `windowStart` (before the deploy: the baseline) to `now`. Only samples with t <= now.
 */
export interface CheckWindow {
  now: number;
  deployStart: number;
  /** Start of the pre-deploy baseline window (deployStart - baseline length). */
  windowStart: number;
  stageStart: number;
  exposure: ExposureStep[];
  metric: CohortSamples;
  traffic?: CohortSamples;
  /** Queries that matched nothing, several series, or failed (absent = all fine). */
  problems?: QueryProblem[];
}

/**
 * History before the deploy, fetched once per deploy for dynamic thresholds and the noise model: samples in the
 * ranges `historyRanges()` returns (their union, in time order; `from`/`to` span them). The cohort series of the
 * history are earlier deploys' canary and baseline: they teach the judge how far two cohorts running the same
 * code drift apart minute by minute. Any series may be missing; the judge then says so and falls back.
 */
export interface CheckHistory {
  /** The deploy's start, ms: nothing at or after it is used. */
  deployStart: number;
  from: number;
  to: number;
  /** `all` of the check's metric. */
  metric?: Samples;
  /** `all` of the service's traffic (requests per interval). */
  traffic?: Samples;
  /** Earlier deploys' cohorts of the check's metric and of the traffic. */
  canary?: Samples;
  baseline?: Samples;
  canaryTraffic?: Samples;
  baselineTraffic?: Samples;
}
