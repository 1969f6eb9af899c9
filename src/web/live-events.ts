import { authHeaders } from './api-client.js';
import type { StoredEvent } from './api-types.js';
import { observeServerTime } from './server-clock.js';
import { createSseParser } from './sse-parser.js';

export type LiveStatus = 'connecting' | 'live' | 'offline';
type Listener = (e: StoredEvent) => void;
type StatusListener = (status: LiveStatus, resumed: boolean) => void;

const MAX_BACKOFF_MS = 30_000;

/**
 * The lifecycle events of GET /api/v1/events/stream, shared by all pages. Read with fetch rather than EventSource
 * because EventSource cannot send the Authorization header (and a token in the URL would end up in logs).
 * Reconnects with backoff; after a reconnect listeners hear `resumed` and reload, as events may have been missed.
 */
export class LiveEvents {
  status: LiveStatus = 'offline';
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private ctrl: AbortController | null = null;
  private backoff = 1000;
  private wasLive = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
    this.stop();
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    void this.run(ctrl);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.ctrl?.abort();
    this.ctrl = null;
    this.wasLive = false;
    this.setStatus('offline', false);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStatus(fn: StatusListener): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  private async run(ctrl: AbortController): Promise<void> {
    this.setStatus('connecting', false);
    try {
      const res = await fetch('/api/v1/events/stream', {
        headers: { accept: 'text/event-stream', ...authHeaders() },
        credentials: 'omit',
        cache: 'no-store',
        signal: ctrl.signal,
      });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      // A 401/403 would repeat forever; the session reloads the stream when the user signs in.
      this.backoff = 1000;
      this.setStatus('live', this.wasLive);
      this.wasLive = true;
      const parse = createSseParser((m) => {
        let e: StoredEvent;
        try {
          e = JSON.parse(m.data) as StoredEvent;
        } catch {
          return;
        }
        observeServerTime(e.at);
        for (const fn of this.listeners) fn(e);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
    } catch {
      if (ctrl.signal.aborted) return;
    }
    if (ctrl.signal.aborted || this.ctrl !== ctrl) return;
    this.setStatus('offline', false);
    this.timer = setTimeout(() => {
      if (this.ctrl === ctrl) void this.run(ctrl);
    }, this.backoff);
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
  }

  private setStatus(s: LiveStatus, resumed: boolean): void {
    this.status = s;
    for (const fn of this.statusListeners) fn(s, resumed);
  }
}

export const liveEvents = new LiveEvents();
