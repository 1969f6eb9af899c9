import type { CheckAction } from '../config/check-schema.js';

/** A check's verdict for one evaluation. Missing data is never a pass. */
export type Verdict = 'pass' | 'breach' | 'no_data' | 'error';

/** Which detector produced the deciding number. */
export type DetectorName = 'zscore' | 'static' | 'dynamic' | 'canary' | 'none';

/** The numbers behind a verdict; everything optional because each detector fills what it knows. */
export interface Evidence {
  detector?: DetectorName;
  /** The service-wide (or per-request) value judged, current window. */
  value?: number;
  unit?: string;
  baselineMean?: number;
  baselineSpread?: number;
  z?: number;
  zThreshold?: number;
  staticThreshold?: number;
  dynamicThreshold?: number;
  effectiveThreshold?: number;
  canaryValue?: number;
  baselineValue?: number;
  pValue?: number;
  /** Relative effect of canary vs baseline, e.g. 0.4 = +40%. */
  effect?: number;
  samples?: number;
  canaryRequests?: number;
  baselineRequests?: number;
  /** Why there was no verdict (no_data / error), or what was relaxed (e.g. short history). */
  note?: string;
  /** The canary-vs-baseline test used: `rate` (events per request), `paired` (per-minute pairs), `rank`. */
  test?: 'rate' | 'paired' | 'rank';
  /** Evidence of the canary comparison on the z scale, and the sequential boundary it must cross this stage. */
  compareZ?: number;
  boundary?: number;
  /** The check's share of the service's false-alarm budget for the deploy. */
  alpha?: number;
  /** Minutes compared between canary and baseline so far. */
  minutes?: number;
  /** Dispersion of the rate test (1 = binomial) or noise scale of the paired test (1 = as learned). */
  noiseScale?: number;
  /**
   * Whether a service-wide anomaly (z-score, dynamic or static threshold on `all`) was attributed to the deploy:
   * false when the canary is no worse than the baseline, or no baseline cohort remains to tell.
   */
  attributed?: boolean;
  /** Persistence state: bit i set = the whole-service detectors breached i evaluations ago (bit 0 = now). */
  recent?: number;
  /** Consecutive evaluations so far without usable data (no_data or error), for the grace period. */
  missing?: number;
}

export interface CheckResult {
  name: string;
  verdict: Verdict;
  /**
   * What this result calls for: the check's action, except `alert` for a breach that cannot be attributed to the
   * deploy (a service-wide anomaly at 100% traffic, with no baseline cohort left to compare with).
   */
  action: CheckAction;
  /**
   * One human line with the numbers, e.g. `error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)`. For a passing
   * check it is made on first read and not stored with the evaluation; its evidence is.
   */
  reason: string;
  evidence: Evidence;
}

/**
 * What the next evaluation of a check needs from the previous one: persistence and grace state travel in the
 * evidence. A whole CheckResult is one; the runner keeps only this between rounds.
 */
export interface PriorResult {
  name: string;
  evidence: Pick<Evidence, 'recent' | 'missing'>;
}

/** The part of a result the next evaluation reads (a small object kept between rounds). */
export function priorOf(r: CheckResult): PriorResult {
  return { name: r.name, evidence: { recent: r.evidence.recent, missing: r.evidence.missing } };
}

/**
 * `prior` updated to `results` (what priorOf would give), in place where the checks are the same: objects kept
 * from one round to the next are copied by every young-generation collection in between, new ones every round
 * would all be.
 */
export function updatePrior(prior: PriorResult[], results: readonly CheckResult[]): PriorResult[] {
  if (prior.length !== results.length) return results.map(priorOf);
  for (let i = 0; i < results.length; i++) if (prior[i].name !== results[i].name) return results.map(priorOf);
  for (let i = 0; i < results.length; i++) {
    prior[i].evidence.recent = results[i].evidence.recent;
    prior[i].evidence.missing = results[i].evidence.missing;
  }
  return prior;
}

/** What the pipeline does after an evaluation. `hold` = not enough data yet: keep evaluating, do not advance. */
export type DecisionAction = 'continue' | 'hold' | 'pause' | 'rollback';

export interface Decision {
  action: DecisionAction;
  /** One line with the numbers that decided it. */
  reason: string;
  /** Checks breaching with action `alert`: notify only. */
  alerts: string[];
  /** The checks that caused a pause or rollback. */
  culprits: string[];
  /** True when the pause is for missing data or errors (it may resume on its own when data returns). */
  blind: boolean;
}
