import { newCohortPairs, type CohortPairs } from './cohort-pairs.js';

/**
 * Buffers the judge reuses from one check to the next. Every use fills what it then reads, and checks are judged
 * one at a time (synchronously), so one set serves every check of every deploy: buffers per check were 3.5 KB
 * each, 70 MB at 20,000 checks, and every round walked through them. They grow to the longest window seen.
 */
export interface JudgeScratch {
  pairs: CohortPairs;
  /** Per-minute differences and weights of the canary tests. */
  buf: Float64Array;
  w: Float64Array;
  /** Robust summaries (robust-stats.ts). */
  summary: { buf: Float64Array };
}

export const judgeScratch: JudgeScratch = {
  pairs: newCohortPairs(256),
  buf: new Float64Array(256),
  w: new Float64Array(256),
  summary: { buf: new Float64Array(256) },
};
