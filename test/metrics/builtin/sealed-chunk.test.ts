import { describe, expect, it } from 'vitest';
import { chunkUpperBound, decodeChunk, sealChunk } from '../../../src/metrics/builtin/sealed-chunk.js';

function roundTrip(t: number[], v: number[]): { t: number[]; v: number[] } {
  const c = sealChunk(Float64Array.from(t), Float64Array.from(v), t.length);
  const outT = new Float64Array(t.length);
  const outV = new Float64Array(t.length);
  decodeChunk(c, 0, t.length, outT, outV, 0);
  return { t: [...outT], v: [...outV] };
}

const minutes = (n: number, t0 = 1_700_000_000_000): number[] =>
  Array.from({ length: n }, (_, i) => t0 + i * 60_000);

describe('sealed chunks', () => {
  it('store a regular scrape interval without per-sample time and short decimals in narrow integers', () => {
    const t = minutes(1000);
    const v = t.map((_, i) => Number((0.0001 + (i % 97) * 0.0000173).toFixed(7)));
    const c = sealChunk(Float64Array.from(t), Float64Array.from(v), t.length);
    expect(c.step).toBe(60_000);
    expect(c.tOffsets).toBeNull();
    expect(c.vInts?.BYTES_PER_ELEMENT).toBe(2);
    expect(roundTrip(t, v)).toEqual({ t, v });
  });

  it('store a growing counter as deltas', () => {
    const t = minutes(500);
    const v = t.map((_, i) => 5_000_000_000 + i * 1234);
    const c = sealChunk(Float64Array.from(t), Float64Array.from(v), t.length);
    expect(c.vDelta).toBe(true);
    expect(c.vInts?.BYTES_PER_ELEMENT).toBe(2);
    expect(roundTrip(t, v)).toEqual({ t, v });
  });

  it('fall back losslessly for jittered times, NaN, infinities and arbitrary doubles', () => {
    const t = minutes(300).map((x, i) => x + ((i * 37) % 250));
    const v = t.map((_, i) => (i % 50 === 0 ? NaN : i % 77 === 0 ? -Infinity : Math.sin(i) / 3));
    const c = sealChunk(Float64Array.from(t), Float64Array.from(v), t.length);
    expect(c.tOffsets).not.toBeNull();
    expect(c.vRaw).not.toBeNull();
    expect(roundTrip(t, v)).toEqual({ t, v });
    const frac = roundTrip([0.5, 1.25, 3], [1, 2, 3]);
    expect(frac.t).toEqual([0.5, 1.25, 3]);
  });

  it('decode any sub-range, including delta-encoded ones', () => {
    const t = minutes(64);
    const v = t.map((_, i) => 1e9 + i * i);
    const c = sealChunk(Float64Array.from(t), Float64Array.from(v), t.length);
    for (const [from, to] of [
      [0, 1],
      [5, 9],
      [63, 64],
      [10, 10],
    ]) {
      const outT = new Float64Array(to - from);
      const outV = new Float64Array(to - from);
      decodeChunk(c, from, to, outT, outV, 0);
      expect([...outV]).toEqual(v.slice(from, to));
      expect([...outT]).toEqual(t.slice(from, to));
    }
  });

  it('find the first sample after a time in every time encoding', () => {
    for (const t of [minutes(10), minutes(10).map((x, i) => x + i), minutes(10).map((x) => x + 0.5)]) {
      const c = sealChunk(Float64Array.from(t), new Float64Array(10), 10);
      expect(chunkUpperBound(c, t[0] - 1)).toBe(0);
      expect(chunkUpperBound(c, t[0])).toBe(1);
      expect(chunkUpperBound(c, t[4] + 1)).toBe(5);
      expect(chunkUpperBound(c, t[9])).toBe(10);
    }
  });
});
