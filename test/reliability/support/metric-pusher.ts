import { ACTIVE_STATES } from '../../../src/pipeline/deploy.js';
import type { Store } from '../../../src/store/store.js';

export interface MetricPusherOptions {
  store: Store;
  /** Base URLs of the replicas to push to (those down just fail). */
  targets: () => string[];
  token: string;
  /** The metric name; one series per service, labelled `service`. */
  metric: string;
  /** The value the running version of a service reports. */
  valueFor: (version: string) => number;
  periodMs?: number;
}

export interface MetricPusher {
  rounds: number;
  failedPushes: number;
  stop(): Promise<void>;
}

/**
 * Pushes, every period, one sample per service with an active deploy to every replica's `POST /api/v1/metrics`,
 * valued by that deploy's version. A sample is stamped just before the store was read, so it can never fall inside
 * the window of a deploy that started after the read: a version is only ever judged on its own samples. Services
 * without an active deploy get no sample (no data is never read as good).
 */
export function startMetricPusher(o: MetricPusherOptions): MetricPusher {
  let stopped = false;
  const state: MetricPusher = {
    rounds: 0,
    failedPushes: 0,
    async stop() {
      stopped = true;
      await loop;
    },
  };
  const round = async () => {
    const stamp = Date.now() - 1;
    const active = await o.store.deploys.list({ states: [...ACTIVE_STATES], limit: 10_000 });
    if (!active.length) return;
    const body =
      active.map((d) => `${o.metric}{service="${d.service}"} ${o.valueFor(d.version)} ${stamp}`).join('\n') +
      '\n';
    await Promise.all(
      o.targets().map(async (url) => {
        const ok = await fetch(`${url}/api/v1/metrics`, {
          method: 'POST',
          headers: { authorization: `Bearer ${o.token}`, 'content-type': 'text/plain' },
          body,
          signal: AbortSignal.timeout(5_000),
        }).then(
          (r) => r.ok,
          () => false,
        );
        if (!ok) state.failedPushes++;
      }),
    );
    state.rounds++;
  };
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await round().catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.max(50, (o.periodMs ?? 1000) - (Date.now() - started))));
    }
  })();
  return state;
}
