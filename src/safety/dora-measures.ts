import type { DeployOutcome } from './deploy-outcome.js';
import { timeStats, type TimeStats } from './response-times.js';

const DAY = 86_400_000;

/** The DORA measures over a set of deploys. */
export interface DoraMeasures {
  /** Deploys that reached production traffic (a completed traffic shift). */
  deploys: number;
  /** Deploys per day over the elapsed part of the period; null when none of it has elapsed. */
  perDay: number | null;
  /** Of those, the bad ones (rolled back or with a change-triggered incident). */
  failed: number;
  /** failed / deploys, 0–1; null without deploys. */
  changeFailureRate: number | null;
  /** Failed-deploy recovery time, ms. */
  recovery: TimeStats;
}

/** DORA measures of deploys started in [start, end), `now` bounding the elapsed time of the current period. */
export function doraMeasures(
  outcomes: readonly DeployOutcome[],
  start: number,
  end: number,
  now: number,
): DoraMeasures {
  const reached = outcomes.filter((o) => o.fact.maxTraffic > 0);
  const failed = reached.filter((o) => o.bad);
  const elapsedDays = (Math.min(end, Math.max(now, start)) - start) / DAY;
  return {
    deploys: reached.length,
    perDay: elapsedDays > 0 ? reached.length / elapsedDays : null,
    failed: failed.length,
    changeFailureRate: reached.length ? failed.length / reached.length : null,
    recovery: timeStats(failed.map((o) => o.recoveryMs)),
  };
}
