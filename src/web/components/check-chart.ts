import uPlot from 'uplot';
import type { DeploySeries } from '../api-types.js';
import { h } from '../dom.js';
import { formatNumber, formatTime } from '../format.js';
import { buildChartData, type ChartSeries } from './chart-data.js';
import { verticalMarkers, type VerticalMarker } from './chart-markers.js';
import { BAND_FILL, colour } from './chart-palette.js';
import { fitPlot } from './fit-plot.js';

const HEIGHT = 280;

const MARKER_COLOUR: Record<string, string> = {
  start: 'c-marker',
  stage: 'c-marker',
  pause: 'c-effective',
  resume: 'c-ok',
  rollback: 'c-rollback',
  rolled_back: 'c-rollback',
  promote: 'c-ok',
  abort: 'c-rollback',
  fail: 'c-rollback',
};

function uplotSeries(c: ChartSeries): uPlot.Series {
  const stroke = colour(c.color);
  switch (c.style) {
    case 'line':
      return { label: c.label, stroke, width: 1.5, spanGaps: true, points: { show: false } };
    case 'band':
      return { label: c.label, stroke, width: 1, dash: [2, 3], spanGaps: true, points: { show: false } };
    case 'step':
      return {
        label: c.label,
        stroke,
        width: 2,
        spanGaps: true,
        ...(c.dash ? { dash: c.dash } : {}),
        paths: uPlot.paths.stepped!({ align: 1 }),
        points: { show: true, size: 4, stroke, fill: stroke },
      };
    case 'points':
      // No line: a marker at each evaluation that breached or decided.
      return {
        label: c.label,
        stroke,
        fill: stroke,
        width: 2,
        paths: () => null,
        points: { show: true, size: c.label === 'decision' ? 14 : 10, stroke, fill: stroke },
      };
  }
}

/**
 * One check's chart across a deploy (uPlot): service-wide, canary and baseline series, the z-score band, the
 * static / dynamic / effective thresholds, breach and decision markers, and vertical lines where stages changed
 * and where the deploy was paused or rolled back. The element gets `data-drawn` once uPlot has drawn it.
 */
export function checkChart(s: DeploySeries): { el: HTMLElement; dispose(): void } {
  const data = buildChartData(s);
  const holder = h('div', {
    class: 'chart',
    'data-check': s.check.name,
    'data-series': data.series.map((c) => c.label).join('|'),
  });
  const el = h('div', { class: 'chart-box' }, holder);
  if (!data.x.length) {
    holder.append(h('div', { class: 'notice empty' }, 'No samples in this range.'));
    return { el, dispose() {} };
  }
  const unit = s.check.unit;
  // Markers at the same moment share one line: "started · canary 10%", "automatic rollback · rolled back".
  const markers: VerticalMarker[] = [];
  for (const m of s.markers) {
    if (m.kind === 'breach') continue;
    const same = markers.find((x) => x.at === m.at);
    if (same) {
      same.label += ` · ${m.label}`;
      if (MARKER_COLOUR[m.kind] !== 'c-marker') same.colour = MARKER_COLOUR[m.kind] ?? same.colour;
    } else markers.push({ at: m.at, label: m.label, colour: MARKER_COLOUR[m.kind] ?? 'c-marker' });
  }
  const opts: uPlot.Options = {
    width: 800,
    height: HEIGHT,
    ms: 1,
    scales: { x: { time: true } },
    series: [
      { label: 'time', value: (_u, v) => (v === null ? '—' : formatTime(v)) },
      ...data.series.map(uplotSeries),
    ],
    bands: data.bands.map(([hi, lo]) => ({ series: [hi + 1, lo + 1] as [number, number], fill: BAND_FILL })),
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
  };
  for (const [i, c] of data.series.entries()) {
    const ser = opts.series[i + 1];
    ser.value = (_u, v) => (v === null || v === undefined ? '—' : formatNumber(v, unit));
    if (c.style === 'points')
      ser.value = (_u, v) => (v === null || v === undefined ? '' : formatNumber(v, unit));
  }
  const { dispose } = fitPlot(
    opts,
    [data.x, ...data.series.map((c) => c.values)] as uPlot.AlignedData,
    holder,
    HEIGHT,
  );
  return { el, dispose };
}
