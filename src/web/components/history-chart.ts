import type uPlot from 'uplot';
import type { ServiceHistory } from '../api-types.js';
import { h } from '../dom.js';
import { formatNumber, formatTime } from '../format.js';
import { verticalMarkers } from './chart-markers.js';
import { BAND_FILL, colour } from './chart-palette.js';
import { fitPlot } from './fit-plot.js';

const HEIGHT = 260;

/**
 * A check's service-wide value over the last weeks with the usual level and the judge's dynamic thresholds; the
 * gap between the thresholds is shaded, deploys are vertical lines (red for rollbacks).
 */
export function historyChart(s: ServiceHistory): { el: HTMLElement; dispose(): void } {
  const holder = h('div', { class: 'chart', 'data-check': s.check.name });
  const el = h('div', { class: 'chart-box' }, holder);
  if (!s.t.length) {
    holder.append(h('div', { class: 'notice empty' }, s.problem ?? 'No history to show.'));
    return { el, dispose() {} };
  }
  const unit = s.check.unit;
  const defs: Array<{
    label: string;
    values: Array<number | null>;
    stroke: string;
    dash?: number[];
    width: number;
  }> = [
    { label: 'value', values: s.value, stroke: colour('c-value'), width: 1 },
    { label: 'usual level', values: s.expected, stroke: colour('c-expected'), dash: [2, 3], width: 1 },
    {
      label: 'dynamic threshold (upper)',
      values: s.upper,
      stroke: colour('c-dynamic'),
      dash: [4, 3],
      width: 1.5,
    },
    {
      label: 'dynamic threshold (lower)',
      values: s.lower,
      stroke: colour('c-dynamic'),
      dash: [4, 3],
      width: 1.5,
    },
  ];
  const staticLine = s.check.direction === 'down' ? s.static?.min : (s.static?.max ?? s.static?.min);
  if (staticLine !== undefined)
    defs.push({
      label: 'static threshold',
      values: s.t.map(() => staticLine),
      stroke: colour('c-static'),
      dash: [6, 4],
      width: 1.5,
    });
  const shown = defs.filter((x) => x.values.some((v) => v !== null));
  const upper = shown.findIndex((x) => x.label === 'dynamic threshold (upper)');
  const lower = shown.findIndex((x) => x.label === 'dynamic threshold (lower)');
  const markers = s.deploys.map((d) => ({
    at: d.at,
    label: d.version,
    colour: d.state === 'rolled_back' ? 'c-rollback' : 'c-marker',
  }));
  const { dispose } = fitPlot(
    {
      width: 800,
      height: HEIGHT,
      ms: 1,
      scales: { x: { time: true } },
      series: [
        { label: 'time', value: (_u, v) => (v === null ? '—' : formatTime(v)) },
        ...shown.map((x) => ({
          label: x.label,
          stroke: x.stroke,
          width: x.width,
          ...(x.dash ? { dash: x.dash } : {}),
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => formatNumber(v, unit),
        })),
      ],
      bands: upper >= 0 && lower >= 0 ? [{ series: [upper + 1, lower + 1], fill: BAND_FILL }] : [],
      axes: [{}, { size: 72, values: (_u, splits) => splits.map((v) => formatNumber(v, unit)) }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      hooks: {
        draw: [
          verticalMarkers(markers),
          () => {
            holder.dataset.drawn = 'true';
          },
        ],
      },
    },
    [s.t, ...shown.map((x) => x.values)] as uPlot.AlignedData,
    holder,
    HEIGHT,
  );
  return { el, dispose };
}
