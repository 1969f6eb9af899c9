import { describe, expect, it } from 'vitest';
import { sliceSamples, upperBound } from '../../src/metrics/samples.js';

/** The definition: the first index whose time is > x. */
const linear = (t: Float64Array, x: number): number => {
  let i = 0;
  while (i < t.length && t[i] <= x) i++;
  return i;
};

describe('upperBound', () => {
  it('agrees with a linear scan at, between and beyond the samples', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(rand() * 12);
      const t = new Float64Array(n);
      let at = 1000;
      for (let i = 0; i < n; i++) t[i] = at += 1 + Math.floor(rand() * 3);
      for (let x = 995; x <= at + 3; x++) expect(upperBound(t, x)).toBe(linear(t, x));
      expect(upperBound(t, x0(t) - 0.5)).toBe(0);
    }
  });

  it('answers the window end (every sample) and a time before it (none) without a search', () => {
    const t = Float64Array.of(10, 20, 30);
    expect(upperBound(t, 30)).toBe(3);
    expect(upperBound(t, Infinity)).toBe(3);
    expect(upperBound(t, 9)).toBe(0);
    expect(upperBound(t, -Infinity)).toBe(0);
    expect(upperBound(new Float64Array(0), 5)).toBe(0);
  });

  it('returns 0 for NaN, as a search whose every comparison fails does', () => {
    expect(upperBound(Float64Array.of(10, 20, 30), NaN)).toBe(0);
  });

  it('slices (from, to] by the same bounds', () => {
    const s = { t: Float64Array.of(10, 20, 30, 40), v: Float64Array.of(1, 2, 3, 4) };
    expect([...sliceSamples(s, 10, 30).v]).toEqual([2, 3]);
    expect([...sliceSamples(s, 0, 100).v]).toEqual([1, 2, 3, 4]);
    expect([...sliceSamples(s, 40, 100).v]).toEqual([]);
  });
});

const x0 = (t: Float64Array): number => (t.length ? t[0] : 0);
