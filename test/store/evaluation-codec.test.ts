import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/analysis/verdict.js';
import { passResult } from '../../src/analysis/reason-line.js';
import { decodeResults, encodeResults } from '../../src/store/evaluation-codec.js';
import { packDecimal, unpackDecimal } from '../../src/store/packed-decimal.js';

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
    const again = JSON.parse(encodeResults(back));
    expect(again.x.$reason).toEqual([breach.reason, null]);
    // Keys absent from a result stay absent (not null, not undefined).
    expect(Object.keys(back[1].evidence).sort()).toEqual(['detector', 'value', 'z']);
  });

  it('store what every result of a round shares once, and read it back into each result', () => {
    const pass = (name: string, value: number, extra: object = {}) =>
      passResult(name, 'pass', 'rollback', {
        detector: 'canary',
        value,
        unit: 'ratio',
        zThreshold: 3,
        test: 'rate',
        ...extra,
      });
    const results = [
      pass('a', 0.1),
      pass('b', 0.2, { note: 'short history', z: NaN }),
      pass('c', 0.1, { z: 1.5, effect: 1 / 3 }),
    ];
    const doc = JSON.parse(encodeResults(results));
    expect(doc.f).toBe(5);
    expect(doc.s).toEqual({
      $verdict: 'pass',
      $action: 'rollback',
      $reason: null,
      detector: 'canary',
      unit: 'ratio',
      zThreshold: 3,
      test: 'rate',
    });
    expect(doc.n).toEqual(['a', 'b', 'c']);
    // Numbers that differ, or are absent from some results: short decimals packed as int32, others as doubles.
    expect(doc.p).toEqual(['value', 'z']);
    const packed = Array.from(new Int32Array(new Uint8Array(Buffer.from(doc.q, 'base64')).buffer));
    expect(packed.map(unpackDecimal)).toEqual([0.1, undefined, 0.2, undefined, 0.1, 1.5]);
    expect(doc.k).toEqual(['effect']);
    expect(Array.from(new Float64Array(new Uint8Array(Buffer.from(doc.b, 'base64')).buffer))).toEqual([
      NaN,
      NaN,
      1 / 3,
    ]);
    expect(doc.x).toEqual({ note: [null, 'short history', null] });
    const back = decodeResults(doc);
    // Not-a-number reads back as absent, as it did when stored as JSON null.
    const { z: _nan, ...bEvidence } = results[1].evidence;
    expect(back).toEqual([results[0], { ...results[1], evidence: bEvidence }, results[2]]);
    expect(Object.keys(back[0].evidence)).not.toContain('note');
    expect(back[1].reason).toBe('b: all 20%');
    // A mixed round: the verdict and the reason go per result.
    const breach: CheckResult = { ...pass('d', 5), reason: 'd: all 5', verdict: 'breach' };
    const mixed = JSON.parse(encodeResults([results[0], breach]));
    expect(mixed.x).toEqual({ $verdict: ['pass', 'breach'], $reason: [null, 'd: all 5'] });
    expect(decodeResults(mixed)).toEqual([results[0], breach]);
    expect(decodeResults(JSON.parse(encodeResults([])))).toEqual([]);
    // A round of 20 passing checks takes well under half the space of plain JSON.
    const round = Array.from({ length: 20 }, (_, i) =>
      pass(`check-${i}`, 0.01 + i / 1e4, { z: i / 10, pValue: 0.5 - i / 100 }),
    );
    expect(encodeResults(round).length).toBeLessThan(JSON.stringify(round).length / 2);
  });

  it('packs short decimals exactly and leaves every other number alone', () => {
    let rng = 3;
    const rand = () => (rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648;
    const sig5 = (x: number) => {
      const f = 10 ** (4 - Math.floor(Math.log10(Math.abs(x))));
      return Math.round(x * f) / f;
    };
    for (let i = 0; i < 5000; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      // What the judge stores (5 significant digits, 3 decimals, counts) packs and reads back as the same double.
      for (const v of [sig5(x), Math.round(x * 1000) / 1000, Math.round(rand() * 999_999)]) {
        if (Math.abs(v) >= 1000 && v === Math.round(x * 1000) / 1000) continue; // too many digits: may not pack
        if (Object.is(v, -0)) continue; // -0 is not packed (it would read back as 0): its column stays doubles
        const p = packDecimal(v);
        expect(p, String(v)).not.toBeNull();
        expect(unpackDecimal(p!)).toBe(v);
      }
      // Any number either packs exactly or not at all.
      const p = packDecimal(x);
      if (p !== null) expect(unpackDecimal(p)).toBe(x);
    }
    expect(packDecimal(1 / 3)).toBeNull();
    expect(packDecimal(Math.PI)).toBeNull();
    expect(packDecimal(1234567)).toBeNull();
    expect(packDecimal(Infinity)).toBeNull();
    expect(packDecimal(-0)).toBeNull();
    expect(unpackDecimal(packDecimal(0)!)).toBe(0);
    expect(unpackDecimal(packDecimal(-12.345)!)).toBe(-12.345);
  });

  it('read the format before the packed columns', () => {
    const v4 = {
      f: 4,
      s: { $verdict: 'pass', $action: 'rollback', $reason: null, unit: '' },
      n: ['a', 'b'],
      k: ['value'],
      b: Buffer.from(new Float64Array([0.5, NaN]).buffer).toString('base64'),
      x: { note: [null, 'short history'] },
    };
    const back = decodeResults(v4);
    expect(back.map((r) => r.evidence)).toEqual([
      { unit: '', value: 0.5 },
      { unit: '', note: 'short history' },
    ]);
    expect(back[0].reason).toBe('a: all 0.5');
  });

  it('read the previous compact format', () => {
    const v2 = {
      f: 2,
      k: ['detector', 'value'],
      r: [
        ['a', 'pass', 'pause', null, 'zscore', 0.5],
        ['b', 'breach', 'rollback', 'b: all 9', null, 9],
      ],
    };
    const back = decodeResults(v2);
    expect(back[0]).toEqual({
      name: 'a',
      verdict: 'pass',
      action: 'pause',
      evidence: { detector: 'zscore', value: 0.5 },
    });
    expect(back[0].reason).toBe('a: all 0.5');
    expect(back[1]).toEqual({
      name: 'b',
      verdict: 'breach',
      action: 'rollback',
      reason: 'b: all 9',
      evidence: { value: 9 },
    });
  });

  it('reads plain arrays of results as stored before the compact format', () => {
    const plain = [
      { name: 'x', verdict: 'no_data', action: 'rollback', reason: 'x: no data', evidence: { missing: 1 } },
    ];
    expect(decodeResults(plain)).toEqual(plain);
  });
});
