import type { Deployer, DeployerResult } from '../deployer.js';

const DONE: DeployerResult = { ok: true, output: 'no deployer configured', durationMs: 0 };

/**
 * For services whose traffic something else shifts (Argo Rollouts, Flagger, CI): releasebot only judges and
 * records, so every action succeeds at once.
 */
export class NoneDeployer implements Deployer {
  readonly type = 'none';

  shift(): Promise<DeployerResult> {
    return Promise.resolve({ ...DONE });
  }

  rollback(): Promise<DeployerResult> {
    return Promise.resolve({ ...DONE });
  }

  promote(): Promise<DeployerResult> {
    return Promise.resolve({ ...DONE });
  }
}
