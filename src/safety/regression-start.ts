import type { CheckResult } from '../analysis/verdict.js';
import type { EvaluationRecord } from '../store/store.js';

/**
 * Whether a check was breaching in one evaluation: its verdict, or its whole-service detectors' flag for this
 * evaluation (bit 0 of `evidence.recent`), which is set while persistence (k of n) still holds the verdict back.
 */
export function isBreaching(r: CheckResult | undefined): boolean {
  if (!r) return false;
  return r.verdict === 'breach' || ((r.evidence.recent ?? 0) & 1) === 1;
}

/**
 * When the regression behind a decision began, from a deploy's evaluations (oldest first): for each culprit check,
 * the unbroken run of evaluations ending at `decisionIndex` in which it was breaching; the regression's first
 * breaching sample came after the last evaluation before that run, which saw none. Returns that evaluation's time
 * (the earliest over the culprits), or null when a run reaches back to the deploy's first evaluation (then the
 * regression dates from the first traffic shift).
 */
export function regressionStart(
  evaluations: readonly EvaluationRecord[],
  decisionIndex: number,
  culprits: readonly string[],
): number | null {
  if (!evaluations[decisionIndex]) return null;
  let earliest = Infinity;
  for (const name of culprits) {
    let i = decisionIndex;
    while (i > 0 && isBreaching(evaluations[i - 1].results.find((r) => r.name === name))) i--;
    if (i === 0) return null;
    earliest = Math.min(earliest, evaluations[i - 1].at);
  }
  if (Number.isFinite(earliest)) return earliest;
  // No culprit named: all we know is that the evaluation before the decision saw nothing wrong.
  return decisionIndex > 0 ? evaluations[decisionIndex - 1].at : null;
}
