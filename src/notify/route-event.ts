import type { NotifierConfig } from '../config/notifier-schema.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import { eventSeverity } from './event-severity.js';
import { renderLogLine } from './log/render-log-line.js';
import type { Delivery } from './notifier.js';
import { renderPagerDutyEvent } from './pagerduty/render-pagerduty-event.js';
import type { RenderContext, RenderedMessage } from './rendered-message.js';
import { admits, deployUrl, serviceRoute } from './service-route.js';
import { renderSlackMessages } from './slack/render-slack-messages.js';
import { renderSlackWebhookMessages } from './slack/render-slack-webhook-messages.js';
import { renderWebhookEvent } from './webhook/render-webhook-event.js';

/** The notifier used when `notifiers:` is empty: events go to the log and the terminal. */
export const DEFAULT_NOTIFIERS: Readonly<Record<string, NotifierConfig>> = Object.freeze({
  log: { type: 'log' },
});

/** The configured notifiers, or the log notifier when none is. */
export function effectiveNotifiers(config: ResolvedConfig): Readonly<Record<string, NotifierConfig>> {
  return Object.keys(config.notifiers).length ? config.notifiers : DEFAULT_NOTIFIERS;
}

export interface RouteOptions {
  /** Time zone of the log notifier's clock times; unset = local. */
  timeZone?: string;
}

/**
 * Which notifiers hear about an event and what each sends: the service's owner team and destinations decide
 * where, the event's severity how loud. Pure: the same event and config always give the same deliveries with the
 * same dedup keys (`<notifier>:<seq>:<part>`), so replaying the event log enqueues nothing twice.
 */
export function routeEvent(stored: StoredEvent, config: ResolvedConfig, opts: RouteOptions = {}): Delivery[] {
  const route = serviceRoute(stored, config);
  const e = stored.event;
  const deployId = stored.deployId ?? ('deploy' in e ? e.deploy.id : null);
  const ctx: RenderContext = {
    stored,
    route,
    severity: eventSeverity(stored.event),
    deployUrl: deployId ? deployUrl(config, deployId) : null,
    config,
  };
  const out: Delivery[] = [];
  for (const [name, cfg] of Object.entries(effectiveNotifiers(config))) {
    if (!admits(cfg, route)) continue;
    for (const r of render(ctx, cfg, opts)) {
      out.push({ notifier: name, dedupKey: `${name}:${r.key}`, deployId, payload: r.payload });
    }
  }
  return out;
}

function render(ctx: RenderContext, cfg: NotifierConfig, opts: RouteOptions): RenderedMessage[] {
  switch (cfg.type) {
    case 'slack':
      return renderSlackMessages(ctx, cfg);
    case 'slack-webhook':
      return renderSlackWebhookMessages(ctx, cfg);
    case 'webhook':
      return renderWebhookEvent(ctx, cfg);
    case 'pagerduty':
      return renderPagerDutyEvent(ctx);
    case 'log':
      return renderLogLine(ctx, cfg, opts.timeZone);
  }
}
