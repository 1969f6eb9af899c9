import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, StoredEvent } from '../../../src/events/lifecycle-event.js';
import { renderEventLine } from '../../../src/notify/log/render-event-line.js';
import {
  breachCheck,
  deployRef,
  rolledBackDeployEvents,
  rollbackDecision,
  T0,
} from '../support/notify-fixtures.js';

const stored = (event: LifecycleEvent, actor = 'releasebot', at = T0): StoredEvent => ({
  seq: 1,
  at,
  actor,
  deployId: 'deploy' in event ? event.deploy.id : null,
  service: 'deploy' in event ? event.deploy.service : null,
  event,
});
const line = (event: LifecycleEvent, actor?: string) =>
  renderEventLine(stored(event, actor), { timeZone: 'UTC' });

describe('renderEventLine', () => {
  it('renders a breach with its numbers and the action taken', () => {
    expect(
      line({ type: 'check:breached', deploy: deployRef(), check: breachCheck, decision: rollbackDecision }),
    ).toBe(
      '12:04 webapp v1.4.2 canary 1%: error-ratio breached (canary 0.84% vs 0.11%, z=7.9) → rolling back',
    );
  });

  it('uses the z-score detector’s value and baseline when there is no canary comparison', () => {
    const check = {
      ...breachCheck,
      action: 'alert' as const,
      evidence: { unit: 'ms', value: 412, baselineMean: 180.25, z: 4.04 },
    };
    const decision = {
      ...rollbackDecision,
      action: 'continue' as const,
      culprits: [],
      alerts: ['error-ratio'],
    };
    expect(line({ type: 'check:breached', deploy: deployRef(), check, decision })).toBe(
      '12:04 webapp v1.4.2 canary 1%: error-ratio breached (412ms vs baseline 180ms, z=4) → alert only',
    );
  });

  it('renders every step of a rolled-back deploy on one line each', () => {
    expect(rolledBackDeployEvents().map((e) => line(e))).toEqual([
      '12:04 webapp v1.4.2: started (from v1.4.1)',
      '12:04 webapp v1.4.2 canary 1%: advanced to canary (1% traffic)',
      '12:04 webapp v1.4.2 canary 1%: error-ratio breached (canary 0.84% vs 0.11%, z=7.9) → rolling back',
      '12:04 webapp v1.4.2 canary 1%: rolling back (automatic): error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
      '12:04 webapp v1.4.2 canary 0%: rolled back to v1.4.1: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
    ]);
  });

  it('keeps long deployer output to its first line, and names who acted', () => {
    expect(
      line({
        type: 'deployer:failed',
        deploy: deployRef(),
        action: 'shift',
        output: '\nkubectl: error: timed out\nstack…',
      }),
    ).toBe('12:04 webapp v1.4.2 canary 1%: deployer failed (shift): kubectl: error: timed out');
    expect(
      line(
        { type: 'deploy:paused', deploy: deployRef({ state: 'paused' }), kind: 'manual', reason: 'looking' },
        'alice',
      ),
    ).toBe('12:04 webapp v1.4.2 canary 1%: paused (manual) by alice: looking');
    expect(
      line(
        { type: 'hold:set', hold: { id: 'h1', scope: 'team', target: 'payments', reason: 'freeze' } },
        'bob',
      ),
    ).toBe('12:04 hold set on team payments by bob: freeze');
  });
});
