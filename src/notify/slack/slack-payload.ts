import type { SlackMessage } from './block-kit.js';

/**
 * What the Slack notifier keeps in the outbox: one Slack call each. `deploy` posts the deploy's message or updates
 * it (its ts is in the store); `reply` goes into that message's thread; `post` is a top-level message (alerts,
 * holds); `respond` answers an interaction through its response_url.
 */
export type SlackPayload =
  | { kind: 'slack.deploy'; deployId: string; channel: string; message: SlackMessage }
  | { kind: 'slack.reply'; deployId: string; channel: string; message: SlackMessage; broadcast: boolean }
  | { kind: 'slack.post'; channel: string; message: SlackMessage }
  | {
      kind: 'slack.respond';
      responseUrl: string;
      body: { text: string; response_type: 'ephemeral' | 'in_channel' };
    };

/** Where the deploy's message lives, kept in `store.kv` (namespace `slack-message`, key `<notifier>:<deployId>`). */
export interface SlackMessageRef {
  channel: string;
  ts: string;
  /** Fingerprint of the last rendering, so an update that changes nothing is not sent. */
  digest?: string;
}

export const SLACK_MESSAGE_NS = 'slack-message';
export const slackMessageKey = (notifier: string, deployId: string): string => `${notifier}:${deployId}`;
