import { describe, expect, it } from 'vitest';
import type { BuildOutcome } from '../../src/demo/play-build.js';
import { REGRESSIONS } from '../../src/demo/regression.js';
import { checkScenario } from '../../src/demo/scenario-check.js';

function outcome(over: Partial<BuildOutcome> & { bad?: boolean }): BuildOutcome {
  const { bad, ...rest } = over;
  return {
    build: { version: 'v1.2.0', changes: [], gapMs: 0, ...(bad ? { regression: REGRESSIONS[0] } : {}) },
    deployId: 'd_1',
    result: 'promoted',
    stage: 'full',
    reason: 'all checks passed',
    culprits: [],
    automatic: true,
    startedAt: 0,
    decidedAt: 21 * 60_000,
    ...rest,
  };
}

describe('checkScenario', () => {
  const caught = outcome({
    bad: true,
    result: 'rolled_back',
    stage: 'canary',
    reason: 'error-ratio: canary 2% vs baseline 0.2%',
    culprits: ['error-ratio'],
  });

  it('passes when good builds are promoted and the bad one is rolled back early by its check', () => {
    const v = checkScenario([outcome({}), caught, outcome({})], 3);
    expect(v.ok).toBe(true);
    expect(v.lines.join('\n')).toContain('rolled back at canary after 21m (error-ratio)');
  });

  it('fails on a false stop, a late catch, the wrong reason or a missing build', () => {
    expect(checkScenario([outcome({ result: 'rolled_back', stage: 'ten' }), caught], 2).ok).toBe(false);
    expect(checkScenario([outcome({}), { ...caught, stage: 'half' }], 2).ok).toBe(false);
    expect(checkScenario([{ ...caught, reason: 'cpu: canary 60% vs baseline 40%' }], 1).ok).toBe(false);
    expect(checkScenario([outcome({})], 2).ok).toBe(false);
  });
});
