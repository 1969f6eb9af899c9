import { describe, expect, it } from 'vitest';
import { normCdf, normQuantile, normSf, tToZ } from '../../src/analysis/normal.js';

describe('normal helpers', () => {
  it('match tabulated values', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normSf(3)).toBeCloseTo(0.0013499, 6);
    expect(normQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normQuantile(0.001)).toBeCloseTo(-3.090232, 6);
  });

  it('keep relative accuracy far in the tail', () => {
    // P(Z > 8) = 6.22e-16: 1 - cdf would be 0 in doubles.
    expect(normSf(8) / 6.22096e-16).toBeCloseTo(1, 4);
  });

  it('puts t statistics on the z scale', () => {
    expect(tToZ(2.5, Infinity)).toBe(2.5);
    // P(T_10 > 2) = 0.03669 -> z = 1.790
    expect(tToZ(2, 10)).toBeCloseTo(1.79, 2);
    expect(tToZ(-2, 10)).toBeCloseTo(-1.79, 2);
    expect(tToZ(3, 1000)).toBeCloseTo(3, 1);
    expect(tToZ(3, 1000)).toBeLessThan(3);
  });
});
