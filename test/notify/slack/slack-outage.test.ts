import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryStatus } from '../../../src/notify/delivery-status.js';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import { FakeSlack } from '../support/fake-slack.js';
import { appendEvents, deployRef, notifyConfig, rolledBackDeployEvents } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const TOKEN = 'xoxb-9999-8888-outagetoken';
const EXPECTED_ORDER = [
  'chat.postMessage #payments-deploys -',
  'chat.update C00000001 -',
  'chat.postMessage C00000001 1700000000.000001',
  'chat.postMessage C00000001 1700000000.000001',
  'chat.update C00000001 -',
  'chat.postMessage C00000001 1700000000.000001',
  'chat.postMessage #payments-alerts -',
  'chat.update C00000001 -',
  'chat.postMessage C00000001 1700000000.000001',
];

describe('delivery while Slack fails', () => {
  let slack: FakeSlack;
  let h: Harness;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    h = await pumpHarness(notifyConfig({ slack: { type: 'slack', token: TOKEN, apiUrl: slack.apiUrl } }));
  });
  afterEach(async () => {
    await h.close();
    await slack.close();
  });

  const summary = (): string[] =>
    slack.succeeded.map((c) => `${c.method} ${String(c.args.channel)} ${String(c.args.thread_ts ?? '-')}`);

  it('retries 5xx with backoff and 429 after Retry-After; once Slack recovers all arrive, in order, once', async () => {
    await appendEvents(h.store, rolledBackDeployEvents());
    const start = h.clock.now();

    slack.failNext({ status: 503, body: 'upstream down' });
    const r1 = await drainOnce(h.deps);
    expect(r1).toMatchObject({ enqueued: 10, delivered: 0, retrying: 1, deferred: 9 });
    // One request: the WebClient did not retry on its own.
    expect(slack.calls).toHaveLength(1);
    let items = await h.store.outbox.forDeploy('d-1');
    expect(items[0]).toMatchObject({
      attempts: 1,
      lastError: 'Slack answered HTTP 503',
      availableAt: start + 5_000,
    });

    // Still down when the backoff is over: 429 with Retry-After 7 s decides the next attempt.
    h.clock.advance(5_000);
    slack.failNext({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { ok: false, error: 'ratelimited' },
    });
    const r2 = await drainOnce(h.deps);
    expect(r2).toMatchObject({ delivered: 0, retrying: 1 });
    expect(slack.calls).toHaveLength(2);
    items = await h.store.outbox.forDeploy('d-1');
    expect(items[0]).toMatchObject({ attempts: 2, availableAt: start + 5_000 + 7_000 });
    expect(items[0].lastError).toContain('Retry-After 7s');

    // Nothing goes early: one second before Retry-After is over, no request.
    h.clock.advance(6_000);
    expect(await drainOnce(h.deps)).toMatchObject({ delivered: 0 });
    expect(slack.calls).toHaveLength(2);

    // Slack is back. The deploy message goes first; the rest follow (once the first round's claims lapse).
    h.clock.advance(1_000);
    await drainOnce(h.deps);
    h.clock.advance(60_000);
    await drainOnce(h.deps);

    expect(summary()).toEqual(EXPECTED_ORDER);
    expect(slack.calls).toHaveLength(EXPECTED_ORDER.length + 2);
    const status = await deliveryStatus(h.store.outbox, 'd-1');
    expect(status.every((s) => s.state === 'delivered')).toBe(true);
    expect(status[0]).toMatchObject({ kind: 'slack.deploy', attempts: 3 });
  });

  it('keeps each deploy in order while another deploy’s messages go through', async () => {
    await appendEvents(h.store, rolledBackDeployEvents('d-1').slice(0, 2));
    await appendEvents(
      h.store,
      [{ type: 'deploy:started', deploy: deployRef({ id: 'd-2', service: 'api' }) }],
      h.clock.now() - 1000,
    );
    // The first request (d-1's deploy message) fails; d-2 is not held back by it.
    slack.failNext({ status: 500 });
    await drainOnce(h.deps);
    expect(summary()).toEqual(['chat.postMessage #api-deploys -']);
    h.clock.advance(60_000);
    await drainOnce(h.deps);
    expect(summary()).toEqual([
      'chat.postMessage #api-deploys -',
      'chat.postMessage #payments-deploys -',
      'chat.update C00000002 -',
      'chat.postMessage C00000002 1700000000.000002',
    ]);
  });

  it('gives up at once on errors that will not pass, shows them on the deploy and logs them without the token', async () => {
    slack.failNext({ status: 200, body: { ok: false, error: 'channel_not_found' } }, 3);
    await appendEvents(h.store, rolledBackDeployEvents().slice(0, 2));
    const r = await drainOnce(h.deps);
    expect(r).toMatchObject({ delivered: 0, gaveUp: 3, retrying: 0 });
    const status = await deliveryStatus(h.store.outbox, 'd-1');
    expect(status.map((s) => [s.kind, s.state, s.lastError])).toEqual([
      ['slack.deploy', 'failed', 'Slack error channel_not_found'],
      ['slack.deploy', 'failed', 'Slack error channel_not_found'],
      ['slack.reply', 'failed', 'Slack error channel_not_found'],
    ]);
    const gaveUp = h.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'notification given up');
    expect(gaveUp).toHaveLength(3);
    expect(gaveUp[0]).toMatchObject({
      notifier: 'slack',
      deployId: 'd-1',
      error: 'Slack error channel_not_found',
    });
    expect(h.logLines.join('\n')).not.toContain(TOKEN);
  });

  it('gives up after the last attempt and says so', async () => {
    h.deps.options = {
      ...h.deps.options,
      retry: { baseMs: 1_000, maxMs: 1_000, maxAttempts: 2, maxRetryAfterMs: 60_000 },
    };
    await appendEvents(h.store, rolledBackDeployEvents().slice(0, 1));
    slack.failNext({ status: 502 }, 2);
    expect(await drainOnce(h.deps)).toMatchObject({ retrying: 1, gaveUp: 0 });
    h.clock.advance(1_000);
    expect(await drainOnce(h.deps)).toMatchObject({ retrying: 0, gaveUp: 1 });
    const [item] = await h.store.outbox.forDeploy('d-1');
    expect(item).toMatchObject({
      attempts: 2,
      lastError: 'Slack answered HTTP 502',
      failedAt: h.clock.now(),
    });
  });
});
