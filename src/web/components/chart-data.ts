import type { DeploySeries, EvaluationPoint } from '../api-types.js';

/** How a series is drawn. */
export type SeriesStyle = 'line' | 'step' | 'points' | 'band';

export interface ChartSeries {
  /** Shown in the legend; tests and people look for these names. */
  label: string;
  style: SeriesStyle;
  /** A CSS class name of the palette (resolved to a colour by the chart). */
  color: string;
  dash?: number[];
  values: Array<number | null>;
}

export interface ChartData {
  x: number[];
  series: ChartSeries[];
  /** Pairs of indices into `series` (upper, lower) whose gap is filled. */
  bands: Array<[number, number]>;
}

/** The y a marker sits at: the number that decided (the canary's for the comparison, else the judged value). */
export function markerValue(e: EvaluationPoint): number | null {
  return e.detector === 'canary' ? (e.canaryValue ?? e.value) : (e.value ?? e.canaryValue);
}

/**
 * Puts a deploy's series and evaluations on one time axis for uPlot (which wants aligned arrays): the metric
 * series, the z-score band, the static / dynamic / effective thresholds at each evaluation, and markers for
 * breaches and for the evaluation that decided a pause or rollback. Series without any value are left out, so
 * the legend lists only what the chart shows.
 */
export function buildChartData(s: DeploySeries): ChartData {
  const xs = new Set<number>();
  for (const p of Object.values(s.series)) for (const t of p?.t ?? []) xs.add(t);
  for (const e of s.evaluations) xs.add(e.at);
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map(x.map((t, i) => [t, i]));
  const empty = () => new Array<number | null>(x.length).fill(null);

  const fromPoints = (p: { t: number[]; v: Array<number | null> } | undefined) => {
    const out = empty();
    if (p) p.t.forEach((t, i) => (out[index.get(t)!] = p.v[i]));
    return out;
  };
  const fromEvals = (pick: (e: EvaluationPoint) => number | null, only?: (e: EvaluationPoint) => boolean) => {
    const out = empty();
    for (const e of s.evaluations) if (!only || only(e)) out[index.get(e.at)!] = pick(e);
    return out;
  };

  const all: ChartSeries[] = [
    { label: 'service-wide', style: 'line', color: 'c-all', values: fromPoints(s.series.all) },
    { label: 'canary', style: 'line', color: 'c-canary', values: fromPoints(s.series.canary) },
    { label: 'baseline', style: 'line', color: 'c-baseline', values: fromPoints(s.series.baseline) },
    { label: 'band high', style: 'band', color: 'c-band', values: fromEvals((e) => e.bandHigh) },
    { label: 'band low', style: 'band', color: 'c-band', values: fromEvals((e) => e.bandLow) },
    { label: 'static threshold', style: 'step', color: 'c-static', dash: [6, 4], values: staticValues(s, x) },
    {
      label: 'dynamic threshold',
      style: 'step',
      color: 'c-dynamic',
      dash: [3, 3],
      values: fromEvals((e) => e.dynamicThreshold),
    },
    {
      label: 'effective threshold',
      style: 'step',
      color: 'c-effective',
      values: fromEvals((e) => e.effectiveThreshold),
    },
    {
      label: 'breach',
      style: 'points',
      color: 'c-breach',
      values: fromEvals(markerValue, (e) => e.verdict === 'breach'),
    },
    {
      label: 'decision',
      style: 'points',
      color: 'c-decision',
      values: fromEvals(
        markerValue,
        (e) => e.culprit && (e.decision === 'rollback' || e.decision === 'pause'),
      ),
    },
  ];
  const series = all.filter((c) => c.values.some((v) => v !== null));
  const high = series.findIndex((c) => c.label === 'band high');
  const low = series.findIndex((c) => c.label === 'band low');
  return { x, series, bands: high >= 0 && low >= 0 ? [[high, low]] : [] };
}

/**
 * The static threshold where evaluations stored it, and the configured one across the whole chart otherwise: it
 * does not change with time, and it is what a reader compares the line before the deploy with.
 */
function staticValues(s: DeploySeries, x: number[]): Array<number | null> {
  const configured =
    s.check.direction === 'down' ? s.check.static?.min : (s.check.static?.max ?? s.check.static?.min);
  const stored = s.evaluations.find((e) => e.staticThreshold !== null)?.staticThreshold;
  const v = stored ?? configured;
  return x.map(() => (v === undefined || v === null ? null : v));
}
