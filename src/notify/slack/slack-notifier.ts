import { createHash } from 'node:crypto';
import { WebClient, type FetchFunction } from '@slack/web-api';
import type { SlackNotifierConfig } from '../../config/notifier-schema.js';
import type { Logger } from '../../logging/logger.js';
import type { KvRepo } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';
import {
  HTTP_TIMEOUT_MS,
  outcomeOfFetchError,
  outcomeOfResponse,
  scrubber,
  type FetchLike,
} from '../http-outcome.js';
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../notifier.js';
import type { SlackMessage } from './block-kit.js';
import { classifySlackError, platformError } from './classify-slack-error.js';
import { slackLogAdapter } from './slack-log-adapter.js';
import {
  SLACK_MESSAGE_NS,
  slackMessageKey,
  type SlackMessageRef,
  type SlackPayload,
} from './slack-payload.js';

export interface SlackNotifierDeps {
  kv: KvRepo;
  clock: Clock;
  logger: Logger;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Update errors after which the deploy message is posted anew (it was deleted, or is too old to edit). */
const REPOST_ON = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Slack through the official WebClient and a bot token: one message per deploy, posted once and then updated in
 * place (its channel and ts kept in `store.kv`), events as replies in its thread, alerts as posts. The client's own
 * retries are off and 429 is thrown at once, so the pump owns retries, order and Retry-After.
 */
export class SlackNotifier implements Notifier {
  readonly client: WebClient;
  private readonly scrub: (s: string) => string;

  constructor(
    readonly name: string,
    private readonly cfg: SlackNotifierConfig,
    private readonly deps: SlackNotifierDeps,
  ) {
    this.scrub = scrubber([cfg.token, cfg.signingSecret]);
    this.client = new WebClient(cfg.token, {
      ...(cfg.apiUrl ? { slackApiUrl: cfg.apiUrl.endsWith('/') ? cfg.apiUrl : `${cfg.apiUrl}/` } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: deps.timeoutMs ?? HTTP_TIMEOUT_MS,
      ...(deps.fetch ? { fetch: deps.fetch as unknown as FetchFunction } : {}),
      logger: slackLogAdapter(deps.logger),
    });
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const p = message.payload as SlackPayload;
    try {
      switch (p?.kind) {
        case 'slack.deploy':
          return await this.upsertDeployMessage(p.deployId, p.channel, p.message);
        case 'slack.reply':
          return await this.reply(p.deployId, p.channel, p.message, p.broadcast);
        case 'slack.post':
          await this.post(p.channel, p.message);
          return { status: 'delivered' };
        case 'slack.respond':
          return await this.respond(p.responseUrl, p.body);
        default:
          return {
            status: 'failed',
            error: `not a Slack payload: ${String((p as { kind?: unknown })?.kind)}`,
          };
      }
    } catch (err) {
      return classifySlackError(err, this.scrub);
    }
  }

  /** Where this notifier posted a deploy's message, if it did. */
  messageRef(deployId: string): Promise<SlackMessageRef | null> {
    return this.deps.kv.get<SlackMessageRef>(SLACK_MESSAGE_NS, slackMessageKey(this.name, deployId));
  }

  private async upsertDeployMessage(
    deployId: string,
    channel: string,
    message: SlackMessage,
  ): Promise<DeliveryOutcome> {
    const key = slackMessageKey(this.name, deployId);
    const digest = createHash('sha256').update(JSON.stringify(message)).digest('hex').slice(0, 16);
    const ref = await this.messageRef(deployId);
    if (ref) {
      if (ref.digest === digest) return { status: 'delivered', note: 'unchanged' };
      try {
        await this.client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          text: message.text,
          blocks: message.blocks,
        });
        await this.deps.kv.set(SLACK_MESSAGE_NS, key, { ...ref, digest });
        return { status: 'delivered', note: `updated ${ref.ts}` };
      } catch (err) {
        if (!REPOST_ON.has(platformError(err) ?? '')) throw err;
      }
    }
    const res = await this.post(channel, message);
    // Kept before the pump marks the item delivered: a crash in between re-posts at worst, never loses the thread.
    await this.deps.kv.set(SLACK_MESSAGE_NS, key, {
      channel: res.channel,
      ts: res.ts,
      digest,
    } satisfies SlackMessageRef);
    return { status: 'delivered', note: `posted ${res.ts}` };
  }

  private async reply(
    deployId: string,
    channel: string,
    message: SlackMessage,
    broadcast: boolean,
  ): Promise<DeliveryOutcome> {
    const ref = await this.messageRef(deployId);
    if (!ref) {
      // The deploy message was never posted (given up, or events from before this notifier existed).
      await this.post(channel, message);
      return { status: 'delivered', note: 'no deploy message; posted on its own' };
    }
    await this.post(ref.channel, message, { ts: ref.ts, broadcast });
    return { status: 'delivered' };
  }

  private async post(
    channel: string,
    message: SlackMessage,
    thread?: { ts: string; broadcast: boolean },
  ): Promise<{ channel: string; ts: string }> {
    const base = {
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    };
    const res = await this.client.chat.postMessage(
      thread ? { ...base, thread_ts: thread.ts, reply_broadcast: thread.broadcast } : base,
    );
    if (!res.ts || !res.channel) throw new Error('Slack accepted the message but returned no channel or ts');
    return { channel: res.channel, ts: res.ts };
  }

  /** Interaction answers go to the response_url Slack gave; only to Slack's own hosts (or the configured API's). */
  private async respond(url: string, body: Record<string, unknown>): Promise<DeliveryOutcome> {
    const allowed = new URL(this.cfg.apiUrl ?? 'https://slack.com/api/').origin;
    const origin = new URL(url).origin;
    if (origin !== 'https://hooks.slack.com' && origin !== allowed) {
      return { status: 'failed', error: `refusing response_url outside Slack: ${origin}` };
    }
    const fetchFn = this.deps.fetch ?? fetch;
    try {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? HTTP_TIMEOUT_MS),
      });
      return await outcomeOfResponse(res, this.deps.clock.now(), this.scrub);
    } catch (err) {
      return outcomeOfFetchError(err, this.scrub);
    }
  }
}
