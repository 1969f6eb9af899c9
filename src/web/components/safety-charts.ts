import uPlot from 'uplot';
import type { PeriodReport, SafetyReport } from '../../safety/safety-report.js';
import { h } from '../dom.js';
import { sig } from '../format.js';
import { colour } from './chart-palette.js';
import { fitPlot } from './fit-plot.js';

const MINUTE = 60_000;
const HEIGHT = 240;

function chartBox(
  name: string,
  opts: uPlot.Options,
  data: uPlot.AlignedData,
): { el: HTMLElement; dispose(): void } {
  const holder = h('div', { class: 'chart', 'data-chart': name });
  opts.hooks = {
    draw: [
      () => {
        holder.dataset.drawn = 'true';
      },
    ],
  };
  const { dispose } = fitPlot(opts, data, holder, HEIGHT);
  return { el: h('div', { class: 'chart-box' }, holder), dispose };
}

const minutes = (ms: number | null) => (ms === null ? null : ms / MINUTE);
const labelAt = (periods: PeriodReport[]) => (_u: uPlot, splits: number[]) =>
  splits.map((v) => periods.find((p) => Math.abs(p.start - v) < 1)?.label ?? '');

/** Customer-impact hours per period: raw and traffic-weighted, as bars. */
export function impactChart(r: SafetyReport): { el: HTMLElement; dispose(): void } {
  const x = r.periods.map((p) => p.start);
  return chartBox(
    'impact',
    {
      width: 800,
      height: HEIGHT,
      ms: 1,
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => [min - 0.6 * (x[1] - x[0] || 1), max + 0.6 * (x[1] - x[0] || 1)],
        },
      },
      series: [
        { label: 'period', value: (_u, v) => r.periods.find((p) => p.start === v)?.label ?? '' },
        {
          label: 'impact hours (raw)',
          stroke: colour('c-canary'),
          fill: 'rgba(213, 94, 0, 0.35)',
          paths: uPlot.paths.bars!({ size: [0.7, 80], align: 0 }),
          points: { show: false },
          value: (_u, v) => (v === null ? '—' : `${sig(v, 3)} h`),
        },
        {
          label: 'impact hours (weighted by traffic)',
          stroke: colour('c-baseline'),
          fill: 'rgba(0, 114, 178, 0.6)',
          paths: uPlot.paths.bars!({ size: [0.35, 40], align: 0 }),
          points: { show: false },
          value: (_u, v) => (v === null ? '—' : `${sig(v, 3)} h`),
        },
      ],
      axes: [
        { splits: () => x, values: labelAt(r.periods) },
        { size: 60, values: (_u, s) => s.map((v) => `${sig(v, 3)} h`) },
      ],
      legend: { live: true },
    },
    [x, r.periods.map((p) => p.impactHours.raw), r.periods.map((p) => p.impactHours.weighted)],
  );
}

/** Time to detect and to remediate (median and p90, minutes) per period, against the 10- and 20-minute goals. */
export function responseChart(r: SafetyReport): { el: HTMLElement; dispose(): void } {
  const x = r.periods.map((p) => p.start);
  const goal = (ms: number) => x.map(() => ms / MINUTE);
  const line = (label: string, stroke: string, values: Array<number | null>, dash?: number[]) => ({
    label,
    stroke,
    width: 2,
    spanGaps: true,
    ...(dash ? { dash } : {}),
    points: { show: true, size: 6, stroke, fill: stroke },
    value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${sig(v, 3)} min`),
  });
  return chartBox(
    'response',
    {
      width: 800,
      height: HEIGHT,
      ms: 1,
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => [min - 0.5 * (x[1] - x[0] || 1), max + 0.5 * (x[1] - x[0] || 1)],
        },
      },
      series: [
        { label: 'period', value: (_u, v) => r.periods.find((p) => p.start === v)?.label ?? '' },
        line(
          'detect median',
          colour('c-dynamic'),
          r.periods.map((p) => minutes(p.ttd.median)),
        ),
        line(
          'detect p90',
          colour('c-dynamic'),
          r.periods.map((p) => minutes(p.ttd.p90)),
          [4, 3],
        ),
        line(
          'remediate median',
          colour('c-canary'),
          r.periods.map((p) => minutes(p.ttr.median)),
        ),
        line(
          'remediate p90',
          colour('c-canary'),
          r.periods.map((p) => minutes(p.ttr.p90)),
          [4, 3],
        ),
        {
          label: `automatic goal (${r.goals.automaticMs / MINUTE} min)`,
          stroke: colour('c-ok'),
          dash: [8, 4],
          width: 1,
          points: { show: false },
        },
        {
          label: `manual goal (${r.goals.manualMs / MINUTE} min)`,
          stroke: colour('c-effective'),
          dash: [8, 4],
          width: 1,
          points: { show: false },
        },
      ],
      axes: [
        { splits: () => x, values: labelAt(r.periods) },
        { size: 60, values: (_u, s) => s.map((v) => `${sig(v, 3)} min`) },
      ],
      legend: { live: true },
    },
    [
      x,
      ...[0, 1, 2, 3].map((i) =>
        r.periods.map((p) => minutes([p.ttd.median, p.ttd.p90, p.ttr.median, p.ttr.p90][i])),
      ),
      goal(r.goals.automaticMs),
      goal(r.goals.manualMs),
    ],
  );
}
