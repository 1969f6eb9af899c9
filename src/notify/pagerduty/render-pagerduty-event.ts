import { oneLine } from '../one-line.js';
import type { RenderContext, RenderedMessage } from '../rendered-message.js';

/** A PagerDuty Events API v2 event without its routing key (added at delivery, so it is never stored). */
export interface PagerDutyPayload {
  kind: 'pagerduty.event';
  service: string;
  /** When the event happened (engine clock), ms: a trigger older than the last resolve is stale. */
  at: number;
  event: {
    event_action: 'trigger' | 'resolve';
    dedup_key: string;
    payload?: {
      summary: string;
      source: string;
      severity: 'critical' | 'error' | 'warning' | 'info';
      timestamp: string;
      component: string;
      group?: string;
      class: string;
      custom_details: Record<string, unknown>;
    };
    client?: string;
    client_url?: string;
    links?: Array<{ href: string; text: string }>;
  };
}

/** One incident per service: a later rollback adds to the open one, the next promoted deploy resolves it. */
export const pagerDutyDedupKey = (service: string): string => `releasebot/${service}`;

/**
 * Pages when a key service rolls back (both rollback events map to the same dedup_key, so PagerDuty keeps one
 * alert) and resolves on that service's next promoted deploy. Other services and events never page.
 */
export function renderPagerDutyEvent({ stored, route, deployUrl }: RenderContext): RenderedMessage[] {
  const e = stored.event;
  if (!route.key || !route.service) return [];
  const dedup_key = pagerDutyDedupKey(route.service);
  if (e.type === 'deploy:promoted') {
    const payload: PagerDutyPayload = {
      kind: 'pagerduty.event',
      service: route.service,
      at: stored.at,
      event: { event_action: 'resolve', dedup_key },
    };
    return [{ key: `${stored.seq}:resolve`, payload }];
  }
  if (e.type !== 'deploy:rolling_back' && e.type !== 'deploy:rolled_back') return [];
  const d = e.deploy;
  const what = e.type === 'deploy:rolling_back' ? 'rolling back' : 'rolled back';
  const payload: PagerDutyPayload = {
    kind: 'pagerduty.event',
    service: route.service,
    at: stored.at,
    event: {
      event_action: 'trigger',
      dedup_key,
      payload: {
        summary: `${d.service} ${d.version} ${what}: ${oneLine(e.reason, 900)}`,
        source: 'releasebot',
        severity: 'critical',
        timestamp: new Date(stored.at).toISOString(),
        component: d.service,
        ...(route.team ? { group: route.team } : {}),
        class: 'deploy rollback',
        custom_details: {
          deployId: d.id,
          version: d.version,
          previousVersion: d.previousVersion,
          state: d.state,
          stage: d.stage,
          traffic: d.traffic,
          reason: e.reason,
          automatic: e.automatic,
          actor: stored.actor,
          changes: d.changes.map((c) => [c.id, c.title, c.author].filter(Boolean).join(' ')),
        },
      },
      client: 'releasebot',
      ...(deployUrl ? { client_url: deployUrl, links: [{ href: deployUrl, text: `Deploy ${d.id}` }] } : {}),
    },
  };
  return [{ key: `${stored.seq}:trigger`, payload }];
}
