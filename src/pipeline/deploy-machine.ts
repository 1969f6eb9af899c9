import type { ResolvedService } from '../config/resolved-config.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { LifecycleEvent } from '../events/lifecycle-event.js';
import type { Deploy, PauseKind, PendingAction } from './deploy.js';
import { isTerminal } from './deploy.js';
import { deployRef } from './deploy-ref.js';

/**
 * The deploy state machine as pure functions: each takes the stored deploy and returns the next one plus the events
 * that describe the change. The engine stores both in one transaction before it performs any side effect.
 */
export interface Transition {
  next: Deploy;
  events: LifecycleEvent[];
}

const OUTPUT_IN_REASON = 300;

function key(d: Deploy, kind: string, stageIndex: number | string = '-'): string {
  return `${d.id}:${kind}:${stageIndex}:${d.attempt}`;
}

/** The first action of stage `i`: its gate when it has one, else the traffic shift. */
function stageEntry(d: Deploy, svc: ResolvedService, i: number, thenPromote = false): PendingAction {
  const stage = svc.stages[i];
  if (stage.gate && !thenPromote) return { kind: 'gate', stageIndex: i, key: key(d, 'gate', i) };
  return {
    kind: 'shift',
    stageIndex: i,
    traffic: stage.traffic,
    key: key(d, 'shift', i),
    ...(thenPromote ? { thenPromote } : {}),
  };
}

function withEvents(
  next: Deploy,
  svc: ResolvedService,
  make: (ref: ReturnType<typeof deployRef>) => LifecycleEvent[],
) {
  return { next, events: make(deployRef(next, svc)) };
}

export function startDeploy(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  previousVersion: string | null,
): Transition {
  const base: Deploy = {
    ...d,
    state: 'running',
    stageIndex: 0,
    startedAt: now,
    previousVersion: d.previousVersion ?? previousVersion,
    attempt: 0,
  };
  const next = { ...base, pending: stageEntry(base, svc, 0) };
  return withEvents(next, svc, (ref) => [{ type: 'deploy:started', deploy: ref }]);
}

export function supersede(d: Deploy, svc: ResolvedService, now: number, by: string): Transition {
  const next: Deploy = {
    ...d,
    state: 'superseded',
    endedAt: now,
    reason: `superseded by ${by}`,
    pending: null,
  };
  return withEvents(next, svc, (ref) => [{ type: 'deploy:superseded', deploy: ref, by }]);
}

export function gatePassed(d: Deploy, svc: ResolvedService): Transition {
  const i = d.stageIndex;
  return {
    next: {
      ...d,
      pending: { kind: 'shift', stageIndex: i, traffic: svc.stages[i].traffic, key: key(d, 'shift', i) },
    },
    events: [],
  };
}

export function gateFailed(d: Deploy, svc: ResolvedService, output: string): Transition {
  const stage = svc.stages[d.stageIndex].name;
  const reason = `gate before ${stage} failed: ${tail(output)}`;
  const next: Deploy = { ...d, state: 'paused', pauseKind: 'gate', reason };
  return withEvents(next, svc, (ref) => [
    { type: 'gate:failed', deploy: ref, stage, output },
    { type: 'deploy:paused', deploy: ref, kind: 'gate', reason },
  ]);
}

export function shiftDone(d: Deploy, svc: ResolvedService, now: number, output: string): Transition {
  const pending = d.pending;
  if (pending?.kind !== 'shift') throw new Error(`shiftDone without a pending shift on ${d.id}`);
  const prevStage = previousStageName(d, svc, pending);
  const next: Deploy = {
    ...d,
    stageIndex: pending.stageIndex,
    stageStartedAt: now,
    bakeDoneMs: 0,
    lastEvaluatedAt: now,
    pending: pending.thenPromote ? { kind: 'promote', key: key(d, 'promote'), skipped: true } : null,
  };
  const stage = svc.stages[pending.stageIndex];
  return withEvents(next, svc, (ref) => [
    {
      type: 'stage:advanced',
      deploy: ref,
      from: prevStage,
      to: stage.name,
      traffic: stage.traffic,
      ...(output ? { output } : {}),
    },
  ]);
}

