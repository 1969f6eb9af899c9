import type { CheckResult, Decision } from '../analysis/verdict.js';
import type { DeployRef, LifecycleEvent } from '../events/lifecycle-event.js';

/**
 * The check events of one external evaluation, as the engine emits them: the culprits of a rollback or a pause
 * (`check:breached`), missing data (`check:no_data`), and `alert` checks that started breaching. Only what is new
 * since the previous evaluation (`prior`), so a rollout paused on missing data does not announce it every minute.
 */
export function judgeEvidence(
  ref: DeployRef,
  results: readonly CheckResult[],
  decision: Decision,
  prior: Decision | null,
): LifecycleEvent[] {
  const breached = (names: readonly string[]): LifecycleEvent[] =>
    results
      .filter((r) => names.includes(r.name))
      .map((check) => ({ type: 'check:breached' as const, deploy: ref, check, decision }));
  if (decision.action === 'rollback') return breached(decision.culprits);
  const wasBlind = !!prior && (prior.action === 'hold' || (prior.action === 'pause' && prior.blind));
  const blind = decision.action === 'hold' || (decision.action === 'pause' && decision.blind);
  const events: LifecycleEvent[] = [];
  if (blind && !wasBlind) {
    events.push({
      type: 'check:no_data',
      deploy: ref,
      checks: results.filter((r) => r.verdict === 'no_data' || r.verdict === 'error'),
    });
  }
  if (decision.action === 'pause' && !decision.blind) {
    const before = prior?.action === 'pause' && !prior.blind ? prior.culprits : [];
    events.push(...breached(decision.culprits.filter((c) => !before.includes(c))));
  }
  events.push(...breached(decision.alerts.filter((a) => !(prior?.alerts ?? []).includes(a))));
  return events;
}
