import type { Incident } from './incident.js';
import { impactEndOf } from './incident.js';
import { inScope, scopeShare, teamName, type ReportScope } from './report-scope.js';

const HOUR = 3_600_000;

/** Raw hours, and hours weighted by the exposed traffic share. */
export interface HoursPair {
  raw: number;
  weighted: number;
}

export interface ImpactHours extends HoursPair {
  /** Only the severities that count: high always, medium when selected. */
  bySeverity: { high: HoursPair; medium: HoursPair };
  byService: Record<string, HoursPair>;
  byTeam: Record<string, HoursPair>;
}

export const zeroHours = (): HoursPair => ({ raw: 0, weighted: 0 });
export const emptyImpact = (): ImpactHours => ({
  ...zeroHours(),
  bySeverity: { high: zeroHours(), medium: zeroHours() },
  byService: {},
  byTeam: {},
});

/**
 * The incident's customer-impact hours inside [from, to) and within scope: the overlap of its impact (impactStart to
 * mitigation, else end, else `now`) with the window, times the share of its services in scope; weighted multiplies
 * by exposurePct / 100.
 */
export function incidentHours(
  i: Incident,
  from: number,
  to: number,
  now: number,
  scope: ReportScope,
): HoursPair {
  const overlap = Math.max(0, Math.min(impactEndOf(i, now), to) - Math.max(i.impactStart, from));
  const raw = (overlap / HOUR) * scopeShare(scope, i.services);
  return { raw, weighted: (raw * i.exposurePct) / 100 };
}

const add = (into: HoursPair, h: HoursPair, k = 1) => {
  into.raw += h.raw * k;
  into.weighted += h.weighted * k;
};

/** Adds one counted incident's hours in [from, to) to `acc`, split evenly over its in-scope services. */
export function addImpact(
  acc: ImpactHours,
  i: Incident,
  from: number,
  to: number,
  now: number,
  scope: ReportScope,
): void {
  const h = incidentHours(i, from, to, now, scope);
  if (h.raw === 0 && h.weighted === 0) return;
  add(acc, h);
  if (i.severity === 'high' || i.severity === 'medium') add(acc.bySeverity[i.severity], h);
  const mine = i.services.filter((s) => inScope(scope, s));
  for (const s of mine) add((acc.byService[s] ??= zeroHours()), h, 1 / mine.length);
  for (const s of mine) add((acc.byTeam[teamName(scope, s)] ??= zeroHours()), h, 1 / mine.length);
}
