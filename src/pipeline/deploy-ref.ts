import type { ResolvedService } from '../config/resolved-config.js';
import type { DeployRef } from '../events/lifecycle-event.js';
import type { Deploy } from './deploy.js';

/** Percent of traffic the new version has in this state. */
export function currentTraffic(d: Deploy, service: ResolvedService | undefined): number {
  if (d.state === 'promoted') return 100;
  if (d.stageIndex < 0 || !service) return 0;
  if (d.state === 'rolled_back' || d.state === 'superseded') return 0;
  // Argo Rollouts / Flagger set the weight themselves and report it; the stage plan does not say it.
  if (d.driver === 'external') return d.externalTraffic ?? 0;
  // Before a stage's shift completes, the previous stage's traffic is still live.
  const live = d.stageStartedAt === null ? d.stageIndex - 1 : d.stageIndex;
  return live >= 0 ? (service.stages[live]?.traffic ?? 0) : 0;
}

/** The snapshot of a deploy that events carry. */
export function deployRef(d: Deploy, service: ResolvedService | undefined): DeployRef {
  return {
    id: d.id,
    service: d.service,
    version: d.version,
    previousVersion: d.previousVersion,
    changes: d.changes,
    state: d.state,
    stageIndex: d.stageIndex,
    stage: d.stageIndex >= 0 ? (service?.stages[d.stageIndex]?.name ?? null) : null,
    traffic: currentTraffic(d, service),
  };
}
