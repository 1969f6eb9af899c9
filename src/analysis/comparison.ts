/** The outcome of one canary-vs-baseline test over the deploy so far. */
export interface Comparison {
  test: 'rate' | 'paired' | 'rank';
  /**
   * Evidence on the z scale that the canary is worse than the baseline (in the bad direction; for `both`, the worse
   * side), accumulated over the deploy so far. Compared with the sequential boundary of the stage.
   */
  z: number;
  /**
   * Evidence that the canary is worse by more than the effect floor: the same test against "worse by at most the
   * floor". A breach needs both: z beyond the boundary (it is worse, not luck) and zFloor beyond 1.645 (it is
   * worse by more than harmless build-to-build jitter, with 95% confidence).
   */
  zFloor: number;
  /** Nominal one-look p-value of `z`. */
  p: number;
  /** Canary and baseline level over the compared minutes, in the metric's unit (per request for counts). */
  canaryValue: number;
  baselineValue: number;
  /** canary / baseline - 1 (log and rate tests) or (canary - baseline) / |baseline| (raw scale). */
  effect: number;
  canaryRequests: number;
  baselineRequests: number;
  /** Minutes compared. */
  minutes: number;
  /** Noise scale relative to the learned model (1 = as learned), for gauges. */
  noiseScale?: number;
  /** Dispersion used by the rate test (1 = binomial). */
  dispersion?: number;
}

/** Which way of the difference is bad. */
export type Side = 'up' | 'down' | 'both';
