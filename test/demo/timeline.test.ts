import { describe, expect, it } from 'vitest';
import type { CheckResult, Decision } from '../../src/analysis/verdict.js';
import { judgedLine } from '../../src/demo/timeline.js';
import type { EvaluationRecord } from '../../src/store/store.js';

const decision: Decision = {
  action: 'continue',
  reason: 'all checks passed',
  alerts: [],
  culprits: [],
  blind: false,
};
const result = (name: string, evidence: CheckResult['evidence']): CheckResult => ({
  name,
  verdict: 'pass',
  action: 'rollback',
  reason: name,
  evidence,
});
const record = (at: number, results: CheckResult[]): EvaluationRecord => ({
  deployId: 'd_1',
  at,
  stageIndex: 1,
  results,
  decision,
});

describe('judgedLine', () => {
  it('counts the stage’s evaluations and reads the canary-vs-baseline effects of the latest, whatever the order', () => {
    const line = judgedLine([
      record(3, [result('error-ratio', { effect: 0.031 }), result('latency-p95', { effect: -0.004 })]),
      record(1, [result('error-ratio', { effect: 0.9 })]),
      record(2, [result('error-ratio', { effect: 0.5 })]),
    ]);
    expect(line).toBe('judged 3 times, canary vs baseline: error-ratio +3.1%, latency-p95 -0.4%');
  });

  it('falls back to the whole-service z-scores where no baseline is left, and says nothing without evaluations', () => {
    expect(judgedLine([record(1, [result('cpu', { z: 0.42 })])])).toBe(
      'judged 1 time, whole service vs before the deploy: cpu z=0.4',
    );
    expect(judgedLine([])).toBe('');
  });
});
