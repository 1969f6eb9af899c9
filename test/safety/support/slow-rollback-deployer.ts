import type { DeployerCall, DeployerResult } from '../../../src/deployers/deployer.js';
import type { ManualClock } from '../../../src/time/clock.js';
import { RecordingDeployer } from '../../support/recording-deployer.js';

/**
 * A deploy system whose rollbacks take `rollbackMs` of the harness's manual clock, so mitigation comes after
 * detection. Set `clock` once the harness made it.
 */
export class SlowRollbackDeployer extends RecordingDeployer {
  clock: ManualClock | undefined;

  constructor(private readonly rollbackMs: number) {
    super();
  }

  override rollback(c: DeployerCall): Promise<DeployerResult> {
    this.clock?.advance(this.rollbackMs);
    return super.rollback(c);
  }
}
