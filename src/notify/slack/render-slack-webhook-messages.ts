import type { SlackWebhookNotifierConfig } from '../../config/notifier-schema.js';
import { atLeast } from '../event-severity.js';
import { renderEventLine } from '../log/render-event-line.js';
import type { RenderContext, RenderedMessage } from '../rendered-message.js';
import { mrkdwn, type SlackMessage } from './block-kit.js';
import { renderEventReply } from './render-event-reply.js';
import { renderSlackAlert } from './render-slack-alert.js';
import { escapeMrkdwn, link, mentionMarkup } from './slack-mrkdwn.js';

/** Payload of the incoming-webhook notifier: one top-level message (webhooks cannot update or thread). */
export interface SlackWebhookPayload {
  kind: 'slack-webhook.post';
  message: SlackMessage;
}

/**
 * For teams with only an incoming webhook: one message per event at or above `minSeverity` (default `warning`, as
 * every message lands in the channel itself), naming the deploy and mentioning the team on pauses and rollbacks.
 */
export function renderSlackWebhookMessages(
  ctx: RenderContext,
  cfg: SlackWebhookNotifierConfig,
): RenderedMessage[] {
  const { stored, route, severity, deployUrl } = ctx;
  if (!atLeast(severity, cfg.minSeverity ?? 'warning')) return [];
  const e = stored.event;
  let message: SlackMessage;
  if (e.type === 'hold:set' || e.type === 'hold:released') {
    const line = escapeMrkdwn(renderEventLine(stored, { timeZone: 'UTC' }).replace(/^\d\d:\d\d /, ''));
    message = { text: line, blocks: [{ type: 'section', text: mrkdwn(line) }] };
  } else {
    const head = `*${link(deployUrl, `${e.deploy.service} ${e.deploy.version}`)}*`;
    const reply = renderEventReply(stored, cfg.users) ?? {
      text: `${escapeMrkdwn(e.deploy.service)} ${escapeMrkdwn(e.deploy.version)} ${e.type.replace('deploy:', '')}`,
      blocks: [{ type: 'section', text: mrkdwn(`*${e.type === 'deploy:queued' ? 'Queued' : 'Started'}*`) }],
    };
    const mention =
      route.mention && renderSlackAlert(stored, { mention: null, deployChannel: null, deployUrl })
        ? `${mentionMarkup(route.mention)} `
        : '';
    message = {
      text: `${mention}${escapeMrkdwn(e.deploy.service)} ${escapeMrkdwn(e.deploy.version)}: ${reply.text}`,
      blocks: [{ type: 'section', text: mrkdwn(`${mention}${head}`) }, ...reply.blocks],
    };
  }
  const payload: SlackWebhookPayload = { kind: 'slack-webhook.post', message };
  return [{ key: `${stored.seq}:post`, payload }];
}
