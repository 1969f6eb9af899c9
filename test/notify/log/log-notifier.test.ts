import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import { appendEvents, notifyConfig, rolledBackDeployEvents } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

describe('log notifier (no notifier configured)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await pumpHarness(notifyConfig({}));
  });
  afterEach(() => h.close());

  it('writes one line per event to the terminal and to the log', async () => {
    await appendEvents(h.store, rolledBackDeployEvents());
    expect(await drainOnce(h.deps)).toMatchObject({ enqueued: 5, delivered: 5 });
    expect(h.terminal).toEqual([
      '12:04 webapp v1.4.2: started (from v1.4.1)\n',
      '12:05 webapp v1.4.2 canary 1%: advanced to canary (1% traffic)\n',
      '12:06 webapp v1.4.2 canary 1%: error-ratio breached (canary 0.84% vs 0.11%, z=7.9) → rolling back\n',
      '12:07 webapp v1.4.2 canary 1%: rolling back (automatic): error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)\n',
      '12:08 webapp v1.4.2 canary 0%: rolled back to v1.4.1: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)\n',
    ]);
    const logged = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event);
    expect(logged.map((l) => [l.level, l.event, l.deployId])).toEqual([
      [30, 'deploy:started', 'd-1'],
      [30, 'stage:advanced', 'd-1'],
      [50, 'check:breached', 'd-1'],
      [50, 'deploy:rolling_back', 'd-1'],
      [50, 'deploy:rolled_back', 'd-1'],
    ]);
  });
});
