import type { ResolvedService } from '../config/resolved-config.js';
import type { LifecycleEvent } from '../events/lifecycle-event.js';
import type { Deploy } from '../pipeline/deploy.js';
import { deployRef } from '../pipeline/deploy-ref.js';
import * as machine from '../pipeline/deploy-machine.js';
import { stageForWeight } from './stage-for-weight.js';

/**
 * Transitions of externally driven deploys, pure like the deploy machine and built on it where the step is the
 * same, so notifiers, the dashboard and deploy safety see exactly the events of a deploy releasebot drives.
 */

/** Starts a queued external deploy at `weight` percent: `deploy:started`, then `stage:advanced` (the exposure). */
export function startExternal(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  weight: number,
  previousVersion: string | null,
): machine.Transition {
  const stageIndex = stageForWeight(svc.stages, weight);
  const next: Deploy = {
    ...d,
    state: 'running',
    startedAt: now,
    stageIndex,
    stageStartedAt: now,
    bakeDoneMs: 0,
    externalTraffic: weight,
    previousVersion: d.previousVersion ?? previousVersion,
    pending: null,
  };
  const ref = deployRef(next, svc);
  return {
    next,
    events: [
      { type: 'deploy:started', deploy: ref },
      {
        type: 'stage:advanced',
        deploy: ref,
        from: null,
        to: svc.stages[stageIndex]?.name ?? `${weight}%`,
        traffic: weight,
      },
    ],
  };
}

/** The external system moved the canary to `weight` percent: a `stage:advanced` the analyzer reads as exposure. */
export function exposeExternal(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  weight: number,
): machine.Transition {
  if (d.externalTraffic === weight) return { next: d, events: [] };
  const from = svc.stages[d.stageIndex]?.name ?? null;
  const stageIndex = stageForWeight(svc.stages, weight);
  const next: Deploy = { ...d, stageIndex, stageStartedAt: now, bakeDoneMs: 0, externalTraffic: weight };
  return {
    next,
    events: [
      {
        type: 'stage:advanced',
        deploy: deployRef(next, svc),
        from,
        to: svc.stages[stageIndex]?.name ?? `${weight}%`,
        traffic: weight,
      },
    ],
  };
}

/**
 * Records a rollback the external system performs (on releasebot's `fail`, or on its own): `deploy:rolling_back`
 * and `deploy:rolled_back` in one step, after the evidence events (`check:breached`) when releasebot decided it.
 */
export function rollBackExternal(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  reason: string,
  opts: { automatic: boolean; evidence?: LifecycleEvent[]; output?: string },
): machine.Transition {
  const requested =
    d.state === 'rolling_back'
      ? { next: d, events: [] }
      : machine.requestRollback(d, svc, now, reason, opts.automatic);
  const done = machine.rollbackDone(requested.next, svc, now, opts.output ?? '');
  return { next: done.next, events: [...(opts.evidence ?? []), ...requested.events, ...done.events] };
}

/** The external system finished the rollout: `deploy:promoted` with its reason. */
export function promoteExternal(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  reason: string,
): machine.Transition {
  const next: Deploy = {
    ...d,
    state: 'promoted',
    endedAt: now,
    pending: null,
    reason,
    pauseKind: null,
    externalTraffic: 100,
  };
  return {
    next,
    events: [{ type: 'deploy:promoted', deploy: deployRef(next, svc), skipped: false, reason }],
  };
}
