/**
 * The smallest canary-vs-baseline difference worth stopping a deploy for, and the canary's usual offset.
 * `relative` is the configured or default floor (0.05 = 5%); `learned` is 3.5 x the build-to-build jitter seen in
 * earlier deploys, on the test's scale (0 when not learned or when the floor was set explicitly); `bias` is the
 * canary's consistent offset from earlier deploys (a canary pool on other hardware), removed before testing.
 */
export interface EffectFloor {
  relative: number;
  learned: number;
  bias: number;
}

/** Jitter beyond 3.5 standard deviations is rare enough (2 in 10,000 per check) not to count as a regression. */
export const JITTER_FLOOR_SD = 3.5;

/** The floor on the test's scale: log(1 + relative) on the log scale, relative x level on the raw scale. */
export function floorDelta(f: EffectFloor, scale: 'log' | 'raw', level: number): number {
  const rel = scale === 'log' ? Math.log1p(f.relative) : f.relative * level;
  return Math.max(rel, f.learned);
}
