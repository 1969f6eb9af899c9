import type { ResolvedConfig } from '../config/resolved-config.js';
import type { StoredEvent } from '../events/lifecycle-event.js';

/** Where an event belongs: its service's owner team and that team's (or the service's own) Slack destinations. */
export interface ServiceRoute {
  /** Null for holds on a team or on everything. */
  service: string | null;
  team: string | null;
  channel: string | null;
  alertChannel: string | null;
  /** Slack user group (S…), user (U…) or `here`/`channel`, mentioned on pauses and rollbacks. */
  mention: string | null;
  /** Key services page (PagerDuty) on rollback. */
  key: boolean;
  stages: Array<{ name: string; traffic: number }>;
}

/** Resolves an event's destinations from the frozen config; an unknown service still routes (no channels). */
export function serviceRoute(stored: StoredEvent, config: ResolvedConfig): ServiceRoute {
  const e = stored.event;
  if (e.type === 'hold:set' || e.type === 'hold:released') {
    if (e.hold.scope === 'team' && e.hold.target) {
      const team = config.teams[e.hold.target];
      return {
        service: null,
        team: e.hold.target,
        channel: team?.channel ?? null,
        alertChannel: team?.alertChannel ?? null,
        mention: team?.mention ?? null,
        key: false,
        stages: [],
      };
    }
    if (e.hold.scope === 'all' || !e.hold.target) return emptyRoute(null);
    return fromService(e.hold.target, config);
  }
  return fromService(stored.service ?? e.deploy.service, config);
}

function fromService(name: string, config: ResolvedConfig): ServiceRoute {
  const svc = config.services[name];
  if (!svc) return emptyRoute(name);
  return {
    service: name,
    team: svc.team ?? null,
    channel: svc.channel ?? null,
    alertChannel: svc.alertChannel ?? null,
    mention: svc.mention ?? null,
    key: svc.key,
    stages: svc.stages.map((s) => ({ name: s.name, traffic: s.traffic })),
  };
}

function emptyRoute(service: string | null): ServiceRoute {
  return { service, team: null, channel: null, alertChannel: null, mention: null, key: false, stages: [] };
}

/** A notifier's `services:` / `teams:` filter: either list admits (both unset admits all). */
export function admits(filter: { services?: string[]; teams?: string[] }, route: ServiceRoute): boolean {
  if (!filter.services && !filter.teams) return true;
  if (route.service && filter.services?.includes(route.service)) return true;
  if (route.team && filter.teams?.includes(route.team)) return true;
  // Holds on everything concern every team.
  return route.service === null && route.team === null;
}

/** The deploy's page on the dashboard, or null when `server.publicUrl` is not set. */
export function deployUrl(config: ResolvedConfig, deployId: string): string | null {
  const base = config.server.publicUrl;
  return base ? `${base.replace(/\/+$/, '')}/deploys/${encodeURIComponent(deployId)}` : null;
}
