import type { Side } from './comparison.js';

/**
 * Dynamic thresholds: the current value against the bounds learned from history at similar times
 * (seasonal-profile.ts). Only the bad side counts: above `upper` for `up`, below `lower` for `down`, either for
 * `both`. A NaN bound (nothing known at this time) never breaches.
 */
export function dynamicBreach(value: number, upper: number, lower: number, side: Side): boolean {
  const high = value > upper;
  const low = value < lower;
  return side === 'up' ? high : side === 'down' ? low : high || low;
}
