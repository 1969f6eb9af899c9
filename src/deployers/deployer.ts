import type { ResolvedService, ResolvedStage } from '../config/resolved-config.js';
import type { Deploy } from '../pipeline/deploy.js';

export interface DeployerCall {
  service: ResolvedService;
  deploy: Deploy;
  /** The stage being entered (shift) or current (rollback, promote). */
  stage: ResolvedStage | null;
  /** Percent of traffic the new version should have after the call. */
  traffic: number;
  /** Same key for the same action, also when repeated after a crash: deployers drop repeats. */
  idempotencyKey: string;
  /** Fencing token of the replica acting; deployers may reject stale (lower) tokens. */
  fence: number;
  signal?: AbortSignal;
}

/** A deployer never throws for a failed action: it reports it, so the deploy never ends in an unknown state. */
export interface DeployerResult {
  ok: boolean;
  /** Combined output (stdout/stderr or response body), truncated to a few KB. */
  output: string;
  durationMs: number;
  timedOut?: boolean;
}

/** The boundary to a deploy system: shift traffic, roll back, finish. */
export interface Deployer {
  readonly type: string;
  shift(call: DeployerCall): Promise<DeployerResult>;
  rollback(call: DeployerCall): Promise<DeployerResult>;
  promote(call: DeployerCall): Promise<DeployerResult>;
}