/** The stage whose traffic was live before this shift: the current one if it had started, else the one before. */
function previousStageName(d: Deploy, svc: ResolvedService, pending: { stageIndex: number }): string | null {
  if (d.stageStartedAt !== null) return svc.stages[d.stageIndex]?.name ?? null;
  return pending.stageIndex > 0 ? (svc.stages[pending.stageIndex - 1]?.name ?? null) : null;
}

/** A deployer action other than rollback failed: pause with its output, never leave the deploy unknown. */
export function actionFailed(
  d: Deploy,
  svc: ResolvedService,
  action: string,
  output: string,
  timedOut = false,
): Transition {
  const reason = `${action} ${timedOut ? 'timed out' : 'failed'}: ${tail(output)}`;
  const next: Deploy = { ...d, state: 'paused', pauseKind: 'deployer', reason };
  return withEvents(next, svc, (ref) => [
    { type: 'deployer:failed', deploy: ref, action, output },
    { type: 'deploy:paused', deploy: ref, kind: 'deployer', reason },
  ]);
}

/** Bake is over: enter the next stage, or finish after the last. */
export function advance(d: Deploy, svc: ResolvedService): Transition {
  if (d.stageIndex >= svc.stages.length - 1) {
    return { next: { ...d, pending: { kind: 'promote', key: key(d, 'promote') } }, events: [] };
  }
  const i = d.stageIndex + 1;
  const next: Deploy = { ...d, stageIndex: i, stageStartedAt: null, bakeDoneMs: 0 };
  return { next: { ...next, pending: stageEntry(next, svc, i) }, events: [] };
}

export function promoteDone(d: Deploy, svc: ResolvedService, now: number, skipped: boolean): Transition {
  const reason = skipped ? 'promoted early: remaining stages skipped' : 'all checks passed';
  const next: Deploy = { ...d, state: 'promoted', endedAt: now, pending: null, reason, pauseKind: null };
  return withEvents(next, svc, (ref) => [{ type: 'deploy:promoted', deploy: ref, skipped, reason }]);
}

export function requestRollback(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  reason: string,
  automatic: boolean,
): Transition {
  if (d.state === 'rolling_back') return { next: d, events: [] };
  if (d.state === 'queued')
    throw new ReleasebotError('DEPLOY_STATE', `deploy ${d.id} has not started; abort it instead`);
  if (isTerminal(d.state) && d.state !== 'failed') {
    throw new ReleasebotError('DEPLOY_FINISHED', `deploy ${d.id} already ended (${d.state})`);
  }
  // A failed rollback may be retried: a new attempt gets a new idempotency key.
  const attempt = d.state === 'failed' ? d.attempt + 1 : d.attempt;
  const base: Deploy = { ...d, attempt, state: 'rolling_back', pauseKind: null, reason, endedAt: null };
  const next: Deploy = {
    ...base,
    pending: { kind: 'rollback', key: key(base, 'rollback'), reason, automatic },
  };
  void now;
  return withEvents(next, svc, (ref) => [{ type: 'deploy:rolling_back', deploy: ref, reason, automatic }]);
}

export function rollbackDone(d: Deploy, svc: ResolvedService, now: number, output: string): Transition {
  const pending = d.pending?.kind === 'rollback' ? d.pending : null;
  const reason = pending?.reason ?? d.reason ?? 'rolled back';
  const next: Deploy = { ...d, state: 'rolled_back', endedAt: now, pending: null, reason };
  return withEvents(next, svc, (ref) => [
    {
      type: 'deploy:rolled_back',
      deploy: ref,
      reason,
      automatic: pending?.automatic ?? false,
      ...(output ? { output } : {}),
    },
  ]);
}

export function rollbackFailed(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  output: string,
  timedOut = false,
): Transition {
  const reason = `rollback ${timedOut ? 'timed out' : 'failed'}: ${tail(output)}; traffic may still reach ${d.version}`;
  const next: Deploy = { ...d, state: 'failed', endedAt: now, pending: null, reason };
  return withEvents(next, svc, (ref) => [
    { type: 'deployer:failed', deploy: ref, action: 'rollback', output },
    { type: 'deploy:failed', deploy: ref, reason, output },
  ]);
}

