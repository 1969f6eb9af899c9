import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { Notifier } from './notifier.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-delay.js';

/** What the notification pump needs; everything is passed in so replay and tests run it on a manual clock. */
export interface PumpDeps {
  store: Pick<Store, 'events' | 'outbox' | 'kv'>;
  config: ResolvedConfig;
  /** By name, as created by `createNotifiers`. */
  notifiers: ReadonlyMap<string, Notifier>;
  clock: Clock;
  logger: Logger;
  /** This replica's name; outbox claims are taken in it. */
  owner: string;
  options?: Partial<PumpOptions>;
  /** Jitter source in [0, 1); tests pass `() => 0.5` for exact delays. */
  random?: () => number;
}

export interface PumpOptions {
  /** Events read and outbox items claimed per round. */
  batchSize: number;
  /** How long a claim keeps other replicas off an item, ms; longer than the slowest delivery (10 s timeouts). */
  claimLeaseMs: number;
  /** Deliveries to different deploys in flight at once. */
  concurrency: number;
  /** Events older than this when first routed are not sent (a pump that was down for a day stays quiet), ms. */
  maxEventAgeMs: number;
  retry: RetryPolicy;
  /** Time zone of the log notifier's clock times; unset = local. */
  timeZone?: string;
}

export const DEFAULT_PUMP_OPTIONS: PumpOptions = {
  batchSize: 100,
  claimLeaseMs: 60_000,
  concurrency: 8,
  maxEventAgeMs: 86_400_000,
  retry: DEFAULT_RETRY_POLICY,
};

export function pumpOptions(deps: PumpDeps): PumpOptions {
  return {
    ...DEFAULT_PUMP_OPTIONS,
    ...deps.options,
    retry: { ...DEFAULT_RETRY_POLICY, ...deps.options?.retry },
  };
}
