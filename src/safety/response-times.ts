import type { Incident, Remediation } from './incident.js';
import { quantile } from './quantile.js';

/** The North Star goals: detect and remediate within 10 minutes when automatic, 20 minutes when manual. */
export const GOAL_MS: Readonly<Record<Remediation, number>> = { automatic: 10 * 60_000, manual: 20 * 60_000 };

/** Time to detect: impact start to detection, ms; null when no detection time is recorded. */
export const ttdOf = (i: Incident): number | null =>
  i.detectedAt === null ? null : i.detectedAt - i.impactStart;
/** Time to remediate: impact start to mitigation (detection included), ms; null while not mitigated. */
export const ttrOf = (i: Incident): number | null =>
  i.mitigatedAt === null ? null : i.mitigatedAt - i.impactStart;

export interface TimeStats {
  /** ms; null without values. */
  median: number | null;
  p90: number | null;
  /** Incidents with the time known. */
  count: number;
  /** Incidents without it (not detected / not mitigated yet, or not recorded). */
  missing: number;
}

export function timeStats(values: ReadonlyArray<number | null>): TimeStats {
  const known = values.filter((v): v is number => v !== null);
  return {
    median: quantile(known, 0.5),
    p90: quantile(known, 0.9),
    count: known.length,
    missing: values.length - known.length,
  };
}

export interface GoalShare {
  goalMs: number;
  /** Incidents remediated this way. */
  incidents: number;
  /** Share (0–1) of those with a detection time whose TTD ≤ goal; null when none has one. */
  detectedWithinGoal: number | null;
  /** Share (0–1) of those with a mitigation time whose TTR ≤ goal; null when none has one. */
  remediatedWithinGoal: number | null;
}

const shareWithin = (values: Array<number | null>, goal: number): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.filter((v) => v <= goal).length / known.length : null;
};

/** How the incidents remediated `kind` fared against that kind's goal. */
export function goalShare(incidents: readonly Incident[], kind: Remediation): GoalShare {
  const mine = incidents.filter((i) => i.remediation === kind);
  const goalMs = GOAL_MS[kind];
  return {
    goalMs,
    incidents: mine.length,
    detectedWithinGoal: shareWithin(mine.map(ttdOf), goalMs),
    remediatedWithinGoal: shareWithin(mine.map(ttrOf), goalMs),
  };
}
