import type { CheckResult, Decision } from '../analysis/verdict.js';
import type { Deploy } from '../pipeline/deploy.js';

/**
 * What releasebot answers an external rollout controller. `pass`: proceed. `fail`: roll back. `no_data`: the
 * metrics are missing or failing, so nothing is known; `inconclusive`: a check asks a person to look (action
 * `pause`), or the deploy is paused in releasebot. Neither of the last two may ever be read as a pass: Argo
 * Rollouts maps them to Inconclusive (the rollout pauses), Flagger to "hold".
 */
export type ExternalVerdict = 'pass' | 'fail' | 'no_data' | 'inconclusive';

/** One check of the evaluation, as the JSON answer shows it. */
export interface VerdictCheck {
  name: string;
  verdict: CheckResult['verdict'];
  action: CheckResult['action'];
  reason: string;
}

export interface JudgeResult {
  verdict: ExternalVerdict;
  /** One line: the numbers that decided it, or why there is no verdict. */
  reason: string;
  /** Null only when the caller asked not to create a deploy and none exists. */
  deployId: string | null;
  /** The deploy's state after this call. */
  state: Deploy['state'] | null;
  /** Canary traffic percent releasebot knows of. */
  weight: number | null;
  /** When the evaluation behind the verdict ran (ms since the epoch); null when none ran. */
  evaluatedAt: number | null;
  checks: VerdictCheck[];
}

/** The verdict an evaluation's decision gives. `hold` is missing data within its grace: never a pass. */
export function verdictOf(decision: Decision): ExternalVerdict {
  switch (decision.action) {
    case 'continue':
      return 'pass';
    case 'rollback':
      return 'fail';
    case 'pause':
      return decision.blind ? 'no_data' : 'inconclusive';
    case 'hold':
      return 'no_data';
  }
}

/** The verdict a deploy that releasebot no longer evaluates stands at, or null while it is evaluated. */
export function verdictOfState(d: Deploy): ExternalVerdict | null {
  switch (d.state) {
    case 'promoted':
      return 'pass';
    case 'rolled_back':
    case 'rolling_back':
    case 'aborted':
    case 'failed':
    case 'superseded':
      return 'fail';
    case 'paused':
      return 'inconclusive';
    case 'queued':
    case 'running':
      return null;
  }
}

export function verdictChecks(results: readonly CheckResult[]): VerdictCheck[] {
  return results.map((r) => ({ name: r.name, verdict: r.verdict, action: r.action, reason: r.reason }));
}
