import { startEventConsumerLoop } from '../events/event-consumer-loop.js';
import type { EventBus } from '../events/event-bus.js';
import { deliverDue, type DeliveryCounts } from './deliver-due.js';
import { enqueueNewEvents } from './enqueue-new-events.js';
import type { PumpDeps } from './pump-deps.js';

export interface DrainResult extends DeliveryCounts {
  /** New outbox items routed from the event log. */
  enqueued: number;
}

/**
 * One round: route new events into the outbox, then deliver what is due. Replay, the demo and tests call it
 * directly after moving their clock; the server runs it through `startNotificationPump`.
 */
export async function drainOnce(deps: PumpDeps): Promise<DrainResult> {
  const enqueued = await enqueueNewEvents(deps);
  const counts = await deliverDue(deps);
  return { enqueued, ...counts };
}

export interface NotificationPump {
  /** Stops polling and waits for the round in flight. */
  stop(): Promise<void>;
  /** Runs a round now (after the one in flight) and resolves with its result. */
  drain(): Promise<DrainResult>;
  /** Asks for a round soon without waiting for it (what the event bus does). */
  wake(): void;
}

/**
 * Runs the pump in the background: a round every `pollMs` (real time, default 1 s), and soon after the engine
 * publishes events on `bus`. Rounds never overlap within a process; replicas coordinate through the store. Store
 * errors are logged and retried on the next poll. The engine only writes events, so nothing here can slow a deploy.
 */
export function startNotificationPump(
  deps: PumpDeps & { bus?: EventBus; pollMs?: number },
): NotificationPump {
  const loop = startEventConsumerLoop({
    name: 'notification pump',
    round: () => drainOnce(deps),
    logger: deps.logger,
    ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
    ...(deps.bus ? { bus: deps.bus } : {}),
  });
  return { stop: loop.stop, drain: loop.runOnce, wake: loop.wake };
}
