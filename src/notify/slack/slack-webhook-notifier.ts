import { ErrorCode, IncomingWebhook, type FetchFunction } from '@slack/webhook';
import type { SlackWebhookNotifierConfig } from '../../config/notifier-schema.js';
import { HTTP_TIMEOUT_MS, scrubber, type FetchLike } from '../http-outcome.js';
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../notifier.js';
import type { SlackWebhookPayload } from './render-slack-webhook-messages.js';

/**
 * Slack through an incoming webhook (`@slack/webhook`), for teams without a bot: plain posts, no updates or
 * threads. The webhook's own retries stay off; the pump retries 5xx, 429 and network failures.
 */
export class SlackWebhookNotifier implements Notifier {
  private readonly webhook: IncomingWebhook;
  private readonly scrub: (s: string) => string;

  constructor(
    readonly name: string,
    cfg: SlackWebhookNotifierConfig,
    deps: { fetch?: FetchLike; timeoutMs?: number } = {},
  ) {
    // The URL is the credential: keep it out of stored errors and logs.
    this.scrub = scrubber([cfg.url, new URL(cfg.url).pathname]);
    this.webhook = new IncomingWebhook(cfg.url, {
      timeout: deps.timeoutMs ?? HTTP_TIMEOUT_MS,
      retryConfig: { retries: 0 },
      ...(deps.fetch ? { fetch: deps.fetch as unknown as FetchFunction } : {}),
    });
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const p = message.payload as SlackWebhookPayload;
    if (p?.kind !== 'slack-webhook.post')
      return { status: 'failed', error: `not a Slack webhook payload: ${String(p?.kind)}` };
    try {
      await this.webhook.send({ text: p.message.text, blocks: p.message.blocks, unfurl_links: false });
      return { status: 'delivered' };
    } catch (err) {
      const e = err as {
        code?: string;
        statusCode?: number;
        body?: string;
        message?: string;
        original?: Error;
      };
      if (e.code === ErrorCode.HTTPError) {
        const status = e.statusCode ?? 0;
        const error = this.scrub(
          `Slack webhook answered HTTP ${status}${e.body ? `: ${e.body.slice(0, 200)}` : ''}`,
        );
        return status >= 500 || status === 429 || status === 408
          ? { status: 'retry', error }
          : { status: 'failed', error };
      }
      return {
        status: 'retry',
        error: this.scrub(
          `cannot reach the Slack webhook: ${e.original?.message ?? e.message ?? String(err)}`,
        ),
      };
    }
  }
}
