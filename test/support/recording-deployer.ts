import type { Deployer, DeployerCall, DeployerResult } from '../../src/deployers/deployer.js';

export interface RecordedCall {
  action: 'shift' | 'rollback' | 'promote';
  deployId: string;
  traffic: number;
  stage: string | null;
  key: string;
  fence: number;
}

/** Thrown to simulate the process dying in the middle of an action. */
export class SimulatedCrash extends Error {}

/**
 * The far side of a deploy system, for engine tests: records every call, dedups by idempotency key like a real
 * deploy system should, and can be told to fail or to "crash" around a call.
 */
export class RecordingDeployer implements Deployer {
  readonly type = 'recording';
  readonly calls: RecordedCall[] = [];
  /** Keys whose action took effect, in order (a repeat of the same key is not applied twice). */
  readonly applied: string[] = [];
  failNext: Array<{ action: RecordedCall['action']; output: string; timedOut?: boolean }> = [];
  /** Crash after applying the Nth call (1-based), before the engine can record it. */
  crashAfterCall: number | null = null;

  shift(c: DeployerCall) {
    return this.run('shift', c);
  }
  rollback(c: DeployerCall) {
    return this.run('rollback', c);
  }
  promote(c: DeployerCall) {
    return this.run('promote', c);
  }

  private async run(action: RecordedCall['action'], c: DeployerCall): Promise<DeployerResult> {
    this.calls.push({
      action,
      deployId: c.deploy.id,
      traffic: c.traffic,
      stage: c.stage?.name ?? null,
      key: c.idempotencyKey,
      fence: c.fence,
    });
    const fail = this.failNext.findIndex((f) => f.action === action);
    if (fail >= 0) {
      const [f] = this.failNext.splice(fail, 1);
      return { ok: false, output: f.output, durationMs: 1, ...(f.timedOut ? { timedOut: true } : {}) };
    }
    if (!this.applied.includes(c.idempotencyKey)) this.applied.push(c.idempotencyKey);
    if (this.crashAfterCall !== null && this.calls.length === this.crashAfterCall) {
      throw new SimulatedCrash(`crash after ${action} ${c.idempotencyKey}`);
    }
    return { ok: true, output: `${action} ${c.deploy.version} to ${c.traffic}%`, durationMs: 1 };
  }
}
