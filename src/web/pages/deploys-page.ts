import { apiGet, query } from '../api-client.js';
import type { DeployList, PresentedDeploy, ServiceList, StoredEvent } from '../api-types.js';
import { deployRow, deployTable } from '../components/deploy-row.js';
import { emptyNotice, errorNotice, loading } from '../components/notice.js';
import { ALL_STATES, stateLabel } from '../components/state-badge.js';
import { h, replace } from '../dom.js';
import { liveEvents } from '../live-events.js';
import { Disposer, type Page } from '../page.js';
import { navigate, type Route } from '../router.js';

const PAGE_SIZE = 50;
/** Groups of states offered in the status filter, besides each single state. */
const STATE_GROUPS: Array<[string, string]> = [
  ['running,paused,rolling_back', 'active'],
  ['promoted,rolled_back,aborted,failed,superseded', 'finished'],
];

/**
 * Page 1: the deploys across services, newest first, live: lifecycle events update rows in place and bring in new
 * deploys. Filters (service, status, team) live in the URL, so a filtered view can be shared.
 */
export function deploysPage(route: Route): Page {
  const d = new Disposer();
  const filters = {
    service: route.search.get('service') ?? '',
    state: route.search.get('state') ?? '',
    team: route.search.get('team') ?? '',
  };
  const rows = new Map<string, { deploy: PresentedDeploy; el: HTMLTableRowElement }>();
  const stageCount = new Map<string, number>();
  const holdOf = new Map<string, string>();
  const rowFor = (dep: PresentedDeploy) =>
    deployRow(dep, { stages: stageCount.get(dep.service), hold: holdOf.get(dep.service) });
  const status = h('div', { class: 'list-status', role: 'status' });
  const { table, body } = deployTable([]);
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Load older deploys');
  const listBox = h('div', { class: 'list-box' }, loading('Loading deploys'));
  const filterBar = h('form', {
    class: 'filters',
    'aria-label': 'Filters',
    onsubmit: (e: Event) => e.preventDefault(),
  });
  const el = h('section', { class: 'page' }, h('h1', null, 'Deploys'), filterBar, status, listBox, more);

  const matches = (x: { service: string; state: string; team?: string | null }): boolean =>
    (!filters.service || x.service === filters.service) &&
    (!filters.state || filters.state.split(',').includes(x.state)) &&
    (!filters.team || x.team === filters.team);

  const addRows = (list: PresentedDeploy[], atTop: boolean) => {
    const fresh: HTMLTableRowElement[] = [];
    for (const dep of list) {
      if (rows.has(dep.id)) continue;
      const row = rowFor(dep);
      rows.set(dep.id, { deploy: dep, el: row });
      fresh.push(row);
    }
    if (atTop) body.prepend(...fresh);
    else body.append(...fresh);
  };

  const ctrl = new AbortController();
  d.add(() => ctrl.abort());
  const load = async (opts: { before?: number } = {}) => {
    const answer = await apiGet<DeployList>(
      `/api/v1/deploys${query({ service: filters.service, state: filters.state, team: filters.team, limit: PAGE_SIZE, before: opts.before })}`,
      { signal: ctrl.signal },
    );
    return answer.deploys;
  };

  // Filters can change faster than the server answers: only the answer to the latest request may draw the list.
  let latest = 0;
  const reload = async () => {
    const mine = ++latest;
    try {
      const list = await load();
      if (d.disposed || mine !== latest) return;
      rows.clear();
      body.replaceChildren();
      addRows(list, false);
      replace(listBox, list.length ? table : emptyNotice('No deploys match these filters.'));
      more.hidden = list.length < PAGE_SIZE;
      status.textContent = `${rows.size} deploys shown`;
    } catch (e) {
      if (!d.disposed && (e as Error).name !== 'AbortError')
        replace(listBox, errorNotice(e, 'Could not load the deploys'));
    }
  };

  more.addEventListener('click', () => {
    const last = [...rows.values()].at(-1)?.deploy;
    if (!last) return;
    more.disabled = true;
    load({ before: last.createdAt }).then(
      (list) => {
        addRows(list, false);
        more.disabled = false;
        more.hidden = list.length < PAGE_SIZE;
        status.textContent = `${rows.size} deploys shown`;
      },
      (e: unknown) => {
        more.disabled = false;
        if ((e as Error).name !== 'AbortError')
          status.replaceChildren(errorNotice(e, 'Could not load older deploys'));
      },
    );
  });

  // New deploys are fetched again (an event carries no creation time or team); known rows are patched in place.
  let refetch: ReturnType<typeof setTimeout> | undefined;
  d.add(() => clearTimeout(refetch));
  const scheduleReload = () => {
    clearTimeout(refetch);
    refetch = setTimeout(() => void reload(), 300);
  };
  const onEvent = (e: StoredEvent) => {
    const ev = e.event;
    if (!('deploy' in ev)) return;
    const known = rows.get(ev.deploy.id);
    if (!known) {
      if (
        matches({
          service: ev.deploy.service,
          state: ev.deploy.state,
          team: teamOf.get(ev.deploy.service) ?? null,
        })
      )
        scheduleReload();
      return;
    }
    const reason = 'reason' in ev && typeof ev.reason === 'string' ? ev.reason : known.deploy.reason;
    const next: PresentedDeploy = {
      ...known.deploy,
      state: ev.deploy.state,
      stage: ev.deploy.stage,
      stageIndex: ev.deploy.stageIndex,
      traffic: ev.deploy.traffic,
      changes: ev.deploy.changes,
      reason,
      ...(['promoted', 'rolled_back', 'aborted', 'failed', 'superseded'].includes(ev.deploy.state)
        ? { endedAt: known.deploy.endedAt ?? e.at }
        : {}),
      ...(ev.type === 'deploy:started' ? { startedAt: e.at } : {}),
    };
    if (!matches(next)) {
      known.el.remove();
      rows.delete(next.id);
      return;
    }
    const row = rowFor(next);
    known.el.replaceWith(row);
    rows.set(next.id, { deploy: next, el: row });
  };
  d.add(liveEvents.subscribe(onEvent));
  d.add(liveEvents.onStatus((s, resumed) => resumed && s === 'live' && scheduleReload()));

  const teamOf = new Map<string, string | null>();
  const setFilter = (key: keyof typeof filters, value: string) => {
    filters[key] = value;
    navigate(`/${query(filters)}`, true);
    void reload();
  };
  const select = (key: keyof typeof filters, label: string, options: Array<[string, string]>) =>
    h(
      'label',
      { class: 'filter' },
      `${label} `,
      h(
        'select',
        { name: key, onchange: (e: Event) => setFilter(key, (e.target as HTMLSelectElement).value) },
        h('option', { value: '' }, 'all'),
        options.map(([v, text]) => h('option', { value: v, selected: v === filters[key] }, text)),
      ),
    );

  // The deploys and the services (filter options, stage counts, holds) at once; rows already shown are drawn again
  // when the services arrive.
  void reload();
  void (async () => {
    try {
      const { services } = await apiGet<ServiceList>('/api/v1/services', { signal: ctrl.signal });
      for (const s of services) {
        stageCount.set(s.name, s.stages.length);
        teamOf.set(s.name, s.team);
        if (s.hold) holdOf.set(s.name, s.hold.reason);
      }
      for (const [id, row] of rows) {
        const fresh = rowFor(row.deploy);
        row.el.replaceWith(fresh);
        rows.set(id, { deploy: row.deploy, el: fresh });
      }
      const teams = [...new Set(services.map((s) => s.team).filter((t): t is string => !!t))].sort();
      replace(
        filterBar,
        select(
          'service',
          'Service',
          services.map((s) => [s.name, s.name]),
        ),
        select('state', 'Status', [
          ...STATE_GROUPS,
          ...ALL_STATES.map((s): [string, string] => [s, stateLabel(s)]),
        ]),
        select(
          'team',
          'Team',
          teams.map((t) => [t, t]),
        ),
      );
    } catch (e) {
      if ((e as Error).name !== 'AbortError')
        replace(filterBar, errorNotice(e, 'Could not load the services'));
    }
  })();

  return { el, title: 'Deploys', dispose: () => d.dispose() };
}
