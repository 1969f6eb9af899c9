import { apiGet } from '../api-client.js';
import type { DeployCharts, DeployDetailsAnswer, DeploySeries, PresentedDeploy } from '../api-types.js';
import { auditTrail } from '../components/audit-trail.js';
import { changesList } from '../components/changes-list.js';
import { checkChart } from '../components/check-chart.js';
import { decisionSentence, resultLine } from '../components/decision-text.js';
import { deployControls, operationsFor } from '../components/deploy-controls.js';
import { evaluationsTable } from '../components/evaluations-table.js';
import { errorNotice, loading } from '../components/notice.js';
import { stageTimeline } from '../components/stage-timeline.js';
import { stateBadge, trafficBar } from '../components/state-badge.js';
import { h, replace } from '../dom.js';
import { formatTime, isoTime } from '../format.js';
import { liveEvents } from '../live-events.js';
import { Disposer, type Page } from '../page.js';
import type { Route } from '../router.js';
import { session } from '../session.js';

/** Evaluations are stored without events: a running deploy's charts are reloaded this often. */
const POLL_MS = 20_000;

/**
 * Page 2: one deploy. The decision in a sentence with its numbers, the controls, the stage timeline, a chart per
 * check (series, band, thresholds, breaches, decisions), the changes and the audit trail. Reloads on the deploy's
 * events and, while it runs, every 20 s.
 */
