import type { WebhookNotifierConfig } from '../../config/notifier-schema.js';
import type { Clock } from '../../time/clock.js';
import {
  HTTP_TIMEOUT_MS,
  outcomeOfFetchError,
  outcomeOfResponse,
  scrubber,
  type FetchLike,
} from '../http-outcome.js';
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../notifier.js';
import type { WebhookPayload } from './render-webhook-event.js';
import { signPayload } from '../../webhooks/webhook-signature.js';

export const WEBHOOK_HEADERS = {
  signature: 'x-releasebot-signature',
  timestamp: 'x-releasebot-timestamp',
  /** The same for every attempt of one message: receivers drop repeats by it. */
  dedupKey: 'x-releasebot-dedup-key',
  event: 'x-releasebot-event',
} as const;

/** POSTs each event as JSON, signed when a secret is set; the pump retries 5xx, 429 and network failures. */
export class WebhookNotifier implements Notifier {
  private readonly scrub: (s: string) => string;

  constructor(
    readonly name: string,
    private readonly cfg: WebhookNotifierConfig,
    private readonly deps: { fetch: FetchLike; clock: Clock; timeoutMs?: number },
  ) {
    // The URL may carry a token of the receiver's (query string): keep it out of stored errors too.
    this.scrub = scrubber([cfg.secret, cfg.url]);
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const p = message.payload as WebhookPayload;
    if (p?.kind !== 'webhook.event')
      return { status: 'failed', error: `not a webhook payload: ${String(p?.kind)}` };
    const timestamp = Math.floor(this.deps.clock.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'releasebot',
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.dedupKey]: message.dedupKey,
      [WEBHOOK_HEADERS.event]: eventType(p.body),
    };
    if (this.cfg.secret)
      headers[WEBHOOK_HEADERS.signature] = signPayload(this.cfg.secret, String(timestamp), p.body);
    try {
      const res = await this.deps.fetch(this.cfg.url, {
        method: 'POST',
        headers,
        body: p.body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? HTTP_TIMEOUT_MS),
      });
      return await outcomeOfResponse(res, this.deps.clock.now(), this.scrub);
    } catch (err) {
      return outcomeOfFetchError(err, this.scrub);
    }
  }
}

function eventType(body: string): string {
  try {
    return String((JSON.parse(body) as { type?: unknown }).type ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
