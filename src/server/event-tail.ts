import type { EventBus } from '../events/event-bus.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';

type Listener = (e: StoredEvent) => void;

/**
 * Follows the shared event log so a browser connected to any replica sees every replica's events: polls the store
 * by sequence number, and wakes early when this process published something.
 */
export class EventTail {
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<Listener>();
  private polling = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.cursor = await this.store.events.latestSeq();
    this.unsubscribe = this.bus.subscribe(() => void this.poll());
    this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.listeners.clear();
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.listeners.size) return;
    this.polling = true;
    try {
      for (;;) {
        const batch = await this.store.events.after(this.cursor, 500);
        for (const e of batch) {
          this.cursor = e.seq;
          for (const fn of this.listeners) fn(e);
        }
        if (batch.length < 500) break;
      }
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'event tail poll failed');
    } finally {
      this.polling = false;
    }
  }
}
