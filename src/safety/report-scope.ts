/** Which services a report covers: the `service` and `team` filters and the caller's token limits together. */
export interface ReportScope {
  service?: string | undefined;
  team?: string | undefined;
  /** Services the caller may see; undefined = all. */
  visible?: ReadonlySet<string> | undefined;
  /** Team of each service, from the configuration (null or absent = none). */
  teamOf: Readonly<Record<string, string | null | undefined>>;
}

export const NO_TEAM = '(none)';

export function inScope(scope: ReportScope, service: string): boolean {
  if (scope.service !== undefined && service !== scope.service) return false;
  if (scope.team !== undefined && scope.teamOf[service] !== scope.team) return false;
  return !scope.visible || scope.visible.has(service);
}

/**
 * The share of an incident that falls in scope: its hours are split evenly over its services, so per-service and
 * per-team breakdowns add up to the total. 0 when none of its services is in scope.
 */
export function scopeShare(scope: ReportScope, services: readonly string[]): number {
  if (!services.length) return 0;
  return services.filter((s) => inScope(scope, s)).length / services.length;
}

export const teamName = (scope: ReportScope, service: string): string => scope.teamOf[service] ?? NO_TEAM;
