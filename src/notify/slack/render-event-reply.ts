import type { StoredEvent } from '../../events/lifecycle-event.js';
import { actionWords, evidenceFields, formatNumber } from '../format-evidence.js';
import { oneLine } from '../one-line.js';
import { clip, mrkdwn, type Block, type SlackMessage } from './block-kit.js';
import { authorMarkup, escapeMrkdwn } from './slack-mrkdwn.js';

/**
 * A deploy event as a message for its thread (or, for incoming webhooks, on its own). Null for events the deploy
 * message already shows (queued, started). Text is the plain fallback; blocks carry the evidence.
 */
export function renderEventReply(stored: StoredEvent, users?: Record<string, string>): SlackMessage | null {
  const e = stored.event;
  const actor = escapeMrkdwn(stored.actor);
  const r = (reason: string): string => escapeMrkdwn(oneLine(reason, 500));
  switch (e.type) {
    case 'deploy:queued':
    case 'deploy:started':
    case 'hold:set':
    case 'hold:released':
      return null;
    case 'deploy:superseded':
      return simple(`:fast_forward: *Superseded* by ${escapeMrkdwn(e.by)}`);
    case 'stage:advanced':
      return simple(
        `:arrow_up: *Advanced* to *${escapeMrkdwn(e.to)}*: ${formatNumber(e.traffic)}% of traffic on ${escapeMrkdwn(e.deploy.version)}`,
      );
    case 'check:breached': {
      const head = `:rotating_light: *${escapeMrkdwn(e.check.name)} breached* → ${actionWords(e.check, e.decision)}`;
      const fields = evidenceFields(e.check, e.decision).map(([k, v]) =>
        mrkdwn(`*${k}*\n${escapeMrkdwn(v)}`),
      );
      const blocks: Block[] = [{ type: 'section', text: mrkdwn(`${head}\n${r(e.check.reason)}`) }];
      // A section holds at most ten fields.
      for (let i = 0; i < fields.length; i += 10)
        blocks.push({ type: 'section', fields: fields.slice(i, i + 10) });
      const authors = [...new Set(e.deploy.changes.map((c) => c.author).filter((a): a is string => !!a))];
      if (authors.length) {
        blocks.push({
          type: 'context',
          elements: [mrkdwn(`Changes by ${authors.map((a) => authorMarkup(a, users)).join(', ')}`)],
        });
      }
      return {
        text: clip(
          `${escapeMrkdwn(e.check.name)} breached: ${r(e.check.reason)} → ${actionWords(e.check, e.decision)}`,
          3000,
        ),
        blocks,
      };
    }
    case 'check:no_data': {
      const names = e.checks.map((c) => escapeMrkdwn(c.name)).join(', ');
      const notes = e.checks.map(
        (c) => `• ${escapeMrkdwn(c.name)}: ${r(c.reason || c.evidence.note || 'no samples')}`,
      );
      return simple(
        `:grey_question: *Metrics missing* for ${names}; missing data is never read as a pass\n${notes.join('\n')}`,
      );
    }
    case 'deploy:paused':
      return simple(`:double_vertical_bar: *Paused* (${e.kind}) by ${actor}: ${r(e.reason)}`);
    case 'deploy:resumed':
      return simple(`:arrow_forward: *Resumed* by ${actor}: ${r(e.reason)}`);
    case 'deploy:rolling_back':
      return simple(`:rewind: *Rolling back* (${e.automatic ? 'automatic' : `by ${actor}`}): ${r(e.reason)}`);
    case 'deploy:rolled_back':
      return simple(
        `:leftwards_arrow_with_hook: *Rolled back* to ${escapeMrkdwn(e.deploy.previousVersion ?? 'the previous version')}: ${r(e.reason)}`,
      );
    case 'deploy:promoted':
      return simple(
        e.skipped
          ? `:white_check_mark: *Promoted* without analysis: ${r(e.reason)}`
          : `:white_check_mark: *Promoted*: ${escapeMrkdwn(e.deploy.version)} takes all traffic`,
      );
    case 'deploy:aborted':
      return simple(`:no_entry_sign: *Aborted* by ${actor}: ${r(e.reason)}`);
    case 'deploy:failed':
      return withOutput(`:x: *Failed*: ${r(e.reason)}`, e.output);
    case 'deployer:failed':
      return withOutput(`:warning: *Deployer failed* (${escapeMrkdwn(e.action)})`, e.output);
    case 'gate:failed':
      return withOutput(`:warning: *Gate failed* for stage *${escapeMrkdwn(e.stage)}*`, e.output);
  }
}

function simple(text: string): SlackMessage {
  return { text: clip(plainOf(text), 3000), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** Deployer and gate output go in a code block, the tail kept: the error is usually at the end. */
function withOutput(head: string, output: string | undefined): SlackMessage {
  const msg = simple(head);
  const out = (output ?? '').trim();
  if (out) {
    const tail = out.length > 1500 ? `…${out.slice(-1500)}` : out;
    msg.blocks.push({
      type: 'section',
      text: mrkdwn('```' + escapeMrkdwn(tail.replace(/```/g, "'''")) + '```'),
    });
  }
  return msg;
}

/** The fallback text (still mrkdwn, so still escaped) without the emoji code and bold markers. */
function plainOf(text: string): string {
  return text
    .split('\n')[0]
    .replace(/^:[a-z_]+: /, '')
    .replace(/\*/g, '');
}
