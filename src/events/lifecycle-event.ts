import type { Change, Deploy, PauseKind } from '../pipeline/deploy.js';
import type { CheckResult, Decision } from '../analysis/verdict.js';

/** What every event about a deploy carries, so consumers need no lookups. */
export interface DeployRef {
  id: string;
  service: string;
  version: string;
  previousVersion: string | null;
  changes: Change[];
  state: Deploy['state'];
  stageIndex: number;
  stage: string | null;
  traffic: number;
}

/** The typed lifecycle events: stored in the event log first, then fed to notifiers, dashboard and safety. */
export type LifecycleEvent =
  | { type: 'deploy:queued'; deploy: DeployRef }
  | { type: 'deploy:started'; deploy: DeployRef }
  | { type: 'deploy:superseded'; deploy: DeployRef; by: string }
  | {
      type: 'stage:advanced';
      deploy: DeployRef;
      from: string | null;
      to: string;
      traffic: number;
      output?: string;
    }
  | { type: 'check:breached'; deploy: DeployRef; check: CheckResult; decision: Decision }
  | { type: 'check:no_data'; deploy: DeployRef; checks: CheckResult[] }
  | { type: 'deploy:paused'; deploy: DeployRef; kind: PauseKind; reason: string }
  | { type: 'deploy:resumed'; deploy: DeployRef; reason: string; automatic: boolean }
  | { type: 'deploy:rolling_back'; deploy: DeployRef; reason: string; automatic: boolean }
  | { type: 'deploy:rolled_back'; deploy: DeployRef; reason: string; automatic: boolean; output?: string }
  | { type: 'deploy:promoted'; deploy: DeployRef; skipped: boolean; reason: string }
  | { type: 'deploy:aborted'; deploy: DeployRef; reason: string }
  | { type: 'deploy:failed'; deploy: DeployRef; reason: string; output?: string }
  | { type: 'deployer:failed'; deploy: DeployRef; action: string; output: string }
  | { type: 'gate:failed'; deploy: DeployRef; stage: string; output: string }
  | { type: 'hold:set'; hold: { id: string; scope: HoldScope; target: string | null; reason: string } }
  | { type: 'hold:released'; hold: { id: string; scope: HoldScope; target: string | null; reason: string } };

export type HoldScope = 'service' | 'team' | 'all';
export type LifecycleEventType = LifecycleEvent['type'];

/** An event as stored in the log: ordered by `seq`, stamped with the engine's clock and who caused it. */
export interface StoredEvent {
  seq: number;
  at: number;
  actor: string;
  deployId: string | null;
  service: string | null;
  event: LifecycleEvent;
}
