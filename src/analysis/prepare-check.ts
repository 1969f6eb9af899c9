import type { ResolvedCheck, ResolvedService } from '../config/resolved-config.js';
import { sliceSamples } from '../metrics/samples.js';
import type { CheckHistory } from './check-data.js';
import type { CheckModel } from './check-model.js';
import { newCohortPairs, pairCohorts } from './cohort-pairs.js';
import { PROFILE_SLACK_MS, pipelineMs } from './history-ranges.js';
import { JUDGE_DEFAULTS, resolveSettings } from './judge-settings.js';
import { judgedSeries } from './judged-series.js';
import type { EffectFloor } from './effect-floor.js';
import { JITTER_FLOOR_SD } from './effect-floor.js';
import type { JitterModel } from './jitter-model.js';
import { learnJitter } from './jitter-model.js';
import { learnWarmup } from './warmup-model.js';
import type { NoiseModel } from './noise-model.js';
import { learnNoiseModel } from './noise-model.js';
import type { RobustSummary } from './robust-stats.js';
import { newScratch, robustSummary } from './robust-stats.js';
import type { SeasonalProfile } from './seasonal-profile.js';
import { learnSeasonalProfile } from './seasonal-profile.js';
import { stageBoundaries } from './sequential-boundary.js';
import { valueUnit } from './value-format.js';

/** Grid of the dynamic thresholds: finer buys nothing, as each point pools a 30-minute slice. */
const PROFILE_STEP_MS = 5 * 60_000;

/**
 * Learns what a check needs for one deploy, once, when the deploy starts: the pre-deploy baseline of the
 * whole-service value, dynamic thresholds for every moment of the pipeline from history at similar times, the
 * canary-vs-baseline noise model from earlier deploys in the history, and the sequential boundaries for the stage
 * plan with this check's share of the service's false-alarm budget. Pure; never throws: whatever is missing from
 * the history is noted in `notes` and the evaluation falls back (to the window's own pre-deploy samples, to no
 * dynamic threshold, to estimating the noise within the deploy).
 */
export function prepareCheck(
  check: ResolvedCheck,
  service: ResolvedService,
  history: CheckHistory,
): CheckModel {
  const settings = resolveSettings(check, service);
  const start = history.deployStart;
  const interval = service.intervalMs;
  const tol = interval / 2;
  const notes: string[] = [];
  const summary = newScratch(256);
  const hasCohorts = !!(check.queries.canary && check.queries.baseline);
  const perRequest = settings.kind === 'count' && !!service.traffic;

  let baseline: RobustSummary | undefined;
  let profile: SeasonalProfile | undefined;
  if (history.metric && history.metric.t.length) {
    const values = judgedSeries(settings.kind, history.metric, history.traffic, tol);
    if (settings.zscore) {
      const pre = sliceSamples(values, start - settings.zscore.baselineMs, start);
      baseline = robustSummary(pre.v, summary);
    }
    if (settings.dynamic) {
      const from = start - (settings.zscore?.baselineMs ?? service.baselineMs);
      const to = start + pipelineMs(service) + PROFILE_SLACK_MS;
      profile = learnSeasonalProfile(values, from, to, PROFILE_STEP_MS, start, settings.dynamic);
      if (profile.note) notes.push(profile.note);
    }
  } else if (settings.dynamic) {
    notes.push('no history: dynamic threshold off');
  }

  let noise: NoiseModel | undefined;
  let jitter: JitterModel | undefined;
  let warmup = 0;
  const floor: EffectFloor = { relative: settings.compare?.minEffect ?? 0, learned: 0, bias: 0 };
  if (settings.compare) {
    if (history.canary && history.baseline) {
      const pairs = newCohortPairs(256);
      pairCohorts(
        pairs,
        history.canary,
        history.baseline,
        history.canaryTraffic,
        history.baselineTraffic,
        -Infinity,
        start,
        tol,
      );
      noise = learnNoiseModel(settings.kind, pairs, interval);
      // Ratios: one deploy's error count is too small to tell its jitter from sampling noise; keep the default.
      if (noise && settings.kind !== 'ratio') {
        warmup = learnWarmup(settings.kind, pairs, noise, noise.scale, interval);
        if (warmup)
          notes.push(
            `the canary runs cold for ${warmup} interval${warmup > 1 ? 's' : ''} after each traffic shift (learned from earlier deploys): those are not compared`,
          );
        jitter = learnJitter(settings.kind, pairs, noise, noise.scale, interval, warmup);
        if (jitter) {
          floor.bias = jitter.bias;
          if (
            check.detectors.compare === undefined ||
            check.detectors.compare === false ||
            check.detectors.compare.minEffect === undefined
          ) {
            floor.learned = JITTER_FLOOR_SD * jitter.spread;
          }
        }
      }
    }
    if (!noise && settings.kind !== 'ratio')
      notes.push('no earlier deploys in the history: noise estimated within this deploy');
  }
  const scale = noise && settings.kind !== 'ratio' ? noise.scale : undefined;

  const stopping = service.checks.filter(
    (c) => c.action !== 'alert' && c.queries.canary && c.queries.baseline,
  ).length;
  const alpha = settings.compare?.alpha ?? JUDGE_DEFAULTS.serviceAlpha / Math.max(1, stopping);
  const looks = service.stages.map((s) => ({
    traffic: s.traffic,
    looks: Math.max(1, Math.round(s.bakeMs / interval)),
  }));
  const sideAlpha = check.direction === 'both' ? alpha / 2 : alpha;
  const boundaries = settings.compare
    ? stageBoundaries(looks, sideAlpha)
    : looks.map(() => new Float64Array(1).fill(Infinity));

  let preTraffic = NaN;
  if (history.traffic && settings.zscore) {
    const pre = sliceSamples(history.traffic, start - settings.zscore.baselineMs, start);
    preTraffic = robustSummary(pre.v, summary).center;
  }
  let seasonalBefore = NaN;
  if (profile) {
    let sum = 0;
    let k = 0;
    for (let i = 0; i < profile.expected.length && profile.start + i * profile.stepMs < start; i++) {
      if (Number.isFinite(profile.expected[i])) {
        sum += profile.expected[i];
        k++;
      }
    }
    if (k) seasonalBefore = sum / k;
  }

  return {
    check,
    settings,
    seasonalBefore,
    preTraffic,
    side: check.direction,
    intervalMs: interval,
    deployStart: start,
    hasCohorts,
    unit: valueUnit(settings.kind, check.queries.all ?? check.queries.canary, perRequest),
    ...(baseline && baseline.n ? { baseline } : {}),
    ...(profile ? { profile } : {}),
    ...(noise ? { noise } : {}),
    ...(jitter ? { jitter } : {}),
    floor,
    warmup,
    ...(scale ? { scale } : {}),
    boundaries,
    alpha,
    notes,
    notesText: notes.length ? notes.join('; ') : undefined,
    cache: {},
  };
}
