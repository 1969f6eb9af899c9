import type { ResolvedConfig } from '../config/resolved-config.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { Incident } from './incident.js';
import { checkServices, toTime } from './check-incident.js';
import type { Period } from './report-period.js';
import { reportWindow } from './report-window.js';
import { buildSafetyReport, type SafetyReport } from './safety-report.js';

export interface SafetyReportQuery {
  /** Default: 12 weeks / 12 months / 4 quarters before `to`. Text as parseTimeArg reads it (`12w` = 12 weeks ago). */
  from?: number | string;
  /** Exclusive; default now. */
  to?: number | string;
  period?: Period;
  service?: string;
  team?: string;
  /** Services the caller may see (token limits); undefined = all. */
  visible?: ReadonlySet<string>;
}

export interface SafetyReportDeps {
  store: Pick<Store, 'incidents'>;
  config: Pick<ResolvedConfig, 'services'>;
  clock: Clock;
}

/** Reads what the report needs from the store (incidents in the window, deploys started in it) and builds it. */
export async function loadSafetyReport(deps: SafetyReportDeps, q: SafetyReportQuery): Promise<SafetyReport> {
  const services = Object.values(deps.config.services);
  if (q.service) checkServices([q.service], Object.keys(deps.config.services));
  if (q.team && !services.some((s) => s.team === q.team)) {
    throw new ReleasebotError('REQUEST_INVALID', `no service belongs to team "${q.team}"`);
  }
  const now = deps.clock.now();
  const period = q.period ?? 'week';
  const from = q.from === undefined ? undefined : toTime(q.from, 'from', now);
  const to = q.to === undefined ? undefined : toTime(q.to, 'to', now);
  const window = reportWindow(
    { period, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) },
    now,
  );
  const deploys = await deps.store.incidents.deployFacts(window.from, window.to);
  const overlapping = await deps.store.incidents.list({ ...window, limit: 100_000 });
  // A deploy's incident may lie outside the window (found later); it still makes the deploy bad.
  const linked = deploys.length
    ? await deps.store.incidents.list({ deployIds: deploys.map((d) => d.id), limit: 100_000 })
    : [];
  const incidents = new Map<string, Incident>();
  for (const i of [...overlapping, ...linked]) incidents.set(i.id, i);
  return buildSafetyReport({
    incidents: [...incidents.values()],
    deploys,
    ...window,
    period,
    now,
    scope: {
      service: q.service,
      team: q.team,
      visible: q.visible,
      teamOf: Object.fromEntries(services.map((s) => [s.name, s.team ?? null])),
    },
  });
}
