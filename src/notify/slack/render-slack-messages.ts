import type { SlackNotifierConfig } from '../../config/notifier-schema.js';
import { atLeast } from '../event-severity.js';
import { oneLine } from '../one-line.js';
import type { RenderContext, RenderedMessage } from '../rendered-message.js';
import { mrkdwn, type SlackMessage } from './block-kit.js';
import { renderDeployMessage } from './render-deploy-message.js';
import { renderEventReply } from './render-event-reply.js';
import { renderSlackAlert } from './render-slack-alert.js';
import { escapeMrkdwn, mentionMarkup } from './slack-mrkdwn.js';
import type { SlackPayload } from './slack-payload.js';

/**
 * What the Slack bot sends for one event: the deploy message (posted once, then updated), a thread reply, and for
 * pauses and rollbacks a post in the alert channel mentioning the team. Without an alert channel the mention goes
 * into the thread reply, broadcast to the channel. The deploy message is kept current whatever `minSeverity` says.
 */
export function renderSlackMessages(ctx: RenderContext, cfg: SlackNotifierConfig): RenderedMessage[] {
  const { stored, route, severity, deployUrl } = ctx;
  const e = stored.event;
  const channel = route.channel ?? cfg.channel ?? null;
  const loudEnough = atLeast(severity, cfg.minSeverity);
  const out: Array<{ key: string; payload: SlackPayload }> = [];

  if (e.type === 'hold:set' || e.type === 'hold:released') {
    if (channel && loudEnough)
      out.push({
        key: `${stored.seq}:hold`,
        payload: { kind: 'slack.post', channel, message: holdMessage(ctx) },
      });
    return out;
  }

  const alertChannel = route.alertChannel ?? cfg.alertChannel ?? null;
  const alert = renderSlackAlert(stored, { mention: route.mention, deployChannel: channel, deployUrl });
  if (channel) {
    out.push({
      key: `${stored.seq}:deploy`,
      payload: {
        kind: 'slack.deploy',
        deployId: e.deploy.id,
        channel,
        message: renderDeployMessage({ event: e, route, deployUrl, users: cfg.users }),
      },
    });
    const reply = renderEventReply(stored, cfg.users);
    if (reply && loudEnough) {
      if (alert && !alertChannel && route.mention) addMention(reply, route.mention);
      out.push({
        key: `${stored.seq}:reply`,
        payload: {
          kind: 'slack.reply',
          deployId: e.deploy.id,
          channel,
          message: reply,
          broadcast: severity === 'critical',
        },
      });
    }
  }
  if (alert && alertChannel && loudEnough) {
    out.push({
      key: alert.key,
      payload: { kind: 'slack.post', channel: alertChannel, message: alert.message },
    });
  }
  return out;
}

function addMention(message: SlackMessage, mention: string): void {
  const m = mentionMarkup(mention);
  message.text = `${m} ${message.text}`;
  const first = message.blocks[0];
  if (first?.type === 'section' && first.text) first.text = mrkdwn(`${m} ${first.text.text}`);
  else message.blocks.unshift({ type: 'section', text: mrkdwn(m) });
}

function holdMessage({ stored }: RenderContext): SlackMessage {
  const e = stored.event;
  if (e.type !== 'hold:set' && e.type !== 'hold:released') throw new Error('not a hold event');
  const on = e.hold.scope === 'all' ? 'all deploys' : `${e.hold.scope} ${e.hold.target ?? ''}`.trim();
  const verb = e.type === 'hold:set' ? ':no_entry: *Hold set* on' : ':large_green_circle: *Hold released* on';
  const text = `${verb} ${escapeMrkdwn(on)} by ${escapeMrkdwn(stored.actor)}: ${escapeMrkdwn(oneLine(e.hold.reason, 500))}`;
  return {
    text: text.replace(/^:[a-z_]+: /, '').replace(/\*/g, ''),
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}
