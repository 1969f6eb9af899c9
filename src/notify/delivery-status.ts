import type { OutboxItem, OutboxRepo } from '../store/store.js';

/** A notification of a deploy as the deploy page shows it. */
export interface DeliveryStatus {
  notifier: string;
  dedupKey: string;
  kind: string;
  state: 'delivered' | 'pending' | 'retrying' | 'failed';
  attempts: number;
  lastError: string | null;
  /** When it was delivered, given up, or will be tried next, ms. */
  at: number;
}

/** Every notification of a deploy with its state, oldest first: failures are visible where the deploy is. */
export async function deliveryStatus(
  outbox: Pick<OutboxRepo, 'forDeploy'>,
  deployId: string,
): Promise<DeliveryStatus[]> {
  return (await outbox.forDeploy(deployId)).map(toStatus);
}

export function toStatus(o: OutboxItem): DeliveryStatus {
  const kind =
    typeof o.payload === 'object' && o.payload && 'kind' in o.payload ? String(o.payload.kind) : 'unknown';
  const state =
    o.deliveredAt !== null
      ? 'delivered'
      : o.failedAt !== null
        ? 'failed'
        : o.lastError
          ? 'retrying'
          : 'pending';
  return {
    notifier: o.notifier,
    dedupKey: o.dedupKey,
    kind,
    state,
    attempts: o.attempts,
    lastError: o.lastError,
    at: o.deliveredAt ?? o.failedAt ?? o.availableAt,
  };
}
