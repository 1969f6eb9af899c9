import type { WebhookNotifierConfig } from '../../config/notifier-schema.js';
import { atLeast } from '../event-severity.js';
import type { RenderContext, RenderedMessage } from '../rendered-message.js';

/**
 * Payload of the generic webhook: the request body, kept as the exact string to send, so every retry sends the same
 * bytes (the signature still covers each attempt's own timestamp).
 */
export interface WebhookPayload {
  kind: 'webhook.event';
  body: string;
}

/** The JSON body receivers get: the stored event as is, with its routing facts alongside. */
export interface WebhookBody {
  /** Schema version of this body. */
  version: 1;
  seq: number;
  at: number;
  type: string;
  severity: string;
  actor: string;
  service: string | null;
  team: string | null;
  deployId: string | null;
  deployUrl: string | null;
  event: unknown;
}

/** Every event (or those in `events:`) at or above `minSeverity`, as JSON. */
export function renderWebhookEvent(ctx: RenderContext, cfg: WebhookNotifierConfig): RenderedMessage[] {
  const { stored, route, severity, deployUrl } = ctx;
  if (cfg.events && !cfg.events.includes(stored.event.type)) return [];
  if (!atLeast(severity, cfg.minSeverity)) return [];
  const body: WebhookBody = {
    version: 1,
    seq: stored.seq,
    at: stored.at,
    type: stored.event.type,
    severity,
    actor: stored.actor,
    service: route.service,
    team: route.team,
    deployId: stored.deployId,
    deployUrl,
    event: stored.event,
  };
  const payload: WebhookPayload = { kind: 'webhook.event', body: JSON.stringify(body) };
  return [{ key: `${stored.seq}:event`, payload }];
}
