import type { PagerDutyNotifierConfig } from '../../config/notifier-schema.js';
import type { KvRepo } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';
import {
  HTTP_TIMEOUT_MS,
  outcomeOfFetchError,
  outcomeOfResponse,
  scrubber,
  type FetchLike,
} from '../http-outcome.js';
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../notifier.js';
import type { PagerDutyPayload } from './render-pagerduty-event.js';

/** Per service and notifier in `store.kv`: whether releasebot has an incident open, and the latest times seen. */
interface IncidentState {
  open: boolean;
  lastTriggerAt?: number;
  lastResolveAt?: number;
}
const NS = 'pagerduty';

/**
 * Sends PagerDuty Events API v2 events (routing key added here, never stored). Resolves only an incident this
 * notifier opened, and drops a trigger older than the last resolve: messages of different deploys are not ordered
 * against each other, so a trigger retried through an outage must not re-open what a later promotion closed.
 */
export class PagerDutyNotifier implements Notifier {
  private readonly scrub: (s: string) => string;
  /** Per-service chains: deliveries of different deploys run in parallel, but one service's state is read-modify-write. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly name: string,
    private readonly cfg: PagerDutyNotifierConfig,
    private readonly deps: { fetch: FetchLike; clock: Clock; kv: KvRepo; timeoutMs?: number },
  ) {
    this.scrub = scrubber([cfg.routingKey]);
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const p = message.payload as PagerDutyPayload;
    if (p?.kind !== 'pagerduty.event')
      return { status: 'failed', error: `not a PagerDuty payload: ${String(p?.kind)}` };
    const key = `${this.name}:${p.service}`;
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(() => this.deliverLocked(key, p));
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  private async deliverLocked(key: string, p: PagerDutyPayload): Promise<DeliveryOutcome> {
    const state = (await this.deps.kv.get<IncidentState>(NS, key)) ?? { open: false };
    if (
      p.event.event_action === 'trigger' &&
      state.lastResolveAt !== undefined &&
      p.at < state.lastResolveAt
    ) {
      return { status: 'delivered', note: 'skipped: a later promotion already resolved the service' };
    }
    if (p.event.event_action === 'resolve' && !(state.open && (state.lastTriggerAt ?? 0) <= p.at)) {
      await this.deps.kv.set(NS, key, { ...state, lastResolveAt: Math.max(p.at, state.lastResolveAt ?? 0) });
      return { status: 'delivered', note: 'skipped: no incident open for this service' };
    }
    const outcome = await this.send(p);
    if (outcome.status !== 'delivered') return outcome;
    const next: IncidentState =
      p.event.event_action === 'trigger'
        ? { ...state, open: true, lastTriggerAt: Math.max(p.at, state.lastTriggerAt ?? 0) }
        : { ...state, open: false, lastResolveAt: Math.max(p.at, state.lastResolveAt ?? 0) };
    await this.deps.kv.set(NS, key, next);
    return outcome;
  }

  private async send(p: PagerDutyPayload): Promise<DeliveryOutcome> {
    try {
      const res = await this.deps.fetch(this.cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'releasebot' },
        body: JSON.stringify({ routing_key: this.cfg.routingKey, ...p.event }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? HTTP_TIMEOUT_MS),
      });
      return await outcomeOfResponse(res, this.deps.clock.now(), this.scrub);
    } catch (err) {
      return outcomeOfFetchError(err, this.scrub);
    }
  }
}
