import type { StoredEvent } from './lifecycle-event.js';

type Listener = (e: StoredEvent) => void;

/**
 * In-process fan-out of events that were already stored: wakes the dashboard's SSE and the notification pump
 * without waiting for their poll. The event log in the store stays the source of truth (replicas share it).
 */
export class EventBus {
  private listeners = new Set<Listener>();

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  publish(events: StoredEvent[]): void {
    for (const e of events) {
      for (const fn of this.listeners) {
        try {
          fn(e);
        } catch {
          // A listener's failure must not reach the engine that published.
        }
      }
    }
  }
}
