import type { Logger } from '../logging/logger.js';
import type { EventBus } from './event-bus.js';
import type { StoredEvent } from './lifecycle-event.js';

export interface EventConsumerLoop<T> {
  /** Stops polling, then waits for the round in flight. */
  stop(): Promise<void>;
  /** Runs a round now (after the one in flight) and returns its result. */
  runOnce(): Promise<T>;
  /** Asks for a round soon without waiting for it. */
  wake(): void;
}

/**
 * Runs `round` in the background: every `pollMs` of real time, and soon after the bus publishes an event that
 * `wakeOn` cares about. Rounds never overlap within a process (replicas coordinate through the store); a failed
 * round is logged and retried at the next poll. Used by the consumers of the event log (notifications, safety).
 */
export function startEventConsumerLoop<T>(o: {
  name: string;
  round: () => Promise<T>;
  logger: Logger;
  pollMs?: number;
  bus?: EventBus;
  wakeOn?: (e: StoredEvent) => boolean;
}): EventConsumerLoop<T> {
  const pollMs = o.pollMs ?? 1_000;
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();
  // A wake that arrives during a round must not be lost: it makes the next sleep return at once.
  let woken = false;
  let endSleep: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = (): Promise<T> => {
    const run = chain.then(() => o.round());
    chain = run.catch((err: unknown) =>
      o.logger.warn({ err }, `${o.name} round failed; retrying on the next poll`),
    );
    return run;
  };
  const sleep = (): Promise<void> =>
    new Promise((resolve) => {
      if (woken || stopped) return resolve();
      endSleep = resolve;
      timer = setTimeout(resolve, pollMs);
    });
  const wake = (): void => {
    woken = true;
    endSleep?.();
  };
  const unsubscribe = o.bus?.subscribe((e) => {
    if (!o.wakeOn || o.wakeOn(e)) wake();
  });
  const running = (async () => {
    while (!stopped) {
      woken = false;
      await runOnce().catch(() => undefined);
      await sleep();
      clearTimeout(timer);
      endSleep = undefined;
    }
  })();

  return {
    async stop() {
      stopped = true;
      unsubscribe?.();
      endSleep?.();
      await running;
      await chain;
    },
    runOnce,
    wake,
  };
}
