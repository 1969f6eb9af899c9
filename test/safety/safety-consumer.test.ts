import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { loadSafetyReport } from '../../src/safety/load-safety-report.js';
import {
  drainSafetyEvents,
  SAFETY_CURSOR_KEY,
  SAFETY_CURSOR_NS,
  startSafetyConsumer,
} from '../../src/safety/safety-consumer.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { makeHarness, T0 } from '../support/engine-harness.js';
import { ScriptedAnalyzer } from '../support/scripted-analyzer.js';
import { storeDrivers } from '../support/stores.js';
import { PersistenceAnalyzer } from './support/persistence-analyzer.js';
import { safetyConfig } from './support/safety-config.js';
import { SlowRollbackDeployer } from './support/slow-rollback-deployer.js';

const MIN = 60_000;
const user = { kind: 'user' as const, actor: 'alice' };
const config = safetyConfig();

for (const driver of storeDrivers) {
  describe.skipIf(driver.skip)(
    `safety consumer on ${driver.name}${driver.skip ? ` (skipped: ${driver.skip})` : ''}`,
    () => {
      let store: Store;
      let url: string;
      let dispose: () => Promise<void>;
      // One store for the file (PGlite takes seconds to open); each test has its own service, and every test drains
      // the whole log, so each starts with nothing pending.
      beforeAll(async () => {
        ({ store, url, dispose } = await driver.open());
      });
      afterAll(async () => dispose?.());
      const incidentsOf = (service: string) => store.incidents.list({ services: [service] });

      it('opens one incident per automatic rollback, dated from the evaluations, and never a second one', async () => {
        // web-a: canary 1% for 10m, then 10%; evaluated every minute. The check flags from T0+8.5m and persistence
        // needs 3 of 3, so: flagged at +9, +10 (still pass; the bake ends at +10 and traffic shifts to 10% at +10),
        // +11 (breach → rollback decided at +11). The rollback takes 2 minutes: rolled back at +13.
        const deployer = new SlowRollbackDeployer(2 * MIN);
        const h = makeHarness(store, config, {
          analyzer: new PersistenceAnalyzer({ v2: T0 + 8.5 * MIN }),
          deployer,
        });
        deployer.clock = h.clock;
        const { deploy } = await h.service.createDeploy({ service: 'web-a', version: 'v2', trigger: user });
        await h.settle('web-a');
        expect(await store.deploys.get(deploy.id)).toMatchObject({
          state: 'rolled_back',
          endedAt: T0 + 13 * MIN,
        });

        const deps = { store, clock: h.clock, logger: silentLogger };
        expect(await drainSafetyEvents(deps)).toBe(1);
        expect(await drainSafetyEvents(deps)).toBe(0);
        // A crash before the cursor moved replays the events: still one incident.
        await store.kv.set(SAFETY_CURSOR_NS, SAFETY_CURSOR_KEY, 0);
        expect(await drainSafetyEvents(deps)).toBe(0);

        const incidents = await incidentsOf('web-a');
        expect(incidents).toHaveLength(1);
        // Hand computation:
        //   breaching run of the culprit = evaluations at +9, +10, +11 (bit 0 of `recent` set); the evaluation
        //   before it (+8) saw nothing → impact start = T0+8m.
        //   detection = the rollback decision = +11. Mitigation = rolled back = +13.
        //   exposure over [+8, +13]: 1% for 2 min (+8..+10), 10% for 3 min (+10..+13) → (2·1 + 3·10) / 5 = 6.4%.
        expect(incidents[0]).toMatchObject({
          impactStart: T0 + 8 * MIN,
          detectedAt: T0 + 11 * MIN,
          mitigatedAt: T0 + 13 * MIN,
          endedAt: null,
          services: ['web-a'],
          deployIds: [deploy.id],
          severity: 'high',
          remediation: 'automatic',
          source: 'automatic',
        });
        expect(incidents[0].exposurePct).toBeCloseTo(6.4, 10);
        expect(incidents[0].title).toBe('web-a v2 rolled back automatically (error-ratio)');

        // The report shows it as a change-triggered incident against the 10-minute automatic goal.
        // TTD = 11 − 8 = 3 min; TTR = 13 − 8 = 5 min; raw hours = 5/60; weighted = 5/60 · 0.064.
        const report = await loadSafetyReport(
          { store, config, clock: h.clock },
          { period: 'week', service: 'web-a' },
        );
        expect(report.incidents).toHaveLength(1);
        expect(report.incidents[0]).toMatchObject({
          counted: true,
          ttdMs: 3 * MIN,
          ttrMs: 5 * MIN,
          goalMs: 10 * MIN,
          detectedWithinGoal: true,
          remediatedWithinGoal: true,
        });
        expect(report.incidents[0].hours.raw).toBeCloseTo(5 / 60, 10);
        expect(report.incidents[0].hours.weighted).toBeCloseTo((5 / 60) * 0.064, 10);
        expect(report.totals).toMatchObject({
          incidents: 1,
          badDeploys: 1,
          stoppedBefore10: 0,
          automatic: 1,
          manual: 0,
        });
        expect(report.totals.dora.byService['web-a']).toMatchObject({
          deploys: 1,
          failed: 1,
          changeFailureRate: 1,
        });
        expect(report.totals.dora.byService['web-a'].recovery.median).toBe(5 * MIN);
      });

      it('opens exactly one incident per deploy when two consumers run at once', async () => {
        // v2 flags from its third minute (caught at 1%); v3 flags from its first evaluation, so its breaching run
        // reaches back to the deploy's first evaluation and the impact dates from its first traffic shift.
        const analyzer = new PersistenceAnalyzer({ v2: T0 + 2.5 * MIN, v3: 0 });
        const h = makeHarness(store, config, { analyzer });
        const { deploy: v2 } = await h.service.createDeploy({
          service: 'web-b',
          version: 'v2',
          trigger: user,
        });
        await h.settle('web-b');
        const v3Start = h.clock.now();
        const { deploy: v3 } = await h.service.createDeploy({
          service: 'web-b',
          version: 'v3',
          trigger: user,
        });
        await h.settle('web-b');
        expect((await store.deploys.get(v3.id))?.state).toBe('rolled_back');

        // On PostgreSQL the second consumer is another replica: its own connection pool on the same database.
        const other = driver.name === 'postgres' ? await openStore({ url }) : store;
        try {
          const consumer = (s: Store) =>
            drainSafetyEvents({ store: s, clock: h.clock, logger: silentLogger, batchSize: 3 });
          const [a, b] = await Promise.all([consumer(store), consumer(other)]);
          expect(a + b).toBe(2);
          const again = await Promise.all([consumer(store), consumer(other)]);
          expect(again).toEqual([0, 0]);
        } finally {
          if (other !== store) await other.close();
        }
        const incidents = await incidentsOf('web-b');
        expect(incidents.map((i) => i.deployIds[0]).sort()).toEqual([v2.id, v3.id].sort());
        const byDeploy = new Map(incidents.map((i) => [i.deployIds[0], i]));
        // v2: flagged at +3, +4, +5 → decided at +5 (rollback instant) → start = evaluation at +2.
        expect(byDeploy.get(v2.id)).toMatchObject({
          impactStart: T0 + 2 * MIN,
          detectedAt: T0 + 5 * MIN,
          mitigatedAt: T0 + 5 * MIN,
          exposurePct: 1,
        });
        // v3 started at v3Start; its first shift (1%) completed then; flagged at +1, +2, +3 → decided at +3.
        expect(byDeploy.get(v3.id)).toMatchObject({
          impactStart: v3Start,
          detectedAt: v3Start + 3 * MIN,
          mitigatedAt: v3Start + 3 * MIN,
          exposurePct: 1,
        });
      });

      it('keeps the incident of a failed rollback open, then records the mitigation of the retry', async () => {
        const h = makeHarness(store, config, { analyzer: new PersistenceAnalyzer({ v2: T0 + 2.5 * MIN }) });
        h.deployer.failNext.push({ action: 'rollback', output: 'kubectl: connection refused' });
        const { deploy } = await h.service.createDeploy({ service: 'web-c', version: 'v2', trigger: user });
        await h.settle('web-c');
        expect((await store.deploys.get(deploy.id))?.state).toBe('failed');
        const deps = { store, clock: h.clock, logger: silentLogger };
        expect(await drainSafetyEvents(deps)).toBe(1);
        expect((await incidentsOf('web-c'))[0]).toMatchObject({
          detectedAt: T0 + 5 * MIN,
          mitigatedAt: null,
        });

        h.clock.advance(4 * MIN);
        await h.service.operate('rollback', deploy.id, 'bob', 'retry by hand');
        await h.settle('web-c');
        expect(await drainSafetyEvents(deps)).toBe(0);
        const [incident] = await incidentsOf('web-c');
        expect(incident).toMatchObject({ mitigatedAt: T0 + 9 * MIN, revision: 1 });
      });

      it('opens nothing for manual rollbacks and promoted deploys', async () => {
        const h = makeHarness(store, config, { analyzer: new ScriptedAnalyzer(() => 'continue') });
        const { deploy } = await h.service.createDeploy({ service: 'web-d', version: 'v2', trigger: user });
        await h.settle('web-d', { untilMs: T0 + 3 * MIN });
        await h.service.operate('rollback', deploy.id, 'bob', 'looks wrong');
        await h.settle('web-d');
        const { deploy: good } = await h.service.createDeploy({
          service: 'web-d',
          version: 'v3',
          trigger: user,
        });
        await h.settle('web-d');
        expect((await store.deploys.get(deploy.id))?.state).toBe('rolled_back');
        expect((await store.deploys.get(good.id))?.state).toBe('promoted');
        expect(await drainSafetyEvents({ store, clock: h.clock, logger: silentLogger })).toBe(0);
        expect(await incidentsOf('web-d')).toEqual([]);
        expect(await store.kv.get(SAFETY_CURSOR_NS, SAFETY_CURSOR_KEY)).toBe(await store.events.latestSeq());
      });

      it('runs in the background and wakes on the bus', async () => {
        const h = makeHarness(store, config, { analyzer: new PersistenceAnalyzer({ v2: T0 + 2.5 * MIN }) });
        const consumer = startSafetyConsumer({
          store,
          clock: h.clock,
          logger: silentLogger,
          bus: h.bus,
          pollMs: 3_600_000,
        });
        try {
          await h.service.createDeploy({ service: 'web-e', version: 'v2', trigger: user });
          await h.settle('web-e');
          await vi.waitFor(async () => expect(await incidentsOf('web-e')).toHaveLength(1), {
            timeout: 10_000,
          });
          expect(await consumer.drainOnce()).toBe(0);
        } finally {
          await consumer.stop();
        }
      });
    },
  );
}
