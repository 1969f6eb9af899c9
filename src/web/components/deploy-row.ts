import type { PresentedDeploy } from '../api-types.js';
import { h } from '../dom.js';
import { formatAge, formatDuration, isoTime } from '../format.js';
import { changesSummary } from './changes-list.js';
import { stateBadge, trafficBar } from './state-badge.js';

export const DEPLOY_COLUMNS = [
  'Service',
  'Version',
  'Status',
  'Stage',
  'Traffic',
  'Age',
  'Changes',
  'Outcome',
];

/**
 * A deploy as a table row; `stages` (the service's stage count) shows how far it got, `hold` why a queued deploy
 * waits.
 */
export function deployRow(
  d: PresentedDeploy,
  opts: { stages?: number; showService?: boolean; hold?: string | undefined } = {},
): HTMLTableRowElement {
  const ended =
    d.endedAt !== null && d.startedAt !== null ? `took ${formatDuration(d.endedAt - d.startedAt)}` : '';
  const stage = d.stage ? `${d.stage}${opts.stages ? ` (${d.stageIndex + 1}/${opts.stages})` : ''}` : '—';
  return h(
    'tr',
    { 'data-deploy-id': d.id, 'data-state': d.state, class: `row-${d.state}` },
    opts.showService === false
      ? null
      : h('td', null, h('a', { href: `/services/${encodeURIComponent(d.service)}` }, d.service)),
    h(
      'td',
      { class: 'version' },
      h('a', { href: `/deploys/${encodeURIComponent(d.id)}`, class: 'deploy-link' }, d.version),
    ),
    h('td', null, stateBadge(d.state)),
    h('td', null, stage),
    h('td', null, trafficBar(d.traffic)),
    h('td', { class: 'age', title: isoTime(d.createdAt) }, formatAge(d.createdAt)),
    h('td', { class: 'changes-cell' }, changesSummary(d.changes)),
    h(
      'td',
      { class: 'outcome' },
      d.reason ?? (d.state === 'queued' && opts.hold ? `held: ${opts.hold}` : ''),
      ended ? h('span', { class: 'muted' }, d.reason ? ` · ${ended}` : ended) : null,
    ),
  );
}

export function deployTable(
  rows: HTMLTableRowElement[],
  opts: { showService?: boolean } = {},
): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = h('tbody', null, rows);
  const cols = opts.showService === false ? DEPLOY_COLUMNS.slice(1) : DEPLOY_COLUMNS;
  const table = h(
    'table',
    { class: 'deploys' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        cols.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    body,
  );
  return { table, body };
}
