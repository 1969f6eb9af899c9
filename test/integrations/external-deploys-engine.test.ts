import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExternalDeploys } from '../../src/integrations/external-deploys.js';
import { externalKey } from '../../src/integrations/external-key.js';
import { exposeExternal } from '../../src/integrations/external-transitions.js';
import { deployRef } from '../../src/pipeline/deploy-ref.js';
import type { Store } from '../../src/store/store.js';
import { configFrom } from '../support/config.js';
import { FOUR_STAGES, makeHarness, T0 } from '../support/engine-harness.js';
import { ScriptedAnalyzer } from '../support/scripted-analyzer.js';
import { storeDrivers } from '../support/stores.js';

const argo = { kind: 'argo' as const, actor: 'argo-rollouts' };

describe('the engine and external deploys', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await storeDrivers[0].open());
  });
  afterEach(async () => dispose());

  it('never ticks an external deploy, and a releasebot deploy of the same service still runs to the end', async () => {
    const config = configFrom(FOUR_STAGES);
    const analyzer = new ScriptedAnalyzer();
    const h = makeHarness(store, config, { analyzer });
    const external = new ExternalDeploys({ config, store, clock: h.clock, analyzer });
    const svc = config.services.webapp;
    const ext = await external.ensure(
      { service: 'webapp', key: externalKey('argo', 'shop', 'webapp', 'h1'), weight: 5, trigger: argo },
      svc,
    );
    expect(ext).toMatchObject({ driver: 'external', state: 'running', externalTraffic: 5 });
    // Only the external deploy is open: no work for the scheduler.
    expect(await store.deploys.servicesWithWork()).toEqual([]);
    expect(await h.engine.nextDueAt('webapp')).toBeNull();

    const { deploy } = await h.service.createDeploy({
      service: 'webapp',
      version: 'v2',
      trigger: { kind: 'ci', actor: 'ci' },
    });
    expect(await store.deploys.servicesWithWork()).toEqual(['webapp']);
    await h.settle('webapp');

    expect(await store.deploys.get(deploy.id)).toMatchObject({ state: 'promoted' });
    expect(h.deployer.calls.every((c) => c.deployId === deploy.id)).toBe(true);
    expect(h.deployer.calls.map((c) => c.action)).toEqual(['shift', 'shift', 'shift', 'shift', 'promote']);
    expect(analyzer.requests.some((r) => r.deploy.id === ext.id)).toBe(false);
    // Untouched: same revision, no events beyond its own.
    expect(await store.deploys.get(ext.id)).toEqual(ext);
    expect((await store.events.forDeploy(ext.id)).map((e) => e.event.type)).toEqual([
      'deploy:started',
      'stage:advanced',
    ]);
    // A round over the service does not judge it either.
    await h.engine.tickRound([{ service: 'webapp' }], []);
    expect(analyzer.requests.some((r) => r.deploy.id === ext.id)).toBe(false);
  });

  it("events of external deploys carry the external weight, not the stage plan's", async () => {
    const config = configFrom(FOUR_STAGES);
    const h = makeHarness(store, config);
    const svc = config.services.webapp;
    const external = new ExternalDeploys({ config, store, clock: h.clock, analyzer: h.analyzer });
    const d = await external.ensure(
      { service: 'webapp', key: externalKey('flagger', 'shop', 'webapp', 'c1'), weight: 30, trigger: argo },
      svc,
    );
    // 30% lies between the plan's ten (10%) and half (50%) stages: judged as `ten`, shown at 30%.
    expect(deployRef(d, svc)).toMatchObject({ stage: 'ten', traffic: 30 });
    h.clock.set(T0 + 60_000);
    const t = exposeExternal(d, svc, h.clock.now(), 60);
    expect(t.next).toMatchObject({ stageIndex: 2, externalTraffic: 60, stageStartedAt: T0 + 60_000 });
    expect(t.events).toEqual([
      expect.objectContaining({ type: 'stage:advanced', from: 'ten', to: 'half', traffic: 60 }),
    ]);
    expect(exposeExternal(t.next, svc, h.clock.now(), 60).events).toEqual([]);
  });
});

describe.each(storeDrivers)('external deploys in the store ($name)', (driver) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async (ctx) => {
    if (driver.skip) ctx.skip(driver.skip);
    ({ store, dispose } = await driver.open());
  });
  afterEach(async () => dispose?.());

  it('keeps the driver and the external weight, finds deploys by key and filters by driver', async () => {
    const ext = await store.deploys.create(
      {
        service: 'web',
        version: 'h1',
        trigger: argo,
        idempotencyKey: 'argo:shop/web:h1',
        driver: 'external',
      },
      T0,
      'd_ext',
    );
    const own = await store.deploys.create({ service: 'web', version: 'v2', trigger: argo }, T0 + 1, 'd_own');
    expect(ext.deploy).toMatchObject({ driver: 'external', externalTraffic: null });
    expect(own.deploy).toMatchObject({ driver: 'releasebot', externalTraffic: null });
    const moved = await store.deploys.update(
      { ...ext.deploy, state: 'running', stageIndex: 0, externalTraffic: 12.5 },
      [],
    );
    expect(moved?.deploy).toMatchObject({ state: 'running', externalTraffic: 12.5, driver: 'external' });
    expect(await store.deploys.byKey('web', 'argo:shop/web:h1')).toMatchObject({
      id: 'd_ext',
      externalTraffic: 12.5,
    });
    expect(await store.deploys.byKey('web', 'argo:shop/web:h2')).toBeNull();
    expect((await store.deploys.list({ driver: 'external' })).map((d) => d.id)).toEqual(['d_ext']);
    expect((await store.deploys.list({ driver: 'releasebot' })).map((d) => d.id)).toEqual(['d_own']);
    expect((await store.deploys.list({})).map((d) => d.id)).toEqual(['d_own', 'd_ext']);
    expect(await store.deploys.servicesWithWork()).toEqual(['web']); // the queued releasebot deploy
    await store.deploys.update({ ...own.deploy, state: 'aborted', endedAt: T0 + 2 }, []);
    expect(await store.deploys.servicesWithWork()).toEqual([]);
  });
});
