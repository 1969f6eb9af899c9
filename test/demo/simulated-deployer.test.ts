import { describe, expect, it } from 'vitest';
import { WEBAPP_PROFILE } from '../../src/demo/service-profile.js';
import { SimulatedDeployer } from '../../src/demo/simulated-deployer.js';
import { SimulatedService } from '../../src/demo/simulated-service.js';
import { TrafficSplit } from '../../src/demo/traffic-split.js';
import { ManualClock } from '../../src/time/clock.js';
import { deployerCall } from '../deployers/deployer-call.js';

const T0 = Date.UTC(2025, 2, 4, 10, 0);

function setup() {
  const clock = new ManualClock(T0);
  const split = new TrafficSplit('v1.87.0', T0);
  const deployer = new SimulatedDeployer({ service: new SimulatedService(WEBAPP_PROFILE, 1), split, clock });
  return { clock, split, deployer };
}

describe('SimulatedDeployer', () => {
  it('moves the traffic split as the engine shifts, and the metrics read the split of each moment', async () => {
    const { clock, split, deployer } = setup();
    clock.advance(60_000);
    const r = await deployer.shift({ ...deployerCall({ version: 'v1.88.0' }), traffic: 10 });
    expect(r.ok).toBe(true);
    expect(r.output).toContain('10% of traffic on 4 of 40 hosts');
    expect(split.at(T0 + 30_000)).toMatchObject({ stable: 'v1.87.0', canary: null, share: 0 });
    expect(split.at(clock.now())).toEqual({
      stable: 'v1.87.0',
      canary: 'v1.88.0',
      share: 10,
      since: clock.now(),
    });
  });

  it('rolls back to the stable version and promotes a finished one', async () => {
    const { clock, split, deployer } = setup();
    await deployer.shift({ ...deployerCall({ version: 'v1.88.0' }), traffic: 1 });
    clock.advance(120_000);
    const back = await deployer.rollback({ ...deployerCall({ version: 'v1.88.0' }), traffic: 0 });
    expect(back.output).toContain('v1.87.0 serves all traffic');
    expect(split.current()).toMatchObject({ stable: 'v1.87.0', canary: null, share: 0 });

    await deployer.shift({ ...deployerCall({ version: 'v1.88.1' }), traffic: 100 });
    clock.advance(60_000);
    await deployer.promote({ ...deployerCall({ version: 'v1.88.1' }), traffic: 100 });
    expect(split.current()).toMatchObject({ stable: 'v1.88.1', canary: null, share: 0 });
  });
});
