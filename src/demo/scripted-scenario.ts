import type { DemoBuild } from './demo-build.js';
import { REGRESSIONS } from './regression.js';

const MINUTE_MS = 60_000;

/** When the scripted scenario starts: a Tuesday morning, fixed so that every run sees the same metrics. */
export const SCRIPTED_START = Date.UTC(2025, 2, 4, 10, 0);

/**
 * `releasebot demo --once`: four builds after the stable `v1.<minor>.0`, the second one bad (its hosts fail 8 times
 * as many requests), the third its revert. Expected: 1, 3 and 4 promoted; 2 rolled back at the canary or 10% stage
 * by the error-ratio check.
 */
export function scriptedScenario(stableMinor: number): DemoBuild[] {
  const v = (minor: number, patch = 0): string => `v1.${stableMinor + minor}.${patch}`;
  return [
    {
      version: v(1),
      changes: [{ id: '#2291', title: 'Cache product images at the edge', author: 'maria' }],
      gapMs: 2 * MINUTE_MS,
    },
    {
      version: v(2),
      changes: [{ id: '#2317', title: 'Switch payments to the new SDK client', author: 'devon' }],
      regression: REGRESSIONS[0],
      gapMs: 3 * MINUTE_MS,
    },
    {
      version: v(2, 1),
      changes: [{ id: '#2320', title: 'Revert "Switch payments to the new SDK client"', author: 'devon' }],
      gapMs: 3 * MINUTE_MS,
    },
    {
      version: v(3),
      changes: [{ id: '#2324', title: 'Show delivery estimates on the cart page', author: 'li' }],
      gapMs: 3 * MINUTE_MS,
    },
  ];
}
