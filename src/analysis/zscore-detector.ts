import type { Side } from './comparison.js';

export interface ZscoreOutcome {
  /** (value - expected) / spread: signed, positive when the value is above what was expected. */
  z: number;
  /** The pre-deploy level carried to now by the time-of-day shift. */
  expected: number;
  spread: number;
  /** |z| beyond the threshold in the bad direction. */
  breach: boolean;
}

/**
 * Robust z-score of the current value against the pre-deploy baseline (its median and MAD-based spread, so a
 * spike in the baseline hour does not hide a real change). `seasonal` (> 0) is how much the usual level moves
 * between the baseline hour and now at this time of day (from history; 1 when unknown): a rising Monday morning
 * is expected, not an anomaly. The spread has a floor of 1% of the level, so a flat baseline does not turn every
 * wiggle into z = 1000. `side` picks which direction is bad.
 */
export function zscoreDetector(
  value: number,
  center: number,
  spread: number,
  seasonal: number,
  side: Side,
  threshold: number,
): ZscoreOutcome {
  const shift = center > 0 && seasonal > 0 ? seasonal : 1;
  const expected = center * shift;
  const sd = robustSpread(spread * shift, expected);
  const z = (value - expected) / sd;
  const bad = side === 'up' ? z : side === 'down' ? -z : Math.abs(z);
  return { z, expected, spread: sd, breach: bad > threshold };
}

/** The spread a z-score divides by: the robust spread, but at least 1% of the level (and never 0). */
export function robustSpread(spread: number, level: number): number {
  const floor = 0.01 * Math.abs(level);
  return spread > floor ? spread : floor > 1e-12 ? floor : 1e-12;
}
