import { describe, expect, it } from 'vitest';
import { decide } from '../../src/analysis/decide.js';
import type { CheckResult, Verdict } from '../../src/analysis/verdict.js';
import type { CheckAction } from '../../src/config/check-schema.js';

const r = (name: string, verdict: Verdict, action: CheckAction = 'rollback', missing = 0): CheckResult => ({
  name,
  verdict,
  action,
  reason: `${name}: ${verdict}`,
  evidence: { missing },
});

describe('decide', () => {
  it('continues when everything passes', () => {
    expect(decide([r('a', 'pass'), r('b', 'pass')])).toEqual({
      action: 'continue',
      reason: 'all checks passed',
      alerts: [],
      culprits: [],
      blind: false,
    });
  });

  it('rolls back on any breaching rollback check, before anything else', () => {
    const d = decide([
      r('a', 'breach', 'pause'),
      r('b', 'breach', 'rollback'),
      r('c', 'no_data', 'rollback', 5),
      r('d', 'breach', 'alert'),
    ]);
    expect(d.action).toBe('rollback');
    expect(d.culprits).toEqual(['b']);
    expect(d.reason).toBe('b: breach');
    expect(d.alerts).toEqual(['d']);
  });

  it('pauses on a breaching pause check', () => {
    expect(decide([r('a', 'breach', 'pause'), r('b', 'pass')])).toMatchObject({
      action: 'pause',
      culprits: ['a'],
      blind: false,
    });
  });

  it('only alerts on breaching alert checks', () => {
    const d = decide([r('a', 'breach', 'alert'), r('b', 'pass')]);
    expect(d.action).toBe('continue');
    expect(d.alerts).toEqual(['a']);
    expect(d.reason).toContain('alerts: a: breach');
  });

  it('holds on missing data, then pauses blind after the grace, never passes', () => {
    expect(decide([r('a', 'no_data', 'rollback', 1)])).toMatchObject({ action: 'hold', blind: false });
    expect(decide([r('a', 'no_data', 'rollback', 2)])).toMatchObject({ action: 'hold' });
    expect(decide([r('a', 'no_data', 'rollback', 3)])).toMatchObject({
      action: 'pause',
      blind: true,
      culprits: ['a'],
    });
    expect(decide([r('a', 'error', 'alert', 3)])).toMatchObject({ action: 'pause', blind: true });
    expect(decide([r('a', 'error', 'rollback', 1)]).action).toBe('hold');
    // Per-check grace.
    expect(decide([r('a', 'no_data', 'rollback', 3)], { a: 5 }).action).toBe('hold');
    expect(decide([r('a', 'no_data', 'rollback', 1)], 0).action).toBe('pause');
  });
});
