import type { SplitState } from './traffic-split.js';

/** A stage of the simulated pipeline: percent of traffic for a duration. */
export interface PlanStage {
  traffic: number;
  bakeMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Past deploys start at 02:00, 10:00 and 18:00 UTC. */
const EVERY_MS = 8 * HOUR_MS;
const OFFSET_MS = 2 * HOUR_MS;
/** Quiet time between the last past deploy and the demo's start. */
const QUIET_MS = HOUR_MS;

/**
 * The deploys of the weeks before the demo, all healthy, walked through the same stages: their canary and baseline
 * series are what the judge learns its canary-vs-baseline noise from (as it would from a real service's history).
 * Versions are `v1.1.0`, `v1.2.0`, …; the last one is the stable version when the demo starts.
 */
export class HistoryPlan {
  readonly from: number;
  readonly count: number;
  private readonly first: number;
  private readonly pipelineMs: number;

  constructor(
    readonly end: number,
    days: number,
    private readonly stages: readonly PlanStage[],
  ) {
    this.from = end - days * DAY_MS;
    this.pipelineMs = stages.reduce((a, s) => a + s.bakeMs, 0);
    this.first = Math.ceil((this.from - OFFSET_MS) / EVERY_MS) * EVERY_MS + OFFSET_MS;
    const last = Math.floor((end - QUIET_MS - this.pipelineMs - this.first) / EVERY_MS);
    this.count = Math.max(0, last + 1);
  }

  /** The stable version when the history ends. */
  get stableAtEnd(): string {
    return versionName(this.count);
  }

  /** The split at time t (within the history). */
  splitAt(t: number): SplitState {
    const k = Math.floor((t - this.first) / EVERY_MS);
    if (k < 0) return { stable: versionName(0), canary: null, share: 0, since: this.from };
    const start = this.first + k * EVERY_MS;
    if (k >= this.count || t - start >= this.pipelineMs) {
      const done = Math.min(k + 1, this.count);
      return { stable: versionName(done), canary: null, share: 0, since: start };
    }
    let stageStart = start;
    for (const s of this.stages) {
      if (t < stageStart + s.bakeMs)
        return { stable: versionName(k), canary: versionName(k + 1), share: s.traffic, since: stageStart };
      stageStart += s.bakeMs;
    }
    return { stable: versionName(k + 1), canary: null, share: 0, since: stageStart };
  }
}

function versionName(n: number): string {
  return `v1.${n}.0`;
}
