import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LifecycleEventType } from '../../src/events/lifecycle-event.js';
import { configFrom } from '../support/config.js';
import { T0 } from '../support/engine-harness.js';
import { type IntegrationHarness, makeIntegrationHarness, MIN } from './support/integration-harness.js';

const DIR = new URL('../../examples/flagger/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, DIR), 'utf8');

interface Webhook {
  name: string;
  type: string;
  url: string;
  timeout?: string;
  metadata?: Record<string, string>;
}
const canary = parse(read('canary.yaml')) as {
  metadata: { name: string; namespace: string };
  spec: { analysis: { interval: string; stepWeight: number; maxWeight: number; webhooks: Webhook[] } };
};

const hook = (type: string): Webhook => {
  const w = canary.spec.analysis.webhooks.find((x) => x.type === type);
  if (!w) throw new Error(`the example Canary has no ${type} webhook`);
  return w;
};

const GOOD = {
  'http_error_ratio{service="webapp"}': () => 0.01,
  'http_latency_p99_seconds{service="webapp"}': () => 0.2,
};

/**
 * Calls a webhook of the example Canary as Flagger does (pkg/controller/webhook.go): POST of
 * `{name, namespace, phase, checksum, metadata}` as JSON, success when the status is 2xx up to 202. Event hooks
 * get Flagger's `eventMessage`, `eventType` and `timestamp` merged into the webhook's metadata (Flagger's keys win).
 */
class FakeFlagger {
  constructor(
    private readonly h: IntegrationHarness,
    private readonly token: string,
    private readonly checksum: string | undefined = 'c0ffee',
  ) {}

  private metadata(w: Webhook): Record<string, string> {
    // The operator pastes the token printed by `releasebot token create` into the Canary.
    expect(w.metadata?.token).toMatch(/^rb_/);
    return { ...w.metadata, token: this.token };
  }

  private async post(w: Webhook, phase: string, metadata: Record<string, string>) {
    const url = new URL(w.url);
    const payload = {
      name: canary.metadata.name,
      namespace: canary.metadata.namespace,
      phase,
      ...(this.checksum ? { checksum: this.checksum } : {}),
      metadata,
    };
    const res = await this.h.app.inject({
      method: 'POST',
      url: url.pathname,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    return {
      ok: res.statusCode >= 200 && res.statusCode <= 202,
      status: res.statusCode,
      body: res.json() as Record<string, unknown>,
    };
  }

  gate(type: 'confirm-traffic-increase' | 'confirm-promotion' | 'rollback', phase = 'Progressing') {
    const w = hook(type);
    return this.post(w, phase, this.metadata(w));
  }

  event(phase: string, message: string, eventType = 'Normal') {
    const w = hook('event');
    return this.post(w, phase, {
      ...this.metadata(w),
      eventMessage: message,
      eventType,
      timestamp: String(this.h.clock.now()),
    });
  }

  /** What Flagger emits when it starts the analysis of a new revision and routes the first weight. */
  async start(weight: number) {
    await this.event('Progressing', 'New revision detected! Scaling up webapp.shop');
    await this.event('Progressing', 'Starting canary analysis for webapp.shop');
    return this.event('Progressing', `Advance webapp.shop canary weight ${weight}`);
  }
}

describe('the example Canary', () => {
  it('has the releasebot webhooks, each naming the service and carrying a token', () => {
    const types = canary.spec.analysis.webhooks.map((w) => w.type).sort();
    expect(types).toEqual(['confirm-promotion', 'confirm-traffic-increase', 'event', 'rollback']);
    for (const w of canary.spec.analysis.webhooks) {
      expect(new URL(w.url).pathname).toBe(`/api/v1/integrations/flagger/${w.type}`);
      expect(w.metadata).toMatchObject({ service: 'webapp', token: expect.stringMatching(/^rb_/) });
    }
  });

  it("matches the example releasebot.yaml: stages at the Canary's weights, the same interval", () => {
    const svc = configFrom(read('releasebot.yaml')).services.webapp;
    const { stepWeight, maxWeight, interval } = canary.spec.analysis;
    const weights: number[] = [];
    for (let w = stepWeight; w <= maxWeight; w += stepWeight) weights.push(w);
    expect(svc.stages.map((s) => s.traffic)).toEqual(weights);
    expect(svc.intervalMs).toBe(interval === '1m' ? MIN : NaN);
    expect(svc.deployer).toEqual({ type: 'none' });
  });
});

describe('the example Canary against releasebot', () => {
  let h: IntegrationHarness;
  let flagger: FakeFlagger;
  beforeEach(async () => {
    h = await makeIntegrationHarness();
    flagger = new FakeFlagger(h, await h.token(['deploy'], { services: ['webapp'] }));
  });
  afterEach(async () => h.close());

  async function eventTypes(deployId: string): Promise<LifecycleEventType[]> {
    return (await h.store.events.forDeploy(deployId)).map((e) => e.event.type);
  }

  it('pass: traffic increases and promotion proceed, no rollback; Succeeded promotes the deploy', async () => {
    await h.push(GOOD, -60, 60);
    const started = await flagger.start(10);
    expect(started).toMatchObject({
      ok: true,
      body: { outcome: 'progressing', recorded: true, state: 'running' },
    });
    const id = String(started.body.deployId);
    h.clock.advance(MIN);
    const rollback = await flagger.gate('rollback');
    expect(rollback).toMatchObject({
      ok: false,
      status: 409,
      body: { verdict: 'pass', deployId: id, weight: 10 },
    });
    expect(await flagger.gate('confirm-traffic-increase')).toMatchObject({
      ok: true,
      body: { verdict: 'pass' },
    });
    await flagger.event('Progressing', 'Advance webapp.shop canary weight 20');
    h.clock.advance(MIN);
    expect(await flagger.gate('confirm-promotion', 'WaitingPromotion')).toMatchObject({
      ok: true,
      body: { verdict: 'pass', weight: 20 },
    });
    await flagger.event('Promoting', 'Copying webapp.shop template spec to webapp-primary.shop');
    const done = await flagger.event('Succeeded', 'Promotion completed! Scaling down webapp.shop');
    expect(done.body).toMatchObject({ outcome: 'promoted', state: 'promoted' });
    expect(await h.store.deploys.get(id)).toMatchObject({
      driver: 'external',
      state: 'promoted',
      idempotencyKey: 'flagger:shop/webapp:c0ffee',
      reason: 'Promotion completed! Scaling down webapp.shop',
      trigger: { kind: 'flagger' },
    });
    const exposure = (await h.store.events.forDeploy(id)).flatMap((e) =>
      e.event.type === 'stage:advanced' ? [[e.at - T0, e.event.traffic]] : [],
    );
    expect(exposure).toEqual([
      [0, 0],
      [0, 10],
      [MIN, 20],
    ]);
  });

  it("fail: the rollback hook answers 200 (Flagger rolls back), promotion holds; Flagger's Failed changes nothing", async () => {
    await h.push({ ...GOOD, 'http_error_ratio{service="webapp"}': (m) => (m > 0 ? 0.4 : 0.01) }, -60, 60);
    const id = String((await flagger.start(10)).body.deployId);
    h.clock.advance(MIN);
    const rollback = await flagger.gate('rollback');
    expect(rollback).toMatchObject({
      ok: true,
      status: 200,
      body: { verdict: 'fail', state: 'rolled_back' },
    });
    expect(await flagger.gate('confirm-traffic-increase')).toMatchObject({
      ok: false,
      status: 409,
      body: { verdict: 'fail' },
    });
    expect(await flagger.gate('confirm-promotion')).toMatchObject({ ok: false, body: { verdict: 'fail' } });
    await flagger.event('Progressing', 'Rolling back webapp.shop manual webhook invoked', 'Warning');
    expect(
      (await flagger.event('Failed', 'Canary failed! Scaling down webapp.shop', 'Warning')).body,
    ).toMatchObject({ state: 'rolled_back' });
    const d = await h.store.deploys.get(id);
    expect(d).toMatchObject({ state: 'rolled_back' });
    expect(d!.reason).toContain('error-ratio');
    expect(await eventTypes(id)).toEqual([
      'deploy:started',
      'stage:advanced',
      'stage:advanced',
      'check:breached',
      'deploy:rolling_back',
      'deploy:rolled_back',
    ]);
  });

  it('no_data: traffic increase and promotion hold, and no rollback either', async () => {
    await flagger.start(10);
    h.clock.advance(MIN);
    expect(await flagger.gate('confirm-traffic-increase')).toMatchObject({
      ok: false,
      status: 409,
      body: { verdict: 'no_data' },
    });
    expect(await flagger.gate('confirm-promotion')).toMatchObject({
      ok: false,
      body: { verdict: 'no_data' },
    });
    expect(await flagger.gate('rollback')).toMatchObject({
      ok: false,
      body: { verdict: 'no_data', state: 'running' },
    });
  });

  it("records Flagger's own rollback (its metrics failed) as an automatic rollback", async () => {
    await h.push(GOOD, -60, 60);
    const id = String((await flagger.start(10)).body.deployId);
    h.clock.advance(2 * MIN);
    await flagger.event(
      'Progressing',
      'Rolling back webapp.shop failed checks threshold reached 5',
      'Warning',
    );
    await flagger.event('Failed', 'Canary failed! Scaling down webapp.shop', 'Warning');
    expect(await h.store.deploys.get(id)).toMatchObject({
      state: 'rolled_back',
      reason: 'Canary failed! Scaling down webapp.shop',
    });
    const last = (await h.store.events.forDeploy(id)).at(-1)!.event;
    expect(last).toMatchObject({ type: 'deploy:rolled_back', automatic: true });
  });

  it('without checksums (older Flagger) the calls land on the open deploy of the canary', async () => {
    const old = new FakeFlagger(h, await h.token(['deploy']), undefined);
    await h.push(GOOD, -60, 60);
    const id = String((await old.start(10)).body.deployId);
    h.clock.advance(MIN);
    expect(await old.gate('confirm-traffic-increase')).toMatchObject({ ok: true, body: { deployId: id } });
    expect(
      (await old.event('Succeeded', 'Promotion completed! Scaling down webapp.shop')).body,
    ).toMatchObject({ deployId: id, state: 'promoted' });
  });

  it('a rollback gate before the analysis creates nothing', async () => {
    expect(await flagger.gate('rollback', 'Waiting')).toMatchObject({
      ok: false,
      body: { deployId: null, verdict: 'no_data' },
    });
    expect(await flagger.event('Initialized', 'Initialization done! webapp.shop')).toMatchObject({
      ok: true,
      body: { outcome: null, recorded: false },
    });
    expect(await h.store.deploys.list({})).toEqual([]);
  });

  it('refuses a missing or foreign token: Flagger holds (non-2xx) and nothing is recorded', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/flagger/confirm-promotion',
      payload: { name: 'webapp', namespace: 'shop', phase: 'Progressing', metadata: { service: 'webapp' } },
    });
    expect(res.statusCode).toBe(401);
    const foreign = new FakeFlagger(h, await h.token(['deploy'], { services: ['billing'] }));
    expect(await foreign.gate('confirm-promotion')).toMatchObject({ ok: false, status: 403 });
    const reader = new FakeFlagger(h, await h.token(['read']));
    expect(await reader.start(10)).toMatchObject({ ok: false, status: 403 });
    expect(await h.store.deploys.list({})).toEqual([]);
  });
});