export function deployPage(route: Route): Page {
  const id = route.params.id;
  const d = new Disposer();
  const body = h('div', { class: 'deploy-body' }, loading('Loading the deploy'));
  const el = h('section', { class: 'page deploy', 'data-deploy-id': id }, body);
  let charts = new Disposer();
  d.add(() => charts.dispose());
  let config: DeployCharts['service'] | null = null;
  let title = 'Deploy';

  // The controls survive reloads while the deploy's state stays the same, so that a reload caused by an event or the
  // poll does not wipe a confirmation the user is typing a reason into.
  let controls: { key: string; el: HTMLElement | null } | null = null;
  const controlsFor = (dep: PresentedDeploy, show: boolean, active: boolean): HTMLElement | null => {
    const key = `${dep.state}:${show}:${session.who?.name ?? ''}`;
    if (controls?.key === key) return controls.el;
    const hint = session.signedIn
      ? 'Your token lacks the deploy scope for this service.'
      : 'Sign in with a deploy-scope token to pause, resume, roll back or promote.';
    const el = show
      ? deployControls(dep, () => {
          // The answer is in; the events that follow reload the page too.
          void reload();
        })
      : active
        ? h('p', { class: 'muted controls-hint' }, hint)
        : null;
    controls = { key, el };
    return el;
  };

  const render = (details: DeployDetailsAnswer, series: DeploySeries[]) => {
    charts.dispose();
    charts = new Disposer();
    const dep = details.deploy;
    title = `${dep.service} ${dep.version}`;
    document.title = `${title} · releasebot`;
    const decision = decisionSentence(details);
    const canAct = session.canDeploy(dep.service, dep.team);
    const active = operationsFor(dep.state).length > 0;
    const checkSections = (config?.checks ?? []).map((check, i) => {
      const s = series[i];
      const latest = [...details.evaluations]
        .reverse()
        .find((e) => e.results.some((r) => r.name === check.name));
      const result = latest?.results.find((r) => r.name === check.name);
      const section = h(
        'section',
        { class: 'check', 'data-check': check.name },
        h(
          'h3',
          null,
          check.name,
          h(
            'span',
            { class: 'muted' },
            ` · ${check.action} when ${check.direction === 'down' ? 'lower' : check.direction === 'both' ? 'different' : 'higher'}`,
          ),
          result ? h('span', { class: `badge verdict-${result.verdict}` }, result.verdict) : null,
        ),
        result ? h('p', { class: 'check-reason' }, resultLine(result)) : null,
      );
      if (!s) return section;
      const chart = checkChart(s);
      charts.add(chart.dispose);
      section.append(chart.el);
      for (const p of s.problems)
        section.append(h('div', { class: 'notice warn' }, `${p.cohort}: ${p.message}`));
      section.append(
        h('p', { class: 'chart-help' }, chartHelp(s)),
        evaluationsTable(s.evaluations, s.check.unit),
      );
      return section;
    });
    replace(
      body,
      h(
        'nav',
        { class: 'crumbs' },
        h('a', { href: '/' }, 'Deploys'),
        ' › ',
        h('a', { href: `/services/${encodeURIComponent(dep.service)}` }, dep.service),
        ' › ',
        dep.version,
      ),
      h(
        'h1',
        null,
        `${dep.service} `,
        h('span', { class: 'version' }, dep.version),
        ' ',
        stateBadge(dep.state),
      ),
      h(
        'p',
        { class: 'meta' },
        dep.previousVersion ? `replacing ${dep.previousVersion} · ` : '',
        `triggered by ${dep.trigger.actor} (${dep.trigger.kind}) · `,
        h('span', { title: isoTime(dep.createdAt) }, `created ${formatTime(dep.createdAt)}`),
        dep.startedAt !== null
          ? h('span', { title: isoTime(dep.startedAt) }, ` · started ${formatTime(dep.startedAt)}`)
          : null,
        dep.endedAt !== null
          ? h('span', { title: isoTime(dep.endedAt) }, ` · ended ${formatTime(dep.endedAt)}`)
          : null,
        ' · ',
        trafficBar(dep.traffic),
      ),
      h(
        'div',
        { class: `decision decision-${dep.state}`, id: 'decision' },
        h('p', { class: 'headline' }, decision.headline),
        decision.sentence ? h('p', { class: 'sentence' }, decision.sentence) : null,
        decision.details.length
          ? h(
              'ul',
              null,
              decision.details.map((x) => h('li', null, x)),
            )
          : null,
      ),
      controlsFor(dep, canAct && active, active),
      h('h2', null, 'Stages'),
      config ? stageTimeline(details, config.stages) : null,
      h('h2', null, 'Checks'),
      checkSections.length ? checkSections : h('p', { class: 'muted' }, 'This service has no checks.'),
      h('h2', null, 'Changes'),
      changesList(dep.changes),
      h('h2', null, 'Audit trail'),
      auditTrail(details.events),
    );
  };

  const ctrl = new AbortController();
  d.add(() => ctrl.abort());
  let loadingNow = false;
  let again = false;
  const reload = async (): Promise<void> => {
    if (loadingNow) {
      again = true;
      return;
    }
    loadingNow = true;
    try {
      // The deploy and every check's chart at once: two requests in parallel, whatever the number of checks.
      const [details, answer] = await Promise.all([
        apiGet<DeployDetailsAnswer>(`/api/v1/deploys/${encodeURIComponent(id)}`, { signal: ctrl.signal }),
        apiGet<DeployCharts>(`/api/v1/deploys/${encodeURIComponent(id)}/charts`, { signal: ctrl.signal }),
      ]);
      config = answer.service;
      if (d.disposed) return;
      const y = window.scrollY;
      render(details, answer.charts);
      window.scrollTo(0, y);
      schedulePoll(details.deploy);
    } catch (e) {
      if (!d.disposed && (e as Error).name !== 'AbortError')
        replace(body, errorNotice(e, 'Could not load the deploy'));
    } finally {
      loadingNow = false;
      if (again && !d.disposed) {
        again = false;
        void reload();
      }
    }
  };

  let poll: ReturnType<typeof setTimeout> | undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  d.add(() => {
    clearTimeout(poll);
    clearTimeout(debounce);
  });
  const schedulePoll = (dep: PresentedDeploy) => {
    clearTimeout(poll);
    if (dep.endedAt === null) poll = setTimeout(() => void reload(), POLL_MS);
  };
  d.add(
    liveEvents.subscribe((e) => {
      if (e.deployId !== id) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void reload(), 250);
    }),
  );
  d.add(liveEvents.onStatus((s, resumed) => resumed && s === 'live' && void reload()));
  void reload();
  return {
    el,
    get title() {
      return title;
    },
    dispose: () => d.dispose(),
  };
}

function chartHelp(s: DeploySeries): string {
  const parts = [
    'Lines: the metric for the whole service, and for the new (canary) and old (baseline) versions while both run.',
  ];
  if (s.evaluations.some((e) => e.bandLow !== null))
    parts.push('The shaded band is the usual range before the deploy (mean ± z-limit × spread).');
  parts.push(
    'Dashed lines are the thresholds at each evaluation; red dots mark breaches, the black dot the evaluation that decided; vertical lines mark stage changes and the outcome.',
  );
  return parts.join(' ');
}
