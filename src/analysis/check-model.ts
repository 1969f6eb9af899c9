import type { ResolvedCheck } from '../config/resolved-config.js';
import type { Side } from './comparison.js';
import type { EffectFloor } from './effect-floor.js';
import type { JitterModel } from './jitter-model.js';
import type { JudgeSettings } from './judge-settings.js';
import type { NoiseModel } from './noise-model.js';
import type { RobustSummary } from './robust-stats.js';
import type { SeasonalProfile } from './seasonal-profile.js';
import type { ValueUnit } from './value-format.js';

/**
 * What the judge learned about one check when a deploy started (prepareCheck), used by every evaluation of that
 * deploy. Plain data (buffers the evaluations reuse are shared by all checks: judge-scratch.ts).
 */
export interface CheckModel {
  readonly check: ResolvedCheck;
  readonly settings: JudgeSettings;
  readonly side: Side;
  readonly intervalMs: number;
  readonly deployStart: number;
  /** The check has canary and baseline queries. */
  readonly hasCohorts: boolean;
  /** Judged value's unit (counts per request when traffic is known). */
  readonly unit: ValueUnit;
  /** Pre-deploy level and spread of the judged whole-service value (undefined: computed from the window). */
  readonly baseline?: RobustSummary;
  readonly profile?: SeasonalProfile;
  /** Median requests per interval before the deploy (NaN when no traffic history). */
  readonly preTraffic: number;
  /** Usual level before the deploy (mean of the profile's pre-deploy points; NaN when unknown). */
  readonly seasonalBefore: number;
  readonly noise?: NoiseModel;
  /** Build-to-build jitter and canary offset learned from earlier deploys. */
  readonly jitter?: JitterModel;
  /** The effect floor of the comparison (configured or default, raised by learned jitter). */
  readonly floor: EffectFloor;
  /** Intervals after each traffic shift left out of the comparison (learned canary warm-up; 0 = none). */
  readonly warmup: number;
  /** Scale of the paired test: log ratios for positive values, raw differences otherwise. */
  readonly scale?: 'log' | 'raw';
  /** z boundary of the canary comparison per stage index and look in the stage (Infinity: nothing compared). */
  readonly boundaries: readonly Float64Array[];
  /** This check's share of the service's false-alarm budget per deploy. */
  readonly alpha: number;
  /** What was relaxed or missing (short history, no noise model), shown in evidence notes. */
  readonly notes: readonly string[];
  /** The notes joined, for evidence (undefined when there are none). */
  readonly notesText: string | undefined;
  /** Computed at the first evaluation that needs it, then kept for the deploy. */
  readonly cache: {
    /** Pre-deploy baseline computed from the first window when the history had none. */
    lazyBaseline?: RobustSummary;
  };
}
