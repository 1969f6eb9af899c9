import { resolveSettings } from '../../analysis/judge-settings.js';
import { judgedSeries } from '../../analysis/judged-series.js';
import { DAY_MS, WEEK_MS, learnSeasonalProfile } from '../../analysis/seasonal-profile.js';
import { valueUnit, type ValueUnit } from '../../analysis/value-format.js';
import type { ResolvedCheck, ResolvedService } from '../../config/resolved-config.js';
import type { MetricSource } from '../../metrics/metric-source.js';
import type { Samples } from '../../metrics/samples.js';
import { upperBound } from '../../metrics/samples.js';
import type { Deploy } from '../../pipeline/deploy.js';
import { fetchRange } from './dashboard-fetch.js';

/** The judge's own grid for dynamic thresholds is 5 minutes; the chart never goes finer. */
const MIN_GRID_MS = 5 * 60_000;
/** Points per series the chart gets at most (four weeks at 10 minutes). */
const MAX_GRID_POINTS = 4100;
/** Samples fetched per series at most: beyond that the fetch step grows. */
const MAX_FETCH_POINTS = 120_000;

export interface ServiceHistory {
  service: string;
  check: {
    name: string;
    direction: ResolvedCheck['direction'];
    kind: string;
    unit: ValueUnit;
    query: string | null;
  };
  weeks: number;
  from: number;
  to: number;
  stepMs: number;
  /** On the grid: the judged value (bucket mean), the usual level and the dynamic thresholds; null = unknown. */
  t: number[];
  value: Array<number | null>;
  expected: Array<number | null>;
  upper: Array<number | null>;
  lower: Array<number | null>;
  static: { max?: number; min?: number } | null;
  dynamic: { days: number; weeks: number; windowMs: number; threshold: number } | null;
  /** Why something is missing (no query, no history, thresholds off). */
  notes: string[];
  problem: string | null;
  deploys: Array<{ id: string; version: string; state: Deploy['state']; at: number; endedAt: number | null }>;
}

const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * A check's service-wide value over the last `weeks` with the dynamic threshold the judge would have had at each
 * moment: the same judged series (per request for counts with traffic) and the judge's own seasonal profile
 * (learnSeasonalProfile), learned for every grid point from the days and weeks before it, so the band shows what
 * a deploy starting then would have been held to. Metric problems are reported in `problem`, never thrown.
 */
export async function serviceHistory(input: {
  service: ResolvedService;
  check: ResolvedCheck;
  source: MetricSource;
  weeks: number;
  now: number;
  deploys: Deploy[];
}): Promise<ServiceHistory> {
  const { service: svc, check, source, weeks, now } = input;
  const settings = resolveSettings(check, svc);
  const perRequest = settings.kind === 'count' && !!svc.traffic;
  const query = check.queries.all ?? null;
  const span = weeks * WEEK_MS;
  const stepMs = Math.max(MIN_GRID_MS, Math.ceil(span / MAX_GRID_POINTS / MIN_GRID_MS) * MIN_GRID_MS);
  const to = Math.floor(now / stepMs) * stepMs;
  const from = to - span;
  const dyn = settings.dynamic;
  const lookback = dyn ? Math.max(dyn.days * DAY_MS, dyn.weeks * WEEK_MS) + dyn.windowMs / 2 : 0;
  const notes: string[] = [];
  const base: ServiceHistory = {
    service: svc.name,
    check: {
      name: check.name,
      direction: check.direction,
      kind: settings.kind,
      unit: valueUnit(settings.kind, query ?? undefined, perRequest),
      query,
    },
    weeks,
    from,
    to,
    stepMs,
    t: [],
    value: [],
    expected: [],
    upper: [],
    lower: [],
    static: settings.static ?? null,
    dynamic: dyn ?? null,
    notes,
    problem: null,
    deploys: input.deploys
      .filter((d) => (d.startedAt ?? d.createdAt) >= from)
      .map((d) => ({
        id: d.id,
        version: d.version,
        state: d.state,
        at: d.startedAt ?? d.createdAt,
        endedAt: d.endedAt,
      })),
  };
  if (!dyn) notes.push('dynamic thresholds are off for this check');
  if (!query) {
    notes.push('the check has no service-wide query (only canary and baseline, which exist during deploys)');
    return base;
  }

  const fetchFrom = from - lookback;
  const fetchStep = Math.max(svc.intervalMs, Math.ceil((to - fetchFrom) / MAX_FETCH_POINTS / 1000) * 1000);
  if (fetchStep > svc.intervalMs)
    notes.push(`history read every ${Math.round(fetchStep / 1000)} s, coarser than the check's interval`);
  const got = await fetchRange(source, query, fetchFrom, to, fetchStep);
  if ('problem' in got) {
    base.problem =
      got.problem.kind === 'no_series'
        ? `${query} matched no series in the last ${weeks} weeks`
        : `${query}: ${got.problem.kind} ${got.problem.message ?? ''}`.trim();
    return base;
  }
  let values: Samples = got.samples;
  if (perRequest && svc.traffic) {
    const tr = await fetchRange(source, svc.traffic.all, fetchFrom, to, fetchStep);
    if ('samples' in tr) values = judgedSeries(settings.kind, got.samples, tr.samples, fetchStep / 2);
    else notes.push('no traffic series: counts shown as they are, not per request');
  }

  const n = Math.floor(span / stepMs) + 1;
  const t = new Array<number>(n);
  for (let g = 0; g < n; g++) t[g] = from + g * stepMs;
  base.t = t;
  base.value = bucketMeans(values, t, stepMs);
  if (dyn) {
    // `before` = now: each grid point's windows lie at least a day before it, so no point sees its own future.
    const profile = learnSeasonalProfile(values, from, to, stepMs, now, dyn);
    if (profile.note) notes.push(profile.note);
    base.expected = Array.from(profile.expected, nul);
    base.upper = check.direction === 'down' ? t.map(() => null) : Array.from(profile.upper, nul);
    base.lower = check.direction === 'up' ? t.map(() => null) : Array.from(profile.lower, nul);
  }
  return base;
}

/** Mean of the finite samples within half a step of each grid time. */
function bucketMeans(s: Samples, t: number[], stepMs: number): Array<number | null> {
  const half = stepMs / 2;
  return t.map((x) => {
    let sum = 0;
    let k = 0;
    const end = upperBound(s.t, x + half);
    for (let i = upperBound(s.t, x - half); i < end; i++) {
      if (Number.isFinite(s.v[i])) {
        sum += s.v[i];
        k++;
      }
    }
    return k ? sum / k : null;
  });
}
