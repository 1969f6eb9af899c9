import { ApiError, apiGet, query } from '../api-client.js';
import type { ServiceList } from '../api-types.js';
import type { PeriodReport, SafetyReport } from '../../safety/safety-report.js';
import { emptyNotice, errorNotice, loading } from '../components/notice.js';
import { impactChart, responseChart } from '../components/safety-charts.js';
import { h, replace } from '../dom.js';
import { formatDuration, formatShare, formatTime, sig } from '../format.js';
import { Disposer, type Page } from '../page.js';
import { navigate, type Route } from '../router.js';

const hours = (x: number) => `${sig(x, 3)} h`;
const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

function tile(label: string, value: string, note = ''): HTMLElement {
  return h(
    'div',
    { class: 'tile' },
    h('div', { class: 'tile-value' }, value),
    h('div', { class: 'tile-label' }, label),
    note ? h('div', { class: 'tile-note' }, note) : null,
  );
}

function totalsRow(tr: HTMLTableRowElement): HTMLTableRowElement {
  tr.classList.add('totals');
  return tr;
}

function periodsTable(r: SafetyReport): HTMLElement {
  const row = (p: PeriodReport) =>
    h(
      'tr',
      { 'data-period': p.label },
      h('td', null, p.label),
      h('td', null, String(p.incidents)),
      h('td', null, hours(p.impactHours.raw)),
      h('td', null, hours(p.impactHours.weighted)),
      h('td', null, `${dur(p.ttd.median)} / ${dur(p.ttd.p90)}`),
      h('td', null, `${dur(p.ttr.median)} / ${dur(p.ttr.p90)}`),
      h('td', null, formatShare(p.goals.automatic.remediatedWithinGoal)),
      h('td', null, formatShare(p.goals.manual.remediatedWithinGoal)),
      h('td', null, `${p.stoppedBefore10} of ${p.badDeploys}`),
      h('td', null, `${p.automatic} / ${p.manual}`),
    );
  return h(
    'table',
    { class: 'periods' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        [
          'Period',
          'Incidents',
          'Impact h',
          'Weighted h',
          'Detect median / p90',
          'Remediate median / p90',
          `Auto ≤ ${r.goals.automaticMs / 60_000} min`,
          `Manual ≤ ${r.goals.manualMs / 60_000} min`,
          `Stopped < ${r.goals.stopBeforeTraffic}%`,
          'Auto / manual',
        ].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', null, r.periods.map(row), totalsRow(row(r.totals))),
  );
}

function breakdown(
  title: string,
  byKey: Record<string, { raw: number; weighted: number }>,
): HTMLElement | null {
  const keys = Object.keys(byKey).sort((a, b) => byKey[b].raw - byKey[a].raw);
  if (!keys.length) return null;
  return h(
    'table',
    { class: 'breakdown' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, title),
        h('th', { scope: 'col' }, 'Impact h'),
        h('th', { scope: 'col' }, 'Weighted h'),
      ),
    ),
    h(
      'tbody',
      null,
      keys.map((k) =>
        h(
          'tr',
          null,
          h('td', null, k),
          h('td', null, hours(byKey[k].raw)),
          h('td', null, hours(byKey[k].weighted)),
        ),
      ),
    ),
  );
}

function incidentsTable(r: SafetyReport): HTMLElement {
  if (!r.incidents.length) return emptyNotice('No change-triggered incidents in this window.');
  return h(
    'table',
    { class: 'incidents' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        [
          'Started',
          'Incident',
          'Severity',
          'Services',
          'Deploys',
          'Exposed',
          'Detect',
          'Remediate',
          'Goal met',
          'Hours',
        ].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      r.incidents.map((i) =>
        h(
          'tr',
          { 'data-incident': i.id, class: i.counted ? '' : 'muted' },
          h('td', null, formatTime(i.impactStart)),
          h('td', null, i.title),
          h(
            'td',
            null,
            `${i.severity}${i.severity === 'medium' ? (i.selected ? ' (selected)' : ' (not counted)') : ''}`,
          ),
          h('td', null, i.services.join(', ')),
          h(
            'td',
            null,
            i.deployIds.map((id, k) => [
              k ? ', ' : '',
              h('a', { href: `/deploys/${encodeURIComponent(id)}` }, id),
            ]),
          ),
          h('td', null, `${i.exposurePct}%`),
          h('td', null, dur(i.ttdMs)),
          h('td', null, `${dur(i.ttrMs)} (${i.remediation})`),
          h('td', null, i.remediatedWithinGoal === null ? '—' : i.remediatedWithinGoal ? 'yes' : 'no'),
          h('td', null, `${hours(i.hours.raw)} / ${hours(i.hours.weighted)}`),
        ),
      ),
    ),
  );
}

