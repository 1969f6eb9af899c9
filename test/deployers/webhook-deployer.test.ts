import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookDeployerSchema } from '../../src/config/deployer-schema.js';
import { WebhookDeployer } from '../../src/deployers/webhook/webhook-deployer.js';
import { verifySignature } from '../../src/webhooks/webhook-signature.js';
import { ManualClock } from '../../src/time/clock.js';
import { deployerCall } from './deployer-call.js';
import { startTestServer, type Answer } from './webhook-test-server.js';

const NOW = 1_750_000_000_000;
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

/** A deployer against a real local server; `sleep` records the waits asked for and returns at once. */
async function setup(answers: Answer[], config: Record<string, unknown> = {}) {
  const server = await startTestServer(answers);
  closers.push(server.close);
  const waits: number[] = [];
  const parsed = webhookDeployerSchema.parse({ type: 'webhook', url: `${server.url}/deploy`, ...config });
  const deployer = new WebhookDeployer(parsed, {
    clock: new ManualClock(NOW),
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { deployer, requests: server.requests, waits };
}

describe('WebhookDeployer', () => {
  it('POSTs the action as JSON with idempotency and signature headers that verify', async () => {
    const { deployer, requests } = await setup([{ status: 200, body: 'shifted' }], {
      secret: 'hook-secret',
      headers: { Authorization: 'Bearer abc' },
    });
    const r = await deployer.shift(deployerCall());
    expect(r).toMatchObject({ ok: true, output: 'attempt 1 of 4: HTTP 200 OK\nshifted' });
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/deploy');
    expect(JSON.parse(req.body)).toEqual({
      action: 'shift',
      service: 'webapp',
      version: 'v1.4.2',
      previousVersion: 'v1.4.1',
      traffic: 10,
      stage: 'ten',
      deployId: 'd_0001',
      idempotencyKey: 'd_0001:shift:1:0',
      fence: 7,
    });
    expect(req.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'releasebot',
      authorization: 'Bearer abc',
      'idempotency-key': 'd_0001:shift:1:0',
      'x-releasebot-timestamp': '1750000000',
      'x-releasebot-signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    const signature = String(req.headers['x-releasebot-signature']);
    expect(
      verifySignature({ secret: 'hook-secret', timestamp: '1750000000', body: req.body, signature }),
    ).toBe(true);
    expect(verifySignature({ secret: 'wrong', timestamp: '1750000000', body: req.body, signature })).toBe(
      false,
    );
  });

  it('sends no signature without a secret, and says which action', async () => {
    const { deployer, requests } = await setup([{ status: 204 }]);
    const r = await deployer.rollback(deployerCall());
    expect(r.ok).toBe(true);
    expect(requests[0].headers['x-releasebot-signature']).toBeUndefined();
    expect(JSON.parse(requests[0].body)).toMatchObject({ action: 'rollback' });
  });

  it('retries a 503 with backoff and succeeds, with the same idempotency key each time', async () => {
    const { deployer, requests, waits } = await setup([
      { status: 503, body: 'busy' },
      { status: 502 },
      { status: 200, body: 'ok' },
    ]);
    const r = await deployer.promote(deployerCall());
    expect(r).toMatchObject({
      ok: true,
      output:
        'attempt 1 of 4: HTTP 503 Service Unavailable\nattempt 2 of 4: HTTP 502 Bad Gateway\nattempt 3 of 4: HTTP 200 OK\nok',
    });
    expect(requests.map((q) => q.headers['idempotency-key'])).toEqual(Array(3).fill('d_0001:shift:1:0'));
    // 500 ms doubling per retry, times the jitter factor 0.75 (random = 0.5).
    expect(waits).toEqual([375, 750]);
  });

  it('honours Retry-After on 429, in seconds or as a date', async () => {
    const date = new Date(NOW + 7_000).toUTCString();
    const { deployer, waits } = await setup([
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 429, headers: { 'retry-after': date } },
      { status: 200 },
    ]);
    expect((await deployer.shift(deployerCall())).ok).toBe(true);
    expect(waits).toEqual([2000, 7000]);
  });

  it('does not retry other 4xx answers', async () => {
    const { deployer, requests, waits } = await setup([{ status: 400, body: '{"error":"unknown service"}' }]);
    const r = await deployer.shift(deployerCall());
    expect(r).toMatchObject({
      ok: false,
      output: 'attempt 1 of 4: HTTP 400 Bad Request\n{"error":"unknown service"}',
    });
    expect(r.timedOut).toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up after the configured retries', async () => {
    const { deployer, requests } = await setup([{ status: 500, body: 'boom' }], { retries: 2 });
    const r = await deployer.shift(deployerCall());
    expect(r.ok).toBe(false);
    expect(requests).toHaveLength(3);
    expect(r.output).toBe(
      'attempt 1 of 3: HTTP 500 Internal Server Error\nattempt 2 of 3: HTTP 500 Internal Server Error\n' +
        'attempt 3 of 3: HTTP 500 Internal Server Error\nboom',
    );
  });

  it('times out an attempt that gets no answer, then retries', async () => {
    const { deployer, requests } = await setup(['hang', { status: 200 }], { timeout: '200ms', retries: 1 });
    const r = await deployer.shift(deployerCall());
    expect(r).toMatchObject({
      ok: true,
      output: 'attempt 1 of 2: no answer within 200ms\nattempt 2 of 2: HTTP 200 OK',
    });
    expect(requests).toHaveLength(2);
  });

  it('reports timedOut when the last attempt timed out', async () => {
    const { deployer } = await setup(['hang'], { timeout: '200ms', retries: 0 });
    const r = await deployer.shift(deployerCall());
    expect(r).toMatchObject({ ok: false, timedOut: true, output: 'attempt 1 of 1: no answer within 200ms' });
  });

  it('retries network errors and reports them without throwing', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const waits: number[] = [];
    const config = webhookDeployerSchema.parse({
      type: 'webhook',
      url: `http://127.0.0.1:${port}/`,
      retries: 1,
    });
    const deployer = new WebhookDeployer(config, {
      sleep: async (ms) => void waits.push(ms),
      random: () => 0,
    });
    const r = await deployer.shift(deployerCall());
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(
      /^attempt 1 of 2: fetch failed \(ECONNREFUSED\)\nattempt 2 of 2: fetch failed \(ECONNREFUSED\)$/,
    );
    expect(waits).toEqual([250]);
  });
});
