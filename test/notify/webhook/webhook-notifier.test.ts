import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import { verifySignature } from '../../../src/webhooks/webhook-signature.js';
import { RecordingServer } from '../support/recording-server.js';
import { appendEvents, notifyConfig, rolledBackDeployEvents } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const SECRET = 'whsec-releasebot-test';

describe('generic webhook notifier', () => {
  let receiver: RecordingServer;
  let h: Harness | undefined;

  beforeEach(async () => {
    receiver = await RecordingServer.start({ status: 204 });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await receiver.close();
  });

  async function harnessFor(url: string, events: string[]): Promise<Harness> {
    h = await pumpHarness(notifyConfig({ hook: { type: 'webhook', url, secret: SECRET, events } }));
    return h;
  }

  it('POSTs the chosen events as JSON, signed over `timestamp.body`, with a dedup key header', async () => {
    const h = await harnessFor(`${receiver.url}/hooks/releasebot`, ['check:breached', 'deploy:rolled_back']);
    await appendEvents(h.store, rolledBackDeployEvents());
    await drainOnce(h.deps);

    expect(receiver.requests.map((r) => [r.method, r.path, r.headers['x-releasebot-event']])).toEqual([
      ['POST', '/hooks/releasebot', 'check:breached'],
      ['POST', '/hooks/releasebot', 'deploy:rolled_back'],
    ]);
    const [breach] = receiver.requests;
    const ts = String(Math.floor(h.clock.now() / 1000));
    expect(breach.headers['content-type']).toBe('application/json');
    expect(breach.headers['x-releasebot-timestamp']).toBe(ts);
    expect(breach.headers['x-releasebot-dedup-key']).toBe('hook:3:event');
    // The receiver's check, done independently: HMAC-SHA256(secret, "<timestamp>.<body>") in hex.
    const expected = createHmac('sha256', SECRET).update(`${ts}.${breach.body}`).digest('hex');
    expect(breach.headers['x-releasebot-signature']).toBe(`sha256=${expected}`);
    expect(
      verifySignature({
        secret: SECRET,
        timestamp: ts,
        body: breach.body,
        signature: `sha256=${expected}`,
        nowMs: h.clock.now(),
      }),
    ).toBe(true);
    expect(
      verifySignature({
        secret: 'other',
        timestamp: ts,
        body: breach.body,
        signature: `sha256=${expected}`,
        nowMs: h.clock.now(),
      }),
    ).toBe(false);

    const body = JSON.parse(breach.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 1,
      seq: 3,
      type: 'check:breached',
      severity: 'critical',
      service: 'webapp',
      team: 'payments',
      deployId: 'd-1',
      deployUrl: 'https://releasebot.example.com/deploys/d-1',
      event: { type: 'check:breached', check: { name: 'error-ratio', evidence: { z: 7.93 } } },
    });
  });

  it('retries 5xx and 429 (honouring Retry-After) with the same body and dedup key, and gives up on 4xx', async () => {
    const h = await harnessFor(`${receiver.url}/hook`, ['check:breached']);
    await appendEvents(h.store, rolledBackDeployEvents());
    receiver.failNext({ status: 502 });
    receiver.failNext({ status: 429, headers: { 'retry-after': '30' } });
    await drainOnce(h.deps);
    h.clock.advance(5_000);
    await drainOnce(h.deps);
    const [item] = await h.store.outbox.forDeploy('d-1');
    expect(item).toMatchObject({ attempts: 2, lastError: 'HTTP 429', availableAt: h.clock.now() + 30_000 });
    h.clock.advance(30_000);
    await drainOnce(h.deps);
    expect(receiver.requests.map((r) => r.status)).toEqual([502, 429, 204]);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.requests.map((r) => r.headers['x-releasebot-dedup-key'])).size).toBe(1);

    receiver.failNext({ status: 410, body: 'gone' });
    await appendEvents(h.store, [rolledBackDeployEvents('d-2')[2]], h.clock.now());
    await drainOnce(h.deps);
    const [gone] = await h.store.outbox.forDeploy('d-2');
    expect(gone).toMatchObject({ attempts: 1, lastError: 'HTTP 410: gone', failedAt: h.clock.now() });
  });

  it('keeps the secret out of stored errors when the receiver echoes it', async () => {
    const h = await harnessFor(`${receiver.url}/hook`, ['check:breached']);
    receiver.failNext({ status: 400, body: `bad signature for secret ${SECRET}` });
    await appendEvents(h.store, [rolledBackDeployEvents()[2]]);
    await drainOnce(h.deps);
    const [item] = await h.store.outbox.forDeploy('d-1');
    expect(item.lastError).toBe('HTTP 400: bad signature for secret [redacted]');
  });
});
