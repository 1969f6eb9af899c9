import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/events/event-bus.js';
import { createNotifiers } from '../../src/notify/create-notifiers.js';
import { CURSOR_KEY, CURSOR_NS } from '../../src/notify/enqueue-new-events.js';
import { drainOnce, startNotificationPump } from '../../src/notify/notification-pump.js';
import type { PumpDeps } from '../../src/notify/pump-deps.js';
import { FakeSlack } from './support/fake-slack.js';
import { appendEvents, notifyConfig, rolledBackDeployEvents, T0 } from './support/notify-fixtures.js';
import { pumpHarness, type Harness } from './support/pump-harness.js';

describe('notification pump', () => {
  let h: Harness;
  afterEach(() => h.close());

  describe('two replicas on one store', () => {
    let slack: FakeSlack;
    beforeEach(async () => {
      slack = await FakeSlack.start();
      h = await pumpHarness(
        notifyConfig({ slack: { type: 'slack', token: 'xoxb-replicas', apiUrl: slack.apiUrl } }),
      );
    });
    afterEach(() => slack.close());

    it('share the event cursor and the outbox: every message once, each deploy in order', async () => {
      const config = h.deps.config;
      // Small batches so the replicas' claims interleave within one deploy's messages.
      const options = { ...h.deps.options, batchSize: 3 };
      const a: PumpDeps = { ...h.deps, owner: 'replica-a', options };
      const b: PumpDeps = {
        ...h.deps,
        owner: 'replica-b',
        options,
        notifiers: createNotifiers(config, { kv: h.store.kv, logger: h.deps.logger, clock: h.clock }),
      };
      await appendEvents(h.store, rolledBackDeployEvents('d-1'));
      await appendEvents(h.store, rolledBackDeployEvents('d-2', 'api').slice(0, 3));

      const results = [];
      for (let i = 0; i < 6; i++) {
        results.push(...(await Promise.all([drainOnce(a), drainOnce(b)])));
        h.clock.advance(60_000);
      }
      // The replicas did hold back items whose earlier messages the other one had claimed.
      expect(results.some((r) => r.deferred > 0)).toBe(true);
      // d-1: 5 deploy-message renderings, 4 replies, 1 alert; d-2 (no alert channel): 3 renderings, 2 replies.
      expect(results.reduce((n, r) => n + r.enqueued, 0)).toBe(15);
      expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(15);
      expect(await h.store.kv.get(CURSOR_NS, CURSOR_KEY)).toBe(8);

      // 13 requests for 15 deliveries: two renderings were unchanged, so no update was sent. None twice.
      expect(slack.calls).toHaveLength(13);
      expect(slack.calls.every((c) => c.status === 200)).toBe(true);
      const of = (channels: string[]) =>
        slack.calls
          .filter((c) => channels.includes(String(c.args.channel)))
          .map((c) => `${c.method}${c.args.thread_ts ? ' thread' : ''}`);
      const d1 = slack.channelId('#payments-deploys');
      const d2 = slack.channelId('#api-deploys');
      expect(of(['#payments-deploys', d1, '#payments-alerts'])).toEqual([
        'chat.postMessage',
        'chat.update',
        'chat.postMessage thread',
        'chat.postMessage thread',
        'chat.update',
        'chat.postMessage thread',
        'chat.postMessage',
        'chat.update',
        'chat.postMessage thread',
      ]);
      expect(of(['#api-deploys', d2])).toEqual([
        'chat.postMessage',
        'chat.update',
        'chat.postMessage thread',
        'chat.postMessage thread',
      ]);
      const stats = await h.store.outbox.stats();
      expect(stats).toEqual({ pending: 0, failed: 0, delivered: 15 });
    });
  });

  describe('log notifier', () => {
    beforeEach(async () => {
      h = await pumpHarness(notifyConfig({}));
    });

    it('skips events older than a day when they are first routed', async () => {
      await appendEvents(h.store, rolledBackDeployEvents().slice(0, 1), T0 - 2 * 86_400_000);
      await appendEvents(h.store, rolledBackDeployEvents().slice(1, 2));
      expect(await drainOnce(h.deps)).toMatchObject({ enqueued: 1, delivered: 1 });
      expect(h.terminal).toEqual(['12:04 webapp v1.4.2 canary 1%: advanced to canary (1% traffic)\n']);
      expect(await h.store.kv.get(CURSOR_NS, CURSOR_KEY)).toBe(2);
    });

    it('never moves the shared cursor back when another replica moved it meanwhile', async () => {
      await appendEvents(h.store, rolledBackDeployEvents().slice(0, 2));
      const kv = h.store.kv;
      let raced = false;
      // The real store, with another replica's cursor write landing between this replica's read and its update.
      const racingKv: typeof kv = {
        get: async <T>(ns: string, key: string) => {
          const value = await kv.get<T>(ns, key);
          if (!raced && ns === CURSOR_NS) {
            raced = true;
            await kv.set(CURSOR_NS, CURSOR_KEY, 40);
          }
          return value;
        },
        set: (ns, key, value) => kv.set(ns, key, value),
        compareAndSet: (ns, key, expected, value) => kv.compareAndSet(ns, key, expected, value),
      };
      const result = await drainOnce({
        ...h.deps,
        store: { ...h.store, kv: racingKv },
      });
      expect(result).toMatchObject({ enqueued: 2, delivered: 2 });
      expect(await kv.get(CURSOR_NS, CURSOR_KEY)).toBe(40);
    });

    it('runs in the background, wakes on the event bus, and stops cleanly', async () => {
      const bus = new EventBus();
      const pump = startNotificationPump({ ...h.deps, bus, pollMs: 3_600_000 });
      try {
        await pump.drain();
        expect(h.terminal).toEqual([]);
        await appendEvents(h.store, rolledBackDeployEvents().slice(0, 2));
        // The engine publishes what it stored; the pump wakes without waiting for its (hour-long) poll.
        bus.publish(await h.store.events.after(0, 10));
        await vi.waitFor(() => expect(h.terminal).toHaveLength(2), { timeout: 30_000, interval: 20 });
      } finally {
        await pump.stop();
      }
      await appendEvents(h.store, rolledBackDeployEvents().slice(2, 3));
      bus.publish(await h.store.events.after(2, 10));
      expect(await h.store.outbox.stats()).toEqual({ pending: 0, failed: 0, delivered: 2 });
    });
  });
});
