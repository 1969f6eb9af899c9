/**
 * A message the router rendered for one notifier, as kept in the outbox. `payload` is the notifier's own JSON
 * (never a secret: tokens, routing keys and signing secrets are added at delivery from the config).
 */
export interface Delivery {
  /** The notifier's name under `notifiers:` (`log` when none is configured). */
  notifier: string;
  /** Unique across all notifiers; enqueueing the same key twice is a no-op, so replaying events is safe. */
  dedupKey: string;
  /** Messages of one deploy and notifier are delivered in enqueue order. */
  deployId: string | null;
  payload: unknown;
}

/** One outbox item handed to a notifier. */
export interface OutgoingMessage {
  id: number;
  dedupKey: string;
  deployId: string | null;
  payload: unknown;
  /** Failed attempts so far. */
  attempts: number;
}

/**
 * What one delivery attempt did. `retry` is a passing failure (5xx, 429, network); `failed` will not get better by
 * trying again (bad channel, revoked token, 4xx) and is given up at once. `retryAfterMs` is the server's request.
 */
export type DeliveryOutcome =
  | { status: 'delivered'; note?: string }
  | { status: 'retry'; error: string; retryAfterMs?: number }
  | { status: 'failed'; error: string };

/**
 * Sends rendered messages to one destination. `deliver` resolves with an outcome and does not throw (a throw counts
 * as `retry`). It is idempotent by `dedupKey` where the destination allows (webhook header, PagerDuty dedup_key,
 * Slack message ids kept in the store), so an at-least-once pump does not show a message twice.
 */
export interface Notifier {
  readonly name: string;
  deliver(message: OutgoingMessage): Promise<DeliveryOutcome>;
}
