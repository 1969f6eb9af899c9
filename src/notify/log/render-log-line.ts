import type { LogNotifierConfig } from '../../config/notifier-schema.js';
import { atLeast } from '../event-severity.js';
import type { RenderContext, RenderedMessage } from '../rendered-message.js';
import { renderEventLine } from './render-event-line.js';

/** Payload of the log notifier: the line, rendered when the event was routed, and what the log gets with it. */
export interface LogPayload {
  kind: 'log.line';
  line: string;
  type: string;
  severity: string;
  service: string | null;
  deployId: string | null;
}

export function renderLogLine(
  ctx: RenderContext,
  cfg: LogNotifierConfig,
  timeZone?: string,
): RenderedMessage[] {
  if (!atLeast(ctx.severity, cfg.minSeverity)) return [];
  const payload: LogPayload = {
    kind: 'log.line',
    line: renderEventLine(ctx.stored, { timeZone }),
    type: ctx.stored.event.type,
    severity: ctx.severity,
    service: ctx.route.service,
    deployId: ctx.stored.deployId,
  };
  return [{ key: `${ctx.stored.seq}:line`, payload }];
}
