import type { OutboxItem } from '../store/store.js';
import { HTTP_TIMEOUT_MS } from './http-outcome.js';
import type { DeliveryOutcome, Notifier } from './notifier.js';
import { pumpOptions, type PumpDeps, type PumpOptions } from './pump-deps.js';
import { retryDelay } from './retry-delay.js';

export interface DeliveryCounts {
  delivered: number;
  /** Failed attempts that will be tried again. */
  retrying: number;
  /** Given up for good: a permanent error or too many attempts. */
  gaveUp: number;
  /** Left for later because an earlier message of the same deploy is not through yet. */
  deferred: number;
}

/**
 * Delivers due outbox items. Items of one deploy and notifier go strictly in enqueue order (a thread reply never
 * overtakes its deploy message): a group stops at its first passing failure, and waits while an earlier item is
 * still pending; the items it holds come back when their claim lapses. Different deploys go in parallel.
 */
export async function deliverDue(deps: PumpDeps): Promise<DeliveryCounts> {
  const opts = pumpOptions(deps);
  const counts: DeliveryCounts = { delivered: 0, retrying: 0, gaveUp: 0, deferred: 0 };
  for (let round = 0; round < 20; round++) {
    const claimedAt = deps.clock.now();
    const items = await deps.store.outbox.claim(deps.owner, claimedAt, opts.batchSize, opts.claimLeaseMs);
    if (!items.length) break;
    const groups = new Map<string, OutboxItem[]>();
    for (const item of items) {
      const key = item.deployId === null ? `#${item.id}` : `${item.notifier}\u0000${item.deployId}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const queue = [...groups.values()];
    const worker = async (): Promise<void> => {
      for (let g = queue.shift(); g; g = queue.shift()) await deliverGroup(deps, opts, g, claimedAt, counts);
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, queue.length) }, worker));
    if (items.length < opts.batchSize) break;
  }
  return counts;
}

async function deliverGroup(
  deps: PumpDeps,
  opts: PumpOptions,
  group: OutboxItem[],
  claimedAt: number,
  counts: DeliveryCounts,
): Promise<void> {
  const first = group[0];
  if (first.deployId !== null && (await hasEarlierPending(deps, first))) {
    counts.deferred += group.length;
    return;
  }
  for (let i = 0; i < group.length; i++) {
    const item = group[i];
    // Near the end of the claim another replica may take the item while it is in flight: stop rather than risk
    // sending it twice. The margin covers one request's timeout.
    const margin = Math.min(HTTP_TIMEOUT_MS + 5_000, opts.claimLeaseMs / 2);
    if (deps.clock.now() + margin >= claimedAt + opts.claimLeaseMs) {
      counts.deferred += group.length - i;
      return;
    }
    const log = deps.logger.child({ notifier: item.notifier, deployId: item.deployId, outboxId: item.id });
    const notifier = deps.notifiers.get(item.notifier);
    const outcome: DeliveryOutcome = notifier
      ? await attempt(notifier, item)
      : { status: 'failed', error: `no notifier named "${item.notifier}" is configured` };
    const now = deps.clock.now();
    if (outcome.status === 'delivered') {
      await deps.store.outbox.delivered(item.id, now);
      counts.delivered++;
      log.debug({ dedupKey: item.dedupKey, note: outcome.note }, 'notification delivered');
      continue;
    }
    const failedAttempts = item.attempts + 1;
    if (outcome.status === 'retry' && failedAttempts < opts.retry.maxAttempts) {
      const retryAt = now + retryDelay(failedAttempts, opts.retry, outcome.retryAfterMs, deps.random);
      await deps.store.outbox.failed(item.id, outcome.error, retryAt, now);
      counts.retrying++;
      counts.deferred += group.length - i - 1;
      log.warn(
        { dedupKey: item.dedupKey, attempt: failedAttempts, retryAt, error: outcome.error },
        'notification delivery failed; will retry',
      );
      return;
    }
    await deps.store.outbox.failed(item.id, outcome.error, null, now);
    counts.gaveUp++;
    log.error(
      { dedupKey: item.dedupKey, attempt: failedAttempts, error: outcome.error },
      'notification given up',
    );
    // A message that will never go must not hold back the rest of the deploy's messages.
  }
}

/** True while an earlier item of the same deploy and notifier is neither delivered nor given up. */
async function hasEarlierPending(deps: PumpDeps, first: OutboxItem): Promise<boolean> {
  const all = await deps.store.outbox.forDeploy(first.deployId!);
  return all.some(
    (o) => o.notifier === first.notifier && o.id < first.id && o.deliveredAt === null && o.failedAt === null,
  );
}

async function attempt(notifier: Notifier, item: OutboxItem): Promise<DeliveryOutcome> {
  try {
    return await notifier.deliver({
      id: item.id,
      dedupKey: item.dedupKey,
      deployId: item.deployId,
      payload: item.payload,
      attempts: item.attempts,
    });
  } catch (err) {
    return { status: 'retry', error: err instanceof Error ? err.message : String(err) };
  }
}
