import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import { RecordingServer } from '../support/recording-server.js';
import { appendEvents, deployRef, notifyConfig, rolledBackDeployEvents } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const ROUTING_KEY = 'R0UTINGKEY0123456789abcdef012345';
const ACCEPTED = { status: 202, body: '{"status":"success","message":"Event processed"}' };

describe('PagerDuty Events API v2 notifier', () => {
  let pd: RecordingServer;
  let h: Harness;

  beforeEach(async () => {
    pd = await RecordingServer.start(ACCEPTED);
    h = await pumpHarness(
      notifyConfig({ pager: { type: 'pagerduty', routingKey: ROUTING_KEY, url: `${pd.url}/v2/enqueue` } }),
    );
  });
  afterEach(async () => {
    await h.close();
    await pd.close();
  });

  const sent = () =>
    pd.requests.map(
      (r) => JSON.parse(r.body) as { event_action: string; dedup_key: string; payload: { summary: string } },
    );
  const promoted = (id: string) => ({
    type: 'deploy:promoted' as const,
    deploy: deployRef({ id, state: 'promoted', stage: 'full', stageIndex: 2, traffic: 100 }),
    skipped: false,
    reason: 'all stages passed',
  });

  it('triggers on a key service’s rollback and resolves on its next promoted deploy', async () => {
    await appendEvents(h.store, rolledBackDeployEvents('d-1'));
    await drainOnce(h.deps);
    expect(pd.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/v2/enqueue'],
      ['POST', '/v2/enqueue'],
    ]);
    const [rollingBack, rolledBack] = sent();
    expect(rollingBack).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'releasebot/webapp',
      payload: {
        summary: 'webapp v1.4.2 rolling back: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
        source: 'releasebot',
        severity: 'critical',
        timestamp: new Date(h.clock.now() - 10 * 60_000 + 3 * 60_000).toISOString(),
        component: 'webapp',
        group: 'payments',
        class: 'deploy rollback',
        custom_details: {
          deployId: 'd-1',
          version: 'v1.4.2',
          previousVersion: 'v1.4.1',
          state: 'rolling_back',
          stage: 'canary',
          traffic: 1,
          reason: 'error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
          automatic: true,
          actor: 'releasebot',
          changes: ['#812 Retry payment webhooks alice', '#815 Bump <http> client & TLS bob'],
        },
      },
      client: 'releasebot',
      client_url: 'https://releasebot.example.com/deploys/d-1',
      links: [{ href: 'https://releasebot.example.com/deploys/d-1', text: 'Deploy d-1' }],
    });
    // The same dedup_key: PagerDuty keeps one alert for the rollback.
    expect(rolledBack).toMatchObject({ event_action: 'trigger', dedup_key: 'releasebot/webapp' });
    expect(rolledBack.payload.summary).toMatch(/^webapp v1\.4\.2 rolled back: /);

    await appendEvents(h.store, [promoted('d-2'), promoted('d-3')], h.clock.now());
    h.clock.advance(2 * 60_000);
    await drainOnce(h.deps);
    // One resolve: the second promotion finds nothing open.
    expect(sent().slice(2)).toEqual([
      { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'releasebot/webapp' },
    ]);
  });

  it('never pages for services that are not key services, nor for other events', async () => {
    await appendEvents(h.store, rolledBackDeployEvents('d-9', 'api'));
    await appendEvents(h.store, [
      { type: 'deploy:paused', deploy: deployRef({ state: 'paused' }), kind: 'check', reason: 'latency' },
    ]);
    await drainOnce(h.deps);
    expect(pd.requests).toEqual([]);
  });

  it('drops a trigger still retrying when a later promotion has resolved the service', async () => {
    pd.failNext({ status: 500 }, 2);
    await appendEvents(h.store, rolledBackDeployEvents('d-1').slice(3, 4));
    await drainOnce(h.deps);
    await appendEvents(h.store, [promoted('d-2')], h.clock.now());
    h.clock.advance(1_000);
    await drainOnce(h.deps);
    h.clock.advance(10_000);
    const r = await drainOnce(h.deps);
    expect(r).toMatchObject({ delivered: 1 });
    expect(pd.requests.map((req) => req.status)).toEqual([500]);
    const [trigger] = await h.store.outbox.forDeploy('d-1');
    expect(trigger).toMatchObject({ attempts: 2, deliveredAt: h.clock.now() });
  });

  it('retries 429 and 5xx, and keeps the routing key out of the outbox', async () => {
    pd.failNext({ status: 429 });
    await appendEvents(h.store, rolledBackDeployEvents('d-1').slice(3, 4));
    await drainOnce(h.deps);
    const [item] = await h.store.outbox.forDeploy('d-1');
    expect(item).toMatchObject({ attempts: 1, lastError: 'HTTP 429' });
    expect(JSON.stringify(item.payload)).not.toContain(ROUTING_KEY);
    h.clock.advance(5_000);
    await drainOnce(h.deps);
    expect(pd.requests.map((r) => r.status)).toEqual([429, 202]);
  });
});