export function pause(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  kind: PauseKind,
  reason: string,
): Transition {
  if (d.state === 'paused') return { next: d, events: [] };
  assertOpen(d);
  if (d.state !== 'running')
    throw new ReleasebotError('DEPLOY_STATE', `deploy ${d.id} is ${d.state}; it cannot be paused`);
  const bakeDoneMs = d.stageStartedAt === null ? d.bakeDoneMs : Math.max(0, now - d.stageStartedAt);
  const next: Deploy = { ...d, state: 'paused', pauseKind: kind, reason, bakeDoneMs };
  return withEvents(next, svc, (ref) => [{ type: 'deploy:paused', deploy: ref, kind, reason }]);
}

export function resume(
  d: Deploy,
  svc: ResolvedService,
  now: number,
  reason: string,
  automatic: boolean,
): Transition {
  if (d.state === 'running') return { next: d, events: [] };
  assertOpen(d);
  if (d.state !== 'paused')
    throw new ReleasebotError('DEPLOY_STATE', `deploy ${d.id} is ${d.state}; only a paused deploy resumes`);
  let next: Deploy = {
    ...d,
    state: 'running',
    pauseKind: null,
    reason: null,
    // The bake clock stopped while paused: move the stage start forward by the pause.
    stageStartedAt: d.stageStartedAt === null ? null : now - d.bakeDoneMs,
    lastEvaluatedAt: now,
  };
  // A failed gate or deployer action is retried as a new attempt with a fresh idempotency key.
  if ((d.pauseKind === 'gate' || d.pauseKind === 'deployer') && d.pending) {
    next = { ...next, attempt: d.attempt + 1 };
    next = { ...next, pending: renewKey(next, d.pending) };
  }
  return withEvents(next, svc, (ref) => [{ type: 'deploy:resumed', deploy: ref, reason, automatic }]);
}

function renewKey(d: Deploy, p: PendingAction): PendingAction {
  switch (p.kind) {
    case 'gate':
      return { ...p, key: key(d, 'gate', p.stageIndex) };
    case 'shift':
      return { ...p, key: key(d, 'shift', p.stageIndex) };
    case 'promote':
      return { ...p, key: key(d, 'promote') };
    case 'rollback':
      return { ...p, key: key(d, 'rollback') };
  }
}

export function abort(d: Deploy, svc: ResolvedService, now: number, reason: string): Transition {
  assertOpen(d);
  if (d.state === 'rolling_back')
    throw new ReleasebotError('DEPLOY_STATE', `deploy ${d.id} is rolling back; wait for it`);
  const next: Deploy = { ...d, state: 'aborted', endedAt: now, pending: null, reason };
  return withEvents(next, svc, (ref) => [{ type: 'deploy:aborted', deploy: ref, reason }]);
}

/** A person ends the current stage's bake now: the deploy moves on to the next stage (or finishes). */
export function advanceNow(d: Deploy, svc: ResolvedService): Transition {
  assertOpen(d);
  if (d.state !== 'running' || d.pending || d.stageStartedAt === null) {
    throw new ReleasebotError(
      'DEPLOY_STATE',
      `deploy ${d.id} is ${d.pending ? `busy (${d.pending.kind})` : d.state}; only a running deploy baking a stage can advance`,
    );
  }
  return advance(d, svc);
}

/** Skip the remaining stages: shift straight to the last stage's traffic, then finish without baking. */
export function promoteNow(d: Deploy, svc: ResolvedService): Transition {
  assertOpen(d);
  if (d.state !== 'running' && d.state !== 'paused') {
    throw new ReleasebotError(
      'DEPLOY_STATE',
      `deploy ${d.id} is ${d.state}; only a running or paused deploy can be promoted`,
    );
  }
  const last = svc.stages.length - 1;
  const base: Deploy = { ...d, state: 'running', pauseKind: null, reason: null, attempt: d.attempt + 1 };
  const next: Deploy = { ...base, pending: stageEntry(base, svc, last, true) };
  return { next, events: [] };
}

function assertOpen(d: Deploy): void {
  if (isTerminal(d.state))
    throw new ReleasebotError('DEPLOY_FINISHED', `deploy ${d.id} already ended (${d.state})`);
}

/** The last part of an action's output, for one-line reasons. */
export function tail(output: string): string {
  const flat = output.trim().replace(/\s+/g, ' ');
  if (!flat) return '(no output)';
  return flat.length > OUTPUT_IN_REASON ? `…${flat.slice(-OUTPUT_IN_REASON)}` : flat;
}
