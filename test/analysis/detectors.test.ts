import { describe, expect, it } from 'vitest';
import { dynamicBreach } from '../../src/analysis/dynamic-detector.js';
import { staticBreach } from '../../src/analysis/static-detector.js';
import { zscoreDetector } from '../../src/analysis/zscore-detector.js';

describe('z-score detector', () => {
  it('scores the value against the pre-deploy median and spread', () => {
    const z = zscoreDetector(135, 100, 10, 1, 'up', 3);
    expect(z).toEqual({ z: 3.5, expected: 100, spread: 10, breach: true });
    expect(zscoreDetector(125, 100, 10, 1, 'up', 3).breach).toBe(false);
  });

  it('ignores the harmless side', () => {
    expect(zscoreDetector(65, 100, 10, 1, 'up', 3)).toMatchObject({ z: -3.5, breach: false });
    expect(zscoreDetector(65, 100, 10, 1, 'down', 3).breach).toBe(true);
    expect(zscoreDetector(135, 100, 10, 1, 'down', 3).breach).toBe(false);
    expect(zscoreDetector(65, 100, 10, 1, 'both', 3).breach).toBe(true);
    expect(zscoreDetector(135, 100, 10, 1, 'both', 3).breach).toBe(true);
  });

  it('carries the baseline to now by the time-of-day shift', () => {
    // Usually 20% busier now than in the baseline hour: 150 is 2.5 spreads above 120, not 5 above 100.
    expect(zscoreDetector(150, 100, 10, 1.2, 'up', 3)).toMatchObject({
      expected: 120,
      spread: 12,
      z: 2.5,
      breach: false,
    });
  });

  it('does not divide by a zero spread', () => {
    // A flat baseline: the spread floor is 1% of the level.
    expect(zscoreDetector(102, 100, 0, 1, 'up', 3).z).toBeCloseTo(2, 10);
    expect(Number.isFinite(zscoreDetector(1, 0, 0, 1, 'up', 3).z)).toBe(true);
  });
});

describe('static thresholds', () => {
  it('breach above max or below min, whatever the direction', () => {
    expect(staticBreach(0.06, 0.05, undefined)).toBe(true);
    expect(staticBreach(0.04, 0.05, undefined)).toBe(false);
    expect(staticBreach(5, undefined, 10)).toBe(true);
    expect(staticBreach(15, 20, 10)).toBe(false);
    expect(staticBreach(NaN, 1, 0)).toBe(false);
  });
});

describe('dynamic thresholds', () => {
  it('count only the bad side', () => {
    expect(dynamicBreach(11, 10, 2, 'up')).toBe(true);
    expect(dynamicBreach(1, 10, 2, 'up')).toBe(false);
    expect(dynamicBreach(1, 10, 2, 'down')).toBe(true);
    expect(dynamicBreach(11, 10, 2, 'down')).toBe(false);
    expect(dynamicBreach(11, 10, 2, 'both')).toBe(true);
    expect(dynamicBreach(5, 10, 2, 'both')).toBe(false);
    expect(dynamicBreach(100, NaN, NaN, 'both')).toBe(false);
  });
});
