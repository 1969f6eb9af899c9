import type { Samples } from '../metrics/samples.js';
import { upperBound } from '../metrics/samples.js';
import { MAD_TO_SD, medianInPlace } from './robust-stats.js';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export interface SeasonalOptions {
  /** Previous days at the same time of day (0 = none). */
  days: number;
  /** Previous weeks at the same hour of the week. */
  weeks: number;
  /** Width of the slice taken around each similar time, ms. */
  windowMs: number;
  /** Robust standard deviations above (below) the usual level that a dynamic threshold sits. */
  threshold: number;
}

/**
 * What is normal for each moment of a deploy, learned from history at similar times: per grid point, the usual
 * level (median of the similar-time samples) and the dynamic thresholds. The daily and the weekly norm are
 * learned apart and the more lenient of the two is used (upper = the higher, lower = the lower), so that neither
 * "a Monday 8 am is busier than Sunday 8 am" nor "today runs hotter than the last weeks" raises an alarm alone.
 */
export interface SeasonalProfile {
  start: number;
  stepMs: number;
  /** Usual level, NaN where nothing was known. */
  expected: Float64Array;
  /** Dynamic thresholds, NaN where nothing was known. */
  upper: Float64Array;
  lower: Float64Array;
  daysFound: number;
  weeksFound: number;
  /** Set when fewer days or weeks than asked were in the history. */
  note?: string;
}

/**
 * Learns the profile over [from, to] on a grid of `stepMs` from `values` (history of the judged value: the
 * metric, or the metric per request). Samples after `before` are ignored (no look-ahead).
 */
export function learnSeasonalProfile(
  values: Samples,
  from: number,
  to: number,
  stepMs: number,
  before: number,
  opts: SeasonalOptions,
): SeasonalProfile {
  const n = Math.max(1, Math.floor((to - from) / stepMs) + 1);
  const expected = new Float64Array(n).fill(NaN);
  const upper = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  const half = opts.windowMs / 2;
  const daily = new Float64Array(Math.max(16, opts.days * Math.ceil(opts.windowMs / 30_000 + 4)));
  const weekly = new Float64Array(Math.max(16, opts.weeks * Math.ceil(opts.windowMs / 30_000 + 4)));
  const pooled = new Float64Array(daily.length + weekly.length);
  const daysSeen = new Set<number>();
  const weeksSeen = new Set<number>();
  for (let g = 0; g < n; g++) {
    const t = from + g * stepMs;
    let nd = 0;
    let nw = 0;
    for (let k = 1; k <= opts.days; k++) {
      const got = gather(values, t - k * DAY_MS - half, t - k * DAY_MS + half, before, daily, nd);
      if (got > nd) daysSeen.add(k);
      nd = got;
    }
    for (let k = 1; k <= opts.weeks; k++) {
      const got = gather(values, t - k * WEEK_MS - half, t - k * WEEK_MS + half, before, weekly, nw);
      if (got > nw) weeksSeen.add(k);
      nw = got;
    }
    if (nd + nw === 0) continue;
    pooled.set(daily.subarray(0, nd), 0);
    pooled.set(weekly.subarray(0, nw), nd);
    expected[g] = medianInPlace(pooled, nd + nw);
    let up = -Infinity;
    let lo = Infinity;
    for (const [buf, m] of [
      [daily, nd],
      [weekly, nw],
    ] as const) {
      if (m < 5) continue;
      const { center, spread } = centerSpread(buf, m);
      up = Math.max(up, center + opts.threshold * spread);
      lo = Math.min(lo, center - opts.threshold * spread);
    }
    if (up > -Infinity) upper[g] = up;
    if (lo < Infinity) lower[g] = lo;
  }
  const notes: string[] = [];
  if (opts.weeks > 0 && weeksSeen.size < opts.weeks) notes.push(`${weeksSeen.size} of ${opts.weeks} weeks`);
  if (opts.days > 0 && daysSeen.size < opts.days) notes.push(`${daysSeen.size} of ${opts.days} days`);
  const profile: SeasonalProfile = {
    start: from,
    stepMs,
    expected,
    upper,
    lower,
    daysFound: daysSeen.size,
    weeksFound: weeksSeen.size,
  };
  if (daysSeen.size + weeksSeen.size === 0)
    profile.note = 'no history at similar times: dynamic threshold off';
  else if (notes.length) profile.note = `short history: dynamic threshold from ${notes.join(' and ')}`;
  return profile;
}

/** Index of the grid point for time t (clamped to the grid). */
export function profileIndex(p: SeasonalProfile, t: number): number {
  const i = Math.round((t - p.start) / p.stepMs);
  return i < 0 ? 0 : i >= p.expected.length ? p.expected.length - 1 : i;
}

/** Appends the finite samples with t in [a, b] and t <= before to buf from index n; returns the new count. */
function gather(s: Samples, a: number, b: number, before: number, buf: Float64Array, n: number): number {
  const hi = Math.min(b, before);
  if (hi < a) return n;
  let i = upperBound(s.t, a - 1e-9);
  const end = upperBound(s.t, hi);
  for (; i < end && n < buf.length; i++) {
    const v = s.v[i];
    if (Number.isFinite(v)) buf[n++] = v;
  }
  return n;
}

/** Median and scaled MAD of buf[0..m) (buf is reordered), with a small floor so flat history still has a spread. */
function centerSpread(buf: Float64Array, m: number): { center: number; spread: number } {
  const work = buf.slice(0, m);
  const center = medianInPlace(work, m);
  for (let i = 0; i < m; i++) work[i] = Math.abs(work[i] - center);
  const spread = MAD_TO_SD * medianInPlace(work, m);
  return { center, spread: Math.max(spread, 0.02 * Math.abs(center), 1e-12) };
}
