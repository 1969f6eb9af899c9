/** A deploy's lifecycle. `rolling_back` is the only transient state: the rollback action is in flight. */
export type DeployState =
  | 'queued'
  | 'running'
  | 'paused'
  | 'rolling_back'
  | 'promoted'
  | 'rolled_back'
  | 'aborted'
  | 'failed'
  | 'superseded';

export const TERMINAL_STATES: readonly DeployState[] = [
  'promoted',
  'rolled_back',
  'aborted',
  'failed',
  'superseded',
];
export const ACTIVE_STATES: readonly DeployState[] = ['running', 'paused', 'rolling_back'];

export function isTerminal(state: DeployState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** One change a deploy carries (a PR or commit). */
export interface Change {
  id: string;
  title?: string;
  author?: string;
  url?: string;
}

export type TriggerKind = 'user' | 'ci' | 'api' | 'argo' | 'flagger' | 'slack' | 'replay' | 'demo';
export interface Trigger {
  kind: TriggerKind;
  /** Who asked: a user name, a token name, a CI job id. */
  actor: string;
}

/**
 * Who shifts a deploy's traffic: `releasebot` walks its stages through a deployer; `external` deploys are driven by
 * Argo Rollouts or Flagger, which ask releasebot for verdicts; the engine never runs their stages or actions.
 */
export type DeployDriver = 'releasebot' | 'external';

/** Why a deploy is paused: decides whether it may resume on its own. */
export type PauseKind = 'manual' | 'check' | 'no_data' | 'gate' | 'deployer' | 'hold';

/**
 * A side effect that was decided and stored but not yet confirmed done (the outbox). After a crash it is
 * executed again with the same idempotency key, so deployers can drop the repeat.
 */
export type PendingAction =
  | { kind: 'gate'; stageIndex: number; key: string }
  | { kind: 'shift'; stageIndex: number; traffic: number; key: string; thenPromote?: boolean }
  | { kind: 'rollback'; key: string; reason: string; automatic: boolean }
  | { kind: 'promote'; key: string; skipped?: boolean };

export interface Deploy {
  id: string;
  service: string;
  version: string;
  previousVersion: string | null;
  changes: Change[];
  trigger: Trigger;
  driver: DeployDriver;
  /** External deploys: the canary's traffic percent the external system last reported; null for releasebot's. */
  externalTraffic: number | null;
  state: DeployState;
  /** Current stage, -1 while queued. */
  stageIndex: number;
  /** When the current stage's traffic shift completed; the bake counts from here (moved forward on resume). */
  stageStartedAt: number | null;
  /** Bake already done in the current stage when it was paused, ms. */
  bakeDoneMs: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** One line: why it is paused, or how it ended. */
  reason: string | null;
  pauseKind: PauseKind | null;
  idempotencyKey: string | null;
  /** Builds this one superseded in a `latest` queue (their changes are in `changes`). */
  supersedes: string[];
  pending: PendingAction | null;
  /** Attempts of the current stage's actions; part of idempotency keys so a retry after resume is new. */
  attempt: number;
  lastEvaluatedAt: number | null;
  /** Bumped on every write; writes compare-and-set on it. */
  revision: number;
}

export interface NewDeploy {
  service: string;
  version: string;
  previousVersion?: string | null;
  changes?: Change[];
  trigger: Trigger;
  idempotencyKey?: string | null;
  /** Default `releasebot`. */
  driver?: DeployDriver;
}
