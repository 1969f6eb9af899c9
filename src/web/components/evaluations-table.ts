import type { EvaluationPoint } from '../api-types.js';
import { h } from '../dom.js';
import { formatNumber, formatP, formatTime, isoTime, type ValueUnit } from '../format.js';

/** The evaluations behind a chart as numbers, newest first, folded away by default. */
export function evaluationsTable(points: EvaluationPoint[], unit: ValueUnit, limit = 200): HTMLElement {
  const rows = points.slice(-limit).reverse();
  const n = (v: number | null) => formatNumber(v, unit);
  return h(
    'details',
    { class: 'evaluations' },
    h(
      'summary',
      null,
      `${points.length} evaluations${points.length > limit ? ` (latest ${limit} shown)` : ''}`,
    ),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [
            'Time',
            'Stage',
            'Verdict',
            'Value',
            'Canary',
            'Baseline',
            'p',
            'Static',
            'Dynamic',
            'Effective',
            'Decision',
            'Reason',
          ].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((e) =>
          h(
            'tr',
            { class: `verdict-${e.verdict}`, 'data-verdict': e.verdict },
            h('td', { title: isoTime(e.at) }, formatTime(e.at)),
            h('td', null, e.stage ?? '—'),
            h('td', null, e.verdict),
            h('td', null, n(e.value)),
            h('td', null, n(e.canaryValue)),
            h('td', null, n(e.baselineValue)),
            h('td', null, e.pValue === null ? '—' : formatP(e.pValue)),
            h('td', null, n(e.staticThreshold)),
            h('td', null, n(e.dynamicThreshold)),
            h('td', null, n(e.effectiveThreshold)),
            h('td', null, e.decision),
            h('td', { class: 'detail' }, e.reason),
          ),
        ),
      ),
    ),
  );
}
