import type { Samples } from '../metrics/samples.js';
import { upperBound } from '../metrics/samples.js';
import type { CheckWindow } from './check-data.js';
import type { CheckModel } from './check-model.js';
import { dynamicBreach } from './dynamic-detector.js';
import { judgeScratch } from './judge-scratch.js';
import { robustSummary } from './robust-stats.js';
import { profileIndex } from './seasonal-profile.js';
import { staticBreach } from './static-detector.js';
import { zscoreDetector } from './zscore-detector.js';

/** What the whole-service detectors found at this evaluation. */
export interface WholeService {
  value: number;
  z: number | undefined;
  expected: number | undefined;
  spread: number | undefined;
  zHit: boolean;
  dynamicThreshold: number | undefined;
  dynHit: boolean;
  staticThreshold: number | undefined;
  staticHit: boolean;
  effectiveThreshold: number | undefined;
  /** z-score and dynamic threshold agree (where both are known) that the value is anomalous. */
  statBreach: boolean;
  tooFewBaseline: boolean;
}

/** The whole-service value of the last few samples against the pre-deploy baseline and the thresholds. */
export function wholeService(model: CheckModel, w: CheckWindow, series: Samples): WholeService | undefined {
  const value = currentValue(model, w, series);
  if (!Number.isFinite(value)) return undefined;
  const s = model.settings;
  const out: WholeService = {
    value,
    z: undefined,
    expected: undefined,
    spread: undefined,
    zHit: false,
    dynamicThreshold: undefined,
    dynHit: false,
    staticThreshold: undefined,
    staticHit: false,
    effectiveThreshold: undefined,
    statBreach: false,
    tooFewBaseline: false,
  };
  const base = model.baseline ?? lazyBaseline(model, w, series);
  const idx = model.profile ? profileIndex(model.profile, w.now) : -1;
  let zKnown = false;
  if (s.zscore) {
    if (base && base.n >= s.zscore.minSamples) {
      const spread = trafficAwareSpread(model, w, base.center, base.spread);
      const z = zscoreDetector(
        value,
        base.center,
        spread,
        seasonalShift(model, idx),
        model.side,
        s.zscore.threshold,
      );
      out.z = z.z;
      out.expected = z.expected;
      out.spread = z.spread;
      out.zHit = z.breach;
      zKnown = true;
    } else out.tooFewBaseline = true;
  }
  let upper = NaN;
  let lower = NaN;
  if (model.profile && idx >= 0) {
    upper = model.profile.upper[idx];
    lower = model.profile.lower[idx];
  }
  const staticMax = s.static?.max;
  const staticMin = s.static?.min;
  // Key checks: the higher of the static and dynamic bound wins (the lower, for lower bounds).
  if (s.key) {
    if (staticMax !== undefined && Number.isFinite(upper)) upper = Math.max(upper, staticMax);
    if (staticMin !== undefined && Number.isFinite(lower)) lower = Math.min(lower, staticMin);
  }
  const dynKnown = Number.isFinite(upper) || Number.isFinite(lower);
  if (dynKnown) {
    out.dynHit = dynamicBreach(value, upper, lower, model.side);
    out.dynamicThreshold = model.side === 'down' ? lower : upper;
  }
  const effMax = s.key && staticMax !== undefined && Number.isFinite(upper) ? upper : staticMax;
  const effMin = s.key && staticMin !== undefined && Number.isFinite(lower) ? lower : staticMin;
  if (s.static) {
    out.staticHit = staticBreach(value, effMax, effMin);
    out.staticThreshold = staticMax ?? staticMin;
  }
  // Both must agree where both are known: unusual against the last hour and against this time of day.
  out.statBreach = (zKnown || dynKnown) && (!zKnown || out.zHit) && (!dynKnown || out.dynHit);
  if (out.staticHit) out.effectiveThreshold = value > (effMax ?? Infinity) ? effMax : effMin;
  else if (out.statBreach && out.dynHit) out.effectiveThreshold = out.dynamicThreshold;
  return out;
}

/**
 * The pre-deploy spread, widened when the service now serves fewer requests than before the deploy: a p95 of 200
 * requests is noisier than one of 20,000, and the learned noise model says by how much. Unchanged without a
 * traffic series or noise model, or when traffic did not fall.
 */
