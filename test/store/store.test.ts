import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/events/lifecycle-event.js';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { migrate } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/store.js';
import { storeDrivers } from '../support/stores.js';

const ref = (d: Deploy) => ({
  id: d.id,
  service: d.service,
  version: d.version,
  previousVersion: d.previousVersion,
  changes: d.changes,
  state: d.state,
  stageIndex: d.stageIndex,
  stage: null,
  traffic: 0,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const driver of storeDrivers) {
  describe.skipIf(driver.skip)(
    `store on ${driver.name}${driver.skip ? ` (skipped: ${driver.skip})` : ''}`,
    () => {
      let store: Store;
      let dispose: () => Promise<void>;
      beforeAll(async () => {
        ({ store, dispose } = await driver.open());
      });
      afterAll(async () => dispose?.());

      it('creates deploys idempotently on (service, idempotency key)', async () => {
        const input = {
          service: 'webapp',
          version: 'v1',
          changes: [{ id: '#1', title: 'Fix login', author: 'alice' }],
          trigger: { kind: 'ci' as const, actor: 'ci-42' },
          idempotencyKey: 'k-1',
        };
        const first = await store.deploys.create(input, 1000, 'd_a', [
          { at: 1000, actor: 'ci-42', event: { type: 'deploy:queued' } as unknown as LifecycleEvent },
        ]);
        expect(first.created).toBe(true);
        expect(first.events).toHaveLength(1);
        expect(first.deploy).toMatchObject({
          id: 'd_a',
          state: 'queued',
          stageIndex: -1,
          revision: 0,
          changes: input.changes,
        });
        const again = await store.deploys.create(input, 2000, 'd_b');
        expect(again).toMatchObject({ created: false, deploy: { id: 'd_a' } });
        expect(await store.deploys.get('d_b')).toBeNull();
        // Without a key every request is a new deploy.
        const a = await store.deploys.create({ ...input, idempotencyKey: null }, 3000, 'd_c');
        const b = await store.deploys.create({ ...input, idempotencyKey: null }, 3000, 'd_d');
        expect([a.created, b.created]).toEqual([true, true]);
        expect((await store.deploys.list({ service: 'webapp' })).map((d) => d.id)).toEqual([
          'd_d',
          'd_c',
          'd_a',
        ]);
        expect(await store.deploys.servicesWithWork()).toEqual(['webapp']);
      });

      it('writes deploys compare-and-set and appends their events in the same transaction', async () => {
        const d = (await store.deploys.get('d_a'))!;
        const next: Deploy = {
          ...d,
          state: 'running',
          stageIndex: 0,
          startedAt: 5000,
          pending: { kind: 'shift', stageIndex: 0, traffic: 1, key: 'd_a:shift:0:0' },
        };
        const ev: LifecycleEvent = { type: 'deploy:started', deploy: ref(next) };
        const done = await store.deploys.update(next, [{ at: 5000, actor: 'engine', event: ev }]);
        expect(done?.deploy).toMatchObject({ state: 'running', revision: 1, pending: next.pending });
        expect(done?.events[0]).toMatchObject({ deployId: 'd_a', service: 'webapp', event: ev, at: 5000 });
        // A stale writer (same revision) loses, and its events are not written.
        const before = await store.events.latestSeq();
        expect(
          await store.deploys.update({ ...next, state: 'paused' }, [{ at: 6000, actor: 'x', event: ev }]),
        ).toBeNull();
        expect(await store.events.latestSeq()).toBe(before);
        expect((await store.deploys.get('d_a'))?.state).toBe('running');
        expect((await store.events.forDeploy('d_a')).map((e) => e.event.type)).toEqual([
          'deploy:queued',
          'deploy:started',
        ]);
      });

      it('lists again reusing the deploys whose revision is unchanged, and reads the changed ones', async () => {
        const filter = { service: 'webapp', limit: 10 };
        const first = await store.deploys.listKnown(filter, new Map());
        expect(first).toEqual(await store.deploys.list(filter));
        const known = new Map(first.map((d) => [d.id, d]));
        const d = known.get('d_c')!;
        const moved = (await store.deploys.update({ ...d, reason: 'moved on' }, []))!.deploy;
        const again = await store.deploys.listKnown(filter, known);
        expect(again.map((x) => x.id)).toEqual(first.map((x) => x.id));
        // Unchanged rows are the very objects passed in; the changed one is read anew.
        expect(again.find((x) => x.id === 'd_a')).toBe(known.get('d_a'));
        expect(again.find((x) => x.id === 'd_c')).toEqual(moved);
        expect(again.find((x) => x.id === 'd_c')?.reason).toBe('moved on');
        // A known object with a stale revision is never returned.
        const staleKnown = new Map(known).set('d_c', d);
        expect(
          (await store.deploys.listKnown(filter, staleKnown)).find((x) => x.id === 'd_c')?.revision,
        ).toBe(moved.revision);
      });

      it('fences writes with the service lease token', async () => {
        expect(await store.leases.acquire('webapp', 'r1', 5000)).toBe(1);
        expect(await store.leases.acquire('webapp', 'r1', 5000)).toBe(1); // re-acquire keeps the token
        expect(await store.leases.acquire('webapp', 'r2', 5000)).toBeNull(); // held by r1
        const d = (await store.deploys.get('d_a'))!;
        expect(
          await store.deploys.update({ ...d, reason: 'stale' }, [], { owner: 'r2', token: 1 }),
        ).toBeNull();
        const ok = await store.deploys.update({ ...d, reason: 'fenced' }, [], { owner: 'r1', token: 1 });
        expect(ok?.deploy.reason).toBe('fenced');
        // The lease lapses; r2 takes over with a higher token; r1 can no longer write.
        await store.leases.release('webapp', 'r1', 1);
        expect(await store.leases.acquire('webapp', 'r2', 5000)).toBe(2);
        expect(await store.leases.renew('webapp', 'r1', 1, 5000)).toBe(false);
        const cur = (await store.deploys.get('d_a'))!;
        expect(
          await store.deploys.update({ ...cur, reason: 'zombie' }, [], { owner: 'r1', token: 1 }),
        ).toBeNull();
        expect(await store.leases.renew('webapp', 'r2', 2, 5000)).toBe(true);
        expect(await store.leases.owned('r2')).toEqual([{ service: 'webapp', token: 2 }]);
      });

      it('expires leases on the database clock', async () => {
        expect(await store.leases.acquire('api', 'r1', 50)).toBe(1);
        await sleep(120);
        expect(await store.leases.acquire('api', 'r2', 5000)).toBe(2);
        expect(await store.leases.heartbeat('r1', 5000)).toBe(1);
        expect(await store.leases.heartbeat('r2', 5000)).toBe(2);
        await store.leases.leave('r1');
        expect(await store.leases.heartbeat('r2', 5000)).toBe(1);
      });

      it('keeps the event log ordered for tailing readers', async () => {
        const start = await store.events.latestSeq();
        const hold = { id: 'h1', scope: 'all' as const, target: null, reason: 'incident' };
        await store.events.append([
          { at: 1, actor: 'a', event: { type: 'hold:set', hold } },
          { at: 2, actor: 'a', event: { type: 'hold:released', hold } },
        ]);
        const tail = await store.events.after(start, 10);
        expect(tail.map((e) => e.event.type)).toEqual(['hold:set', 'hold:released']);
        expect(tail[1].seq).toBeGreaterThan(tail[0].seq);
        expect(await store.events.after(tail[1].seq, 10)).toEqual([]);
      });

      it('stores evaluations in batches and reads them per deploy in time order', async () => {
        const decision = {
          action: 'continue' as const,
          reason: 'ok',
          alerts: [],
          culprits: [],
          blind: false,
        };
        const results = [
          {
            name: 'error-ratio',
            verdict: 'pass' as const,
            action: 'rollback' as const,
            reason: 'ok',
            evidence: { z: 0.4 },
          },
        ];
        await store.evaluations.insert([
          { deployId: 'd_a', at: 2000, stageIndex: 0, results, decision },
          { deployId: 'd_a', at: 1000, stageIndex: 0, results, decision },
          { deployId: 'd_c', at: 1000, stageIndex: 0, results, decision },
        ]);
        const rows = await store.evaluations.forDeploy('d_a');
        expect(rows.map((r) => r.at)).toEqual([1000, 2000]);
        expect(rows[0]).toEqual({ deployId: 'd_a', at: 1000, stageIndex: 0, results, decision });
        expect((await store.evaluations.forDeploy('d_a', { limit: 1 })).map((r) => r.at)).toEqual([2000]);
      });

      it('stores evaluations whose text holds backslashes, tabs, newlines, quotes and non-ASCII', async () => {
        const awkward = 'p95 \\ "slow"\tcolumn\nnext line\r\\N – 延迟 😀';
        const decision = {
          action: 'pause' as const,
          reason: awkward,
          alerts: [awkward],
          culprits: [],
          blind: false,
        };
        const results = [
          {
            name: 'lat\\ency',
            verdict: 'breach' as const,
            action: 'pause' as const,
            reason: awkward,
            evidence: { z: 4.2, note: awkward },
          },
        ];
        const id = 'd_odd\\id';
        await store.evaluations.insert([{ deployId: id, at: 5000, stageIndex: 2, results, decision }]);
        expect(await store.evaluations.forDeploy(id)).toEqual([
          { deployId: id, at: 5000, stageIndex: 2, results, decision },
        ]);
      });

      it('sets and releases holds', async () => {
        await store.holds.create({
          id: 'h_1',
          scope: 'team',
          target: 'payments',
          reason: 'incident INC-7',
          actor: 'bob',
          createdAt: 10,
        });
        expect((await store.holds.active()).map((h) => h.id)).toEqual(['h_1']);
        expect(await store.holds.release('h_1', 'carol', 20)).toMatchObject({
          releasedAt: 20,
          releasedBy: 'carol',
        });
        expect(await store.holds.release('h_1', 'carol', 30)).toBeNull();
        expect(await store.holds.active()).toEqual([]);
      });

      it('stores tokens by hash only and revokes them', async () => {
        const t = {
          id: 't_1',
          name: 'ci',
          scopes: ['deploy' as const],
          services: ['webapp'],
          teams: [],
          createdAt: 1,
          revokedAt: null,
        };
        await store.tokens.create(t, 'hash-abc');
        expect(await store.tokens.findByHash('hash-abc')).toEqual(t);
        expect(await store.tokens.findByHash('other')).toBeNull();
        expect(await store.tokens.revoke('t_1', 9)).toBe(true);
        expect((await store.tokens.findByHash('hash-abc'))?.revokedAt).toBe(9);
      });

      it('records the audit trail', async () => {
        await store.audit.record({
          at: 5,
          actor: 'alice',
          action: 'deploy.pause',
          target: 'd_a',
          details: { reason: 'looks off' },
        });
        expect(await store.audit.list({ target: 'd_a' })).toEqual([
          { at: 5, actor: 'alice', action: 'deploy.pause', target: 'd_a', details: { reason: 'looks off' } },
        ]);
      });

      it('queues notifications once per dedup key, claims them exclusively and retries them', async () => {
        const n = await store.outbox.enqueue([
          { notifier: 'slack', dedupKey: 'e1:slack', deployId: 'd_a', payload: { a: 1 }, availableAt: 100 },
          { notifier: 'slack', dedupKey: 'e2:slack', deployId: 'd_a', payload: { a: 2 }, availableAt: 100 },
        ]);
        expect(n).toBe(2);
        expect(
          await store.outbox.enqueue([
            { notifier: 'slack', dedupKey: 'e1:slack', payload: {}, availableAt: 100 },
          ]),
        ).toBe(0);
        const [one, other] = await Promise.all([
          store.outbox.claim('r1', 100, 1, 1000),
          store.outbox.claim('r2', 100, 5, 1000),
        ]);
        expect([...one, ...other].map((i) => i.dedupKey).sort()).toEqual(['e1:slack', 'e2:slack']);
        expect(await store.outbox.claim('r3', 100, 5, 1000)).toEqual([]); // both claimed
        const first = [...one, ...other].find((i) => i.dedupKey === 'e1:slack')!;
        await store.outbox.failed(first.id, 'slack 503', 500, 100);
        expect(await store.outbox.claim('r3', 400, 5, 1000)).toEqual([]); // not due yet, e2 still claimed
        const retried = await store.outbox.claim('r3', 500, 5, 1000);
        expect(retried.map((i) => [i.dedupKey, i.attempts, i.lastError])).toEqual([
          ['e1:slack', 1, 'slack 503'],
        ]);
        await store.outbox.delivered(first.id, 600);
        const second = [...one, ...other].find((i) => i.dedupKey === 'e2:slack')!;
        await store.outbox.failed(second.id, 'channel_not_found', null, 600);
        expect(await store.outbox.stats()).toEqual({ pending: 0, failed: 1, delivered: 1 });
        expect((await store.outbox.forDeploy('d_a')).map((i) => [i.deliveredAt, i.failedAt])).toEqual([
          [600, null],
          [null, 600],
        ]);
      });

      it('compare-and-sets small values', async () => {
        expect(await store.kv.get('cursor', 'slack')).toBeNull();
        expect(await store.kv.compareAndSet('cursor', 'slack', null, { seq: 1 })).toBe(true);
        expect(await store.kv.compareAndSet('cursor', 'slack', null, { seq: 2 })).toBe(false);
        expect(await store.kv.compareAndSet('cursor', 'slack', { seq: 1 }, { seq: 3 })).toBe(true);
        expect(await store.kv.compareAndSet('cursor', 'slack', { seq: 1 }, { seq: 4 })).toBe(false);
        await store.kv.set('cursor', 'slack', { seq: 9 });
        expect(await store.kv.get('cursor', 'slack')).toEqual({ seq: 9 });
      });

      it('finds the last promoted version', async () => {
        const d = (await store.deploys.get('d_c'))!;
        await store.deploys.update({ ...d, state: 'promoted', endedAt: 9000 }, []);
        expect(await store.deploys.lastPromotedVersion('webapp')).toBe('v1');
        expect(await store.deploys.lastPromotedVersion('other')).toBeNull();
        expect(await store.deploys.lastPromotedVersions()).toEqual(new Map([['webapp', 'v1']]));
      });
    },
  );
}

describe('migrations', () => {
  it('apply once: a second run applies nothing', { timeout: 120_000 }, async () => {
    const { store, dispose, url } = await storeDrivers[0].open();
    expect(url).toBe('memory:');
    // openStore already migrated; migrate() on a fresh db is exercised there. Here: re-running is a no-op.
    const { openPgliteDb } = await import('../../src/store/pglite/pglite-db.js');
    const db = await openPgliteDb();
    expect((await migrate(db)).length).toBeGreaterThan(0);
    expect(await migrate(db)).toEqual([]);
    await db.close();
    await dispose();
    expect(store.kind).toBe('pglite');
  });
});
