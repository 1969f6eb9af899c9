import type { StoredEvent } from '../../events/lifecycle-event.js';
import { oneLine } from '../one-line.js';
import { clip, mrkdwn, type SlackMessage } from './block-kit.js';
import { channelMarkup, escapeMrkdwn, link, mentionMarkup } from './slack-mrkdwn.js';

export interface SlackAlert {
  /**
   * Dedup key within the notifier. Rolling back and rolled back share one, so a rollback alerts once whichever
   * event arrives (the first carries the reason); each pause alerts on its own.
   */
  key: string;
  message: SlackMessage;
}

/** The loud post for the owning team's alert channel: pauses, rollbacks and failures, mentioning the team. */
export function renderSlackAlert(
  stored: StoredEvent,
  opts: { mention: string | null; deployChannel: string | null; deployUrl: string | null },
): SlackAlert | null {
  const e = stored.event;
  let key: string;
  let what: string;
  switch (e.type) {
    case 'deploy:paused':
      key = `alert:${e.deploy.id}:paused:${stored.seq}`;
      what = `paused (${e.kind})`;
      break;
    case 'deploy:rolling_back':
    case 'deploy:rolled_back':
      key = `alert:${e.deploy.id}:rollback`;
      what = e.type === 'deploy:rolling_back' ? 'is rolling back' : 'was rolled back';
      break;
    case 'deploy:failed':
      key = `alert:${e.deploy.id}:failed`;
      what = 'failed';
      break;
    default:
      return null;
  }
  const d = e.deploy;
  const who = opts.mention ? `${mentionMarkup(opts.mention)} ` : '';
  const title = `${escapeMrkdwn(d.service)} ${escapeMrkdwn(d.version)} ${what}`;
  const reason = escapeMrkdwn(oneLine(e.reason, 500));
  const where = [
    opts.deployUrl ? link(opts.deployUrl, `Open deploy ${d.id}`) : `Deploy ${escapeMrkdwn(d.id)}`,
    ...(opts.deployChannel ? [`thread in ${channelMarkup(opts.deployChannel)}`] : []),
    `stage ${escapeMrkdwn(d.stage ?? '–')}, ${d.traffic}% traffic`,
  ];
  return {
    key,
    message: {
      text: clip(`${who}${title}: ${reason}`, 3000),
      blocks: [
        { type: 'section', text: mrkdwn(`${who}:rotating_light: *${title}*: ${reason}`) },
        { type: 'context', elements: [mrkdwn(where.join(' · '))] },
      ],
    },
  };
}
