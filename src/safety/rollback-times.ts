import type { StoredEvent } from '../events/lifecycle-event.js';
import type { EvaluationRecord } from '../store/store.js';
import { exposureShare, type TrafficStep } from './exposure-share.js';
import { regressionStart } from './regression-start.js';

/** The timing of an automatic rollback, as the incident it opens records it. */
export interface RollbackTimes {
  /** The regression's first breaching sample (see regressionStart), never before the first traffic shift. */
  impactStart: number;
  /** The rollback decision: the evaluation that decided it. */
  detectedAt: number;
  /** The rollback finished (`deploy:rolled_back`); null while it runs or when it failed. */
  mitigatedAt: number | null;
  /** Time-weighted traffic percent on the new version from impactStart to mitigatedAt (else detectedAt). */
  exposurePct: number;
  culprits: string[];
  reason: string;
}

/**
 * Reads a deploy's event log and evaluations (oldest first) as they stood at event `uptoSeq`. Returns null when the
 * deploy was not rolled back automatically by then, or when no traffic shift had completed (no customer saw it).
 */
export function rollbackTimes(
  events: readonly StoredEvent[],
  evaluations: readonly EvaluationRecord[],
  uptoSeq: number,
): RollbackTimes | null {
  const seen = events.filter((e) => e.seq <= uptoSeq);
  const rb = seen.find((e) => e.event.type === 'deploy:rolling_back' && e.event.automatic);
  if (!rb || rb.event.type !== 'deploy:rolling_back') return null;
  const done = seen.find((e) => e.seq > rb.seq && e.event.type === 'deploy:rolled_back');
  const steps: TrafficStep[] = seen.flatMap((e) =>
    e.seq < rb.seq && e.event.type === 'stage:advanced' ? [{ at: e.at, traffic: e.event.traffic }] : [],
  );
  if (!steps.length) return null;

  const decisionIndex = evaluations.findLastIndex(
    (ev) => ev.at <= rb.at && ev.decision.action === 'rollback',
  );
  const decision = evaluations[decisionIndex];
  const detectedAt = decision?.at ?? rb.at;
  // Without the decision's evaluation the regression cannot be dated finer than the stage that caught it.
  const fallback = steps.filter((s) => s.at <= detectedAt).at(-1)?.at ?? steps[0].at;
  const start = decision
    ? (regressionStart(evaluations, decisionIndex, decision.decision.culprits) ?? steps[0].at)
    : fallback;
  const impactStart = Math.min(Math.max(start, steps[0].at), detectedAt);
  const mitigatedAt = done?.at ?? null;
  const breached = seen.flatMap((e) =>
    e.seq <= rb.seq && e.event.type === 'check:breached' ? [e.event.check.name] : [],
  );
  return {
    impactStart,
    detectedAt,
    mitigatedAt,
    exposurePct: exposureShare(steps, impactStart, mitigatedAt ?? detectedAt),
    culprits: decision?.decision.culprits ?? [...new Set(breached)],
    reason: rb.event.reason,
  };
}
