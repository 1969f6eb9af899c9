import type { Deployer, DeployerCall, DeployerResult } from '../deployers/deployer.js';
import type { Clock } from '../time/clock.js';
import type { SimulatedService } from './simulated-service.js';
import type { TrafficSplit } from './traffic-split.js';

/**
 * The demo's deploy system: moves the simulated service's traffic split as the engine asks (the new version on a
 * share of the hosts, rollback, promotion), as a real rollout controller would. Which builds are bad is known to
 * the simulated service alone; the engine learns it only from the metrics.
 */
export class SimulatedDeployer implements Deployer {
  readonly type = 'simulated';

  constructor(private readonly o: { service: SimulatedService; split: TrafficSplit; clock: Clock }) {}

  async shift(call: DeployerCall): Promise<DeployerResult> {
    const { version } = call.deploy;
    this.o.split.shift(this.o.clock.now(), version, call.traffic);
    const hosts = this.o.service.profile.hosts;
    const on = Math.max(1, Math.round((call.traffic / 100) * hosts));
    return done(`${version} serves ${call.traffic}% of traffic on ${on} of ${hosts} hosts`);
  }

  async rollback(call: DeployerCall): Promise<DeployerResult> {
    const state = this.o.split.rollback(this.o.clock.now());
    return done(`${call.deploy.version} taken off its hosts; ${state.stable} serves all traffic`);
  }

  async promote(call: DeployerCall): Promise<DeployerResult> {
    this.o.split.promote(this.o.clock.now(), call.deploy.version);
    return done(`${call.deploy.version} is the stable version on all ${this.o.service.profile.hosts} hosts`);
  }
}

function done(output: string): DeployerResult {
  return { ok: true, output, durationMs: 0 };
}
