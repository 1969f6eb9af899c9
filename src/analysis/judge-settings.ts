import type { ResolvedCheck, ResolvedService } from '../config/resolved-config.js';
import type { ResolvedKind } from './metric-kind.js';
import { resolveMetricKind } from './metric-kind.js';
import type { SeasonalOptions } from './seasonal-profile.js';

/**
 * The judge's defaults, chosen so that a new user writes no tuning. Documented in docs/judge.md; change them
 * there too.
 */
export const JUDGE_DEFAULTS = {
  /** Chance, per deploy, that a healthy deploy is stopped by the canary comparisons of all its checks together. */
  serviceAlpha: 0.01,
  zscore: { threshold: 3, minSamples: 10, windowSamples: 3 },
  dynamic: { days: 1, weeks: 4, windowMs: 30 * 60_000, threshold: 3 },
  /** Smallest relative canary-vs-baseline difference worth stopping for, by metric kind. */
  minEffect: { ratio: 0.1, count: 0.1, gauge: 0.05 } as Record<ResolvedKind, number>,
  /** Canary requests seen in the deploy before the comparison may decide. */
  minRequests: 50,
  /** Whole-service detectors must breach in 2 of the last 3 evaluations. */
  persistence: { breaches: 2, of: 3 },
  /** Evaluations without data before the deploy is paused. */
  grace: 2,
  /** History before the deploy fetched whole (for the noise model and the pre-deploy baseline). */
  recentMs: 3 * 86_400_000,
} as const;

export interface JudgeSettings {
  kind: ResolvedKind;
  key: boolean;
  zscore?: { threshold: number; minSamples: number; baselineMs: number; windowSamples: number };
  static?: { max?: number; min?: number };
  dynamic?: SeasonalOptions;
  compare?: { alpha?: number; minEffect: number; minRequests: number };
  /** k of n for the whole-service detectors (the comparison accumulates its own evidence over the deploy). */
  persistence: { breaches: number; of: number };
  grace: number;
}

/** A check's detector settings with every default filled in. Pure; never fails. */
export function resolveSettings(check: ResolvedCheck, service: ResolvedService): JudgeSettings {
  const o = check.detectors;
  const kind = resolveMetricKind(o.kind, check.queries.all ?? check.queries.canary);
  const z = o.zscore;
  const dyn = o.dynamic;
  const cmp = o.compare;
  const hasCohorts = !!(check.queries.canary && check.queries.baseline);
  const s: JudgeSettings = {
    kind,
    key: o.key ?? service.key,
    persistence: o.persistence ?? { ...JUDGE_DEFAULTS.persistence },
    grace: o.grace ?? JUDGE_DEFAULTS.grace,
  };
  if (z !== false) {
    s.zscore = {
      threshold: z?.threshold ?? JUDGE_DEFAULTS.zscore.threshold,
      minSamples: z?.minSamples ?? JUDGE_DEFAULTS.zscore.minSamples,
      baselineMs: z?.baseline ?? service.baselineMs,
      windowSamples: JUDGE_DEFAULTS.zscore.windowSamples,
    };
  }
  if (o.static && (o.static.max !== undefined || o.static.min !== undefined)) s.static = { ...o.static };
  if (dyn !== false) {
    s.dynamic = {
      days: dyn?.days ?? JUDGE_DEFAULTS.dynamic.days,
      weeks: dyn?.weeks ?? JUDGE_DEFAULTS.dynamic.weeks,
      windowMs: dyn?.window ?? JUDGE_DEFAULTS.dynamic.windowMs,
      threshold: dyn?.threshold ?? JUDGE_DEFAULTS.dynamic.threshold,
    };
  }
  if (cmp !== false && hasCohorts) {
    s.compare = {
      ...(cmp?.alpha !== undefined ? { alpha: cmp.alpha } : {}),
      minEffect: cmp?.minEffect ?? JUDGE_DEFAULTS.minEffect[kind],
      minRequests: cmp?.minRequests ?? JUDGE_DEFAULTS.minRequests,
    };
  }
  return s;
}
