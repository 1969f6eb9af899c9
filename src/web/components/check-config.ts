import type { ResolvedCheck } from '../../config/resolved-config.js';
import { h } from '../dom.js';
import { formatDuration } from '../format.js';

/** A detector setting in words: `off`, `threshold 3, baseline 1 h`. */
function describe(value: unknown): string {
  if (value === false) return 'off';
  if (value === undefined) return 'default';
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(
      ([k, v]) =>
        `${k} ${typeof v === 'number' && /baseline|window/i.test(k) ? formatDuration(v) : String(v)}`,
    )
    .join(', ');
}

/** The configuration of a service's checks: queries per cohort, direction, action and detector settings. */
export function checkConfigTable(checks: ResolvedCheck[]): HTMLElement {
  if (!checks.length) return h('p', { class: 'muted' }, 'No checks configured.');
  return h(
    'table',
    { class: 'check-config' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Check', 'Queries', 'Bad when', 'Action', 'Detectors'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      checks.map((c) =>
        h(
          'tr',
          { 'data-check': c.name },
          h('td', null, c.name),
          h(
            'td',
            { class: 'queries' },
            (['all', 'canary', 'baseline'] as const).map((k) =>
              c.queries[k]
                ? h('div', null, h('span', { class: 'muted' }, `${k}: `), h('code', null, c.queries[k]!))
                : null,
            ),
          ),
          h('td', null, c.direction === 'up' ? 'higher' : c.direction === 'down' ? 'lower' : 'either way'),
          h('td', null, c.action),
          h(
            'td',
            { class: 'detectors' },
            Object.keys(c.detectors).length
              ? Object.entries(c.detectors).map(([k, v]) =>
                  h('div', null, h('span', { class: 'muted' }, `${k}: `), describe(v)),
                )
              : h('span', { class: 'muted' }, 'defaults'),
          ),
        ),
      ),
    ),
  );
}