/**
 * Page 4: deploy safety (GET /api/v1/reports/safety): customer-impact hours per period, time to detect and to
 * remediate against the 10- and 20-minute goals, bad deploys stopped before 10% of traffic, and the incidents.
 */
export function safetyPage(route: Route): Page {
  const d = new Disposer();
  const filters = {
    period: route.search.get('period') ?? 'week',
    service: route.search.get('service') ?? '',
    team: route.search.get('team') ?? '',
  };
  const filterBar = h('form', {
    class: 'filters',
    'aria-label': 'Filters',
    onsubmit: (e: Event) => e.preventDefault(),
  });
  const body = h('div', null, loading('Loading the report'));
  const el = h('section', { class: 'page safety' }, h('h1', null, 'Deploy safety'), filterBar, body);
  const ctrl = new AbortController();
  d.add(() => ctrl.abort());
  let charts = new Disposer();
  d.add(() => charts.dispose());

  const load = async () => {
    charts.dispose();
    charts = new Disposer();
    try {
      const r = await apiGet<SafetyReport>(`/api/v1/reports/safety${query(filters)}`, {
        signal: ctrl.signal,
      });
      if (d.disposed) return;
      const t = r.totals;
      const impact = impactChart(r);
      const response = responseChart(r);
      charts.add(impact.dispose);
      charts.add(response.dispose);
      replace(
        body,
        h(
          'div',
          { class: 'tiles' },
          tile(
            'customer-impact hours',
            hours(t.impactHours.raw),
            `${hours(t.impactHours.weighted)} weighted by exposed traffic`,
          ),
          tile('time to detect (median)', dur(t.ttd.median), `p90 ${dur(t.ttd.p90)}`),
          tile('time to remediate (median)', dur(t.ttr.median), `p90 ${dur(t.ttr.p90)}`),
          tile(
            `automatic within ${r.goals.automaticMs / 60_000} min`,
            formatShare(t.goals.automatic.remediatedWithinGoal),
            `${t.goals.automatic.incidents} incidents`,
          ),
          tile(
            `manual within ${r.goals.manualMs / 60_000} min`,
            formatShare(t.goals.manual.remediatedWithinGoal),
            `${t.goals.manual.incidents} incidents`,
          ),
          tile(
            `bad deploys stopped before ${r.goals.stopBeforeTraffic}%`,
            formatShare(t.stoppedBefore10Share),
            `${t.stoppedBefore10} of ${t.badDeploys}; ${t.automatic} automatic, ${t.manual} manual`,
          ),
        ),
        h('h2', null, `Customer-impact hours by ${r.period}`),
        impact.el,
        h('h2', null, 'Time to detect and remediate'),
        response.el,
        h('h2', null, 'By period'),
        periodsTable(r),
        h(
          'div',
          { class: 'breakdowns' },
          breakdown('Service', t.impactHours.byService),
          breakdown('Team', t.impactHours.byTeam),
        ),
        h('h2', null, 'Change-triggered incidents'),
        incidentsTable(r),
      );
    } catch (e) {
      if (d.disposed || (e as Error).name === 'AbortError') return;
      if (e instanceof ApiError && e.code === 'ROUTE_NOT_FOUND') {
        replace(
          body,
          emptyNotice('This server has no deploy-safety reports (GET /api/v1/reports/safety is missing).'),
        );
      } else replace(body, errorNotice(e, 'Could not load the report'));
    }
  };

  const setFilter = (key: keyof typeof filters, value: string) => {
    filters[key] = value;
    navigate(`/safety${query(filters)}`, true);
    void load();
  };
  const select = (
    key: keyof typeof filters,
    label: string,
    options: Array<[string, string]>,
    withAll = true,
  ) =>
    h(
      'label',
      { class: 'filter' },
      `${label} `,
      h(
        'select',
        { name: key, onchange: (e: Event) => setFilter(key, (e.target as HTMLSelectElement).value) },
        withAll ? h('option', { value: '' }, 'all') : null,
        options.map(([v, text]) => h('option', { value: v, selected: v === filters[key] }, text)),
      ),
    );
  void (async () => {
    try {
      const { services } = await apiGet<ServiceList>('/api/v1/services', { signal: ctrl.signal });
      const teams = [...new Set(services.map((s) => s.team).filter((x): x is string => !!x))].sort();
      replace(
        filterBar,
        select(
          'period',
          'Per',
          [
            ['week', 'week'],
            ['month', 'month'],
            ['quarter', 'quarter'],
          ],
          false,
        ),
        select(
          'service',
          'Service',
          services.map((s) => [s.name, s.name]),
        ),
        select(
          'team',
          'Team',
          teams.map((x) => [x, x]),
        ),
      );
    } catch {
      // The report still loads without the filter options.
    }
    await load();
  })();
  return { el, title: 'Deploy safety', dispose: () => d.dispose() };
}
