import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/analysis/verdict.js';
import { decodeResults, encodeResults } from '../../src/store/evaluation-codec.js';

describe('stored evaluation results', () => {
  it('round-trip results with their evidence, keeping only the reasons that are the results’ own', () => {
    const breach: CheckResult = {
      name: 'error-ratio',
      verdict: 'breach',
      action: 'rollback',
      reason: 'error-ratio: canary 2% vs baseline 0.2%',
      evidence: { detector: 'canary', canaryValue: 0.02, baselineValue: 0.002, test: 'rate', recent: 1 },
    };
    const pass = Object.defineProperty(
      {
        name: 'latency',
        verdict: 'pass',
        action: 'pause',
        evidence: { detector: 'zscore', z: 0.4, value: 0.21 },
      },
      'reason',
      { get: () => 'latency: made on demand', enumerable: false },
    ) as CheckResult;
    const text = encodeResults([breach, pass]);
    expect(text.length).toBeLessThan(JSON.stringify([breach, pass]).length);
    const back = decodeResults(JSON.parse(text));
    expect(back[0]).toEqual(breach);
    expect(back[1]).toEqual({
      name: 'latency',
      verdict: 'pass',
      action: 'pause',
      evidence: { detector: 'zscore', z: 0.4, value: 0.21 },
    });
    // Its line is rebuilt from the evidence on read, and still not stored again.
    expect(back[1].reason).toBe('latency: all 0.21, z=0.4');
    expect(JSON.parse(encodeResults(back)).r[1][3]).toBeNull();
    // Keys absent from a result stay absent (not null, not undefined).
    expect(Object.keys(back[1].evidence).sort()).toEqual(['detector', 'value', 'z']);
  });

  it('reads plain arrays of results as stored before the compact format', () => {
    const plain = [
      { name: 'x', verdict: 'no_data', action: 'rollback', reason: 'x: no data', evidence: { missing: 1 } },
    ];
    expect(decodeResults(plain)).toEqual(plain);
  });
});
