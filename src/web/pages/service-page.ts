import { apiGet, query } from '../api-client.js';
import type { ServiceAnswer, ServiceHistory } from '../api-types.js';
import { checkConfigTable } from '../components/check-config.js';
import { deployRow, deployTable } from '../components/deploy-row.js';
import { historyChart } from '../components/history-chart.js';
import { emptyNotice, errorNotice, loading } from '../components/notice.js';
import { stateBadge } from '../components/state-badge.js';
import { h, replace } from '../dom.js';
import { formatDuration } from '../format.js';
import { liveEvents } from '../live-events.js';
import { Disposer, type Page } from '../page.js';
import { navigate, type Route } from '../router.js';

const WEEK_CHOICES = [1, 2, 4, 8];

/**
 * Page 3: a service. Its current version and active deploy, the stages and check configuration, the metric history
 * of one check with the dynamic threshold over the last weeks, and its recent deploys.
 */
export function servicePage(route: Route): Page {
  const name = route.params.name;
  const d = new Disposer();
  const body = h('div', null, loading('Loading the service'));
  const el = h('section', { class: 'page service', 'data-service': name }, body);
  const ctrl = new AbortController();
  d.add(() => ctrl.abort());
  let chart = new Disposer();
  d.add(() => chart.dispose());
  let checkName = route.search.get('check') ?? '';
  let weeks = Number(route.search.get('weeks')) || 4;
  const historyBox = h('div', { class: 'history' });

  const loadHistory = async () => {
    chart.dispose();
    chart = new Disposer();
    replace(historyBox, loading('Loading the history'));
    try {
      const hist = await apiGet<ServiceHistory>(
        `/api/v1/services/${encodeURIComponent(name)}/history${query({ check: checkName, weeks })}`,
        { signal: ctrl.signal },
      );
      if (d.disposed) return;
      // Asked without a check (first visit), the server charted the service's first one.
      checkName = hist.check.name;
      const c = historyChart(hist);
      chart.add(c.dispose);
      replace(
        historyBox,
        c.el,
        hist.problem ? h('div', { class: 'notice warn' }, hist.problem) : null,
        hist.notes.map((n) => h('p', { class: 'muted' }, n)),
        hist.dynamic
          ? h(
              'p',
              { class: 'chart-help' },
              `The dynamic threshold at each moment is what the judge would have used for a deploy starting then: the usual level at the same time on the previous ${hist.dynamic.days} day(s) and ${hist.dynamic.weeks} week(s), ± ${hist.dynamic.threshold} robust spreads (window ${formatDuration(hist.dynamic.windowMs)}). Vertical lines are deploys; red ones were rolled back.`,
            )
          : null,
      );
    } catch (e) {
      if (!d.disposed && (e as Error).name !== 'AbortError')
        replace(historyBox, errorNotice(e, 'Could not load the history'));
    }
  };

  const load = async () => {
    try {
      const s = await apiGet<ServiceAnswer>(`/api/v1/services/${encodeURIComponent(name)}`, {
        signal: ctrl.signal,
      });
      if (d.disposed) return;
      const svc = s.service;
      const checks = s.config.checks;
      // The history is fetched alongside (see below): an unknown ?check= shows its error there.
      const setView = () =>
        navigate(`/services/${encodeURIComponent(name)}${query({ check: checkName, weeks })}`, true);
      const { table } = deployTable(
        s.deploys.map((dep) =>
          deployRow(dep, { stages: svc.stages.length, showService: false, hold: svc.hold?.reason }),
        ),
        { showService: false },
      );
      replace(
        body,
        h('nav', { class: 'crumbs' }, h('a', { href: '/' }, 'Deploys'), ' › ', svc.name),
        h('h1', null, svc.name, svc.team ? h('span', { class: 'muted' }, ` · team ${svc.team}`) : null),
        h(
          'dl',
          { class: 'facts' },
          h('dt', null, 'Current version'),
          h('dd', { id: 'current-version' }, svc.currentVersion ?? 'none promoted yet'),
          h('dt', null, 'Now'),
          h(
            'dd',
            null,
            svc.active
              ? [
                  h('a', { href: `/deploys/${encodeURIComponent(svc.active.id)}` }, svc.active.version),
                  ' ',
                  stateBadge(svc.active.state),
                ]
              : 'no deploy running',
          ),
          h('dt', null, 'Queue'),
          h('dd', null, `${svc.queued} queued (${svc.queue})`),
          svc.hold
            ? [h('dt', null, 'Hold'), h('dd', { class: 'hold' }, `${svc.hold.reason} (by ${svc.hold.actor})`)]
            : null,
          h('dt', null, 'Stages'),
          h(
            'dd',
            null,
            svc.stages.map((st) => `${st.name} ${st.traffic}% for ${formatDuration(st.bakeMs)}`).join(' → '),
          ),
          h('dt', null, 'Evaluated every'),
          h('dd', null, formatDuration(s.config.intervalMs)),
        ),
        h('h2', null, 'Checks'),
        checkConfigTable(checks),
        checks.length
          ? [
              h(
                'h2',
                null,
                'Metric history ',
                h(
                  'select',
                  {
                    name: 'check',
                    'aria-label': 'Check',
                    onchange: (e: Event) => (
                      (checkName = (e.target as HTMLSelectElement).value),
                      setView(),
                      void loadHistory()
                    ),
                  },
                  checks.map((c) => h('option', { value: c.name, selected: c.name === checkName }, c.name)),
                ),
                ' ',
                h(
                  'select',
                  {
                    name: 'weeks',
                    'aria-label': 'Weeks',
                    onchange: (e: Event) => (
                      (weeks = Number((e.target as HTMLSelectElement).value)),
                      setView(),
                      void loadHistory()
                    ),
                  },
                  WEEK_CHOICES.map((w) =>
                    h('option', { value: w, selected: w === weeks }, `${w} week${w > 1 ? 's' : ''}`),
                  ),
                ),
              ),
              historyBox,
            ]
          : null,
        h('h2', null, 'Recent deploys'),
        s.deploys.length ? table : emptyNotice('No deploys yet.'),
      );
    } catch (e) {
      if (!d.disposed && (e as Error).name !== 'AbortError')
        replace(body, errorNotice(e, 'Could not load the service'));
    }
  };

  let debounce: ReturnType<typeof setTimeout> | undefined;
  d.add(() => clearTimeout(debounce));
  d.add(
    liveEvents.subscribe((e) => {
      if (e.service !== name) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void reloadSummary(), 500);
    }),
  );
  const reloadSummary = async () => {
    const y = window.scrollY;
    await load();
    window.scrollTo(0, y);
  };
  // The service and its history at once; the history box is the same element across reloads of the summary (a
  // deploy's events do not change weeks of history).
  void load();
  void loadHistory();
  return { el, title: name, dispose: () => d.dispose() };
}
