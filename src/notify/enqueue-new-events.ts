import type { PumpDeps } from './pump-deps.js';
import { pumpOptions } from './pump-deps.js';
import { routeEvent } from './route-event.js';

/** Where the pump has read the event log up to: `store.kv` namespace `notify`, key `cursor`, value a seq. */
export const CURSOR_NS = 'notify';
export const CURSOR_KEY = 'cursor';

/**
 * Reads the event log past the shared cursor, routes each event into the outbox, then moves the cursor with
 * compare-and-set. Two replicas may route the same events (the outbox drops repeated dedup keys); only one moves
 * the cursor, the other re-reads it. A crash between enqueue and cursor move re-routes the batch: at-least-once.
 * Returns how many outbox items were new.
 */
export async function enqueueNewEvents(deps: PumpDeps): Promise<number> {
  const { store, clock, logger } = deps;
  const opts = pumpOptions(deps);
  let added = 0;
  // Bounded so one drain cannot run forever behind a busy log; the next drain carries on.
  for (let round = 0; round < 50; round++) {
    const cursor = await store.kv.get<number>(CURSOR_NS, CURSOR_KEY);
    const events = await store.events.after(cursor ?? 0, opts.batchSize);
    if (!events.length) break;
    const now = clock.now();
    const deliveries = events
      .filter((e) => now - e.at <= opts.maxEventAgeMs)
      .flatMap((e) => {
        try {
          return routeEvent(e, deps.config, { timeZone: opts.timeZone });
        } catch (err) {
          // A rendering bug must not stall every later notification behind one event.
          logger.error(
            { err, seq: e.seq, type: e.event.type },
            'could not route event to notifiers; skipped',
          );
          return [];
        }
      });
    added += await store.outbox.enqueue(deliveries.map((d) => ({ ...d, availableAt: now })));
    const last = events[events.length - 1].seq;
    const moved = await store.kv.compareAndSet(CURSOR_NS, CURSOR_KEY, cursor, last);
    if (!moved) logger.debug({ cursor, last }, 'another replica moved the notification cursor; re-reading');
    if (events.length < opts.batchSize && moved) break;
  }
  return added;
}