function trafficAwareSpread(model: CheckModel, w: CheckWindow, level: number, spread: number): number {
  const before = model.preTraffic;
  const tr = w.traffic?.all;
  if (!(before > 0) || !tr) return spread;
  const k = model.settings.zscore?.windowSamples ?? 3;
  const from = Math.max(w.deployStart, w.now - k * model.intervalMs);
  let sum = 0;
  let m = 0;
  for (let i = upperBound(tr.t, w.now) - 1; i >= 0 && tr.t[i] > from; i--) {
    if (tr.v[i] > 0) {
      sum += tr.v[i];
      m++;
    }
  }
  const now = m ? sum / m : NaN;
  if (!(now > 0) || now >= before) return spread;
  const extra = sampleVariance(model, level, now) - sampleVariance(model, level, before);
  return extra > 0 ? Math.sqrt(spread * spread + extra) : spread;
}

/** Sampling variance of the whole-service value at `n` requests per interval, in the value's units. */
function sampleVariance(model: CheckModel, level: number, n: number): number {
  if (model.settings.kind === 'ratio') {
    const p = Math.min(Math.max(level, 0), 1);
    return ((model.noise?.phi ?? 1) * p * (1 - p)) / n;
  }
  const m = model.noise;
  if (!m) return 0;
  // The model is for a pair of cohorts; one cohort carries half the constant term.
  const v = m.a / 2 + m.b / n + m.c / Math.sqrt(n);
  return m.scale === 'log' ? v * level * level : v;
}

/** Mean of the judged value over the last few samples since the deploy started (per request for counts). */
function currentValue(model: CheckModel, w: CheckWindow, series: Samples): number {
  const k = model.settings.zscore?.windowSamples ?? 3;
  const from = Math.max(w.deployStart, w.now - k * model.intervalMs);
  const hi = upperBound(series.t, w.now);
  const lo = upperBound(series.t, from);
  const traffic =
    model.unit === 'per request'
      ? (w.traffic?.all ?? (series === w.metric.canary ? w.traffic?.canary : undefined))
      : undefined;
  let sum = 0;
  let den = 0;
  const tol = model.intervalMs / 2;
  for (let i = lo; i < hi; i++) {
    const v = series.v[i];
    if (!Number.isFinite(v)) continue;
    if (traffic) {
      const j = upperBound(traffic.t, series.t[i] + tol) - 1;
      if (j < 0 || Math.abs(traffic.t[j] - series.t[i]) > tol || !(traffic.v[j] > 0)) continue;
      sum += v;
      den += traffic.v[j];
    } else {
      sum += v;
      den += 1;
    }
  }
  return den > 0 ? sum / den : NaN;
}

/** Pre-deploy baseline from the window when prepareCheck had no history (computed once per deploy). */
function lazyBaseline(model: CheckModel, w: CheckWindow, series: Samples): CheckModel['baseline'] {
  const cache = model.cache;
  if (cache.lazyBaseline) return cache.lazyBaseline;
  const lo = upperBound(series.t, w.windowStart);
  const hi = upperBound(series.t, w.deployStart);
  let values: ArrayLike<number> = series.v.subarray(lo, hi);
  if (model.unit === 'per request' && w.traffic?.all) {
    const tr = w.traffic.all;
    const tol = model.intervalMs / 2;
    const out = new Float64Array(hi - lo);
    for (let i = lo; i < hi; i++) {
      const j = upperBound(tr.t, series.t[i] + tol) - 1;
      out[i - lo] =
        j >= 0 && Math.abs(tr.t[j] - series.t[i]) <= tol && tr.v[j] > 0 ? series.v[i] / tr.v[j] : NaN;
    }
    values = out;
  }
  cache.lazyBaseline = robustSummary(values, judgeScratch.summary);
  return cache.lazyBaseline;
}

/** How the usual level at `idx` compares with the usual level before the deploy (ratio; 1 when unknown). */
function seasonalShift(model: CheckModel, idx: number): number {
  const p = model.profile;
  if (!p || idx < 0) return 1;
  const before = model.seasonalBefore;
  const now = p.expected[idx];
  const r = now / before;
  if (!(before > 0) || !(now > 0) || !Number.isFinite(r)) return 1;
  return Math.min(2, Math.max(0.5, r));
}
