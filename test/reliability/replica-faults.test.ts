// Three `releasebot serve` replicas on one fresh PostgreSQL database walk 200 deploys (20 services) through their
// stages on an accelerated clock (1 s intervals, seconds-long bakes), while a random replica is SIGKILLed every few
// seconds and restarted. The webhook deployer's receiver counts every delivery and applies each idempotency key once.
// Then SIGTERM: a replica with a deployer action in flight finishes it, hands its leases back and exits 0.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { systemClock } from '../../src/time/clock.js';
import { makeCluster, type Cluster, type Replica } from '../support/cluster.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';
import { CountingDeployer, type AppliedAction } from './support/counting-deployer.js';
import { startMetricPusher, type MetricPusher } from './support/metric-pusher.js';

const SERVICES = 20;
const PER_SERVICE = 10;
const LEASE = '3s';
const SECRET = 'whsec-fault-test-3f9a';
const METRIC = 'rb_error_ratio';
/** Deterministic choice of bad versions: about a fifth of them, spread over services and queue positions. */
const isBad = (svc: number, n: number) => (svc * 7 + n * 3) % 5 === 0;
const service = (i: number) => `s${String(i).padStart(2, '0')}`;

function configYaml(dbUrl: string, deployerUrl: string): string {
  const services = Array.from({ length: SERVICES }, (_, i) => `  ${service(i)}: {}`).join('\n');
  return `
store: { url: '${dbUrl}' }
server: { rateLimit: 1000000 }
cluster: { leaseTime: ${LEASE} }
sources: { builtin: { type: builtin } }
defaults:
  source: builtin
  interval: 1s
  deployer: { type: webhook, url: '${deployerUrl}', secret: '\${DEPLOYER_SECRET}', timeout: 10s, retries: 3 }
  stages:
    - { name: canary, traffic: 10, bake: 3s }
    - { name: full, traffic: 100, bake: 2s }
  checks:
    - name: errors
      query: '${METRIC}{service="{{service}}"}'
      kind: gauge
      direction: up
      action: rollback
      static: { max: 0.05 }
      zscore: false
      dynamic: false
      compare: false
      persistence: { breaches: 1, of: 1 }
      grace: 5
services:
${services}
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(postgresSkipReason !== null)('replicas under SIGKILL and SIGTERM (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: Store;
  let admin: pg.Pool;
  let deployer: CountingDeployer;
  let cluster: Cluster;
  let pusher: MetricPusher | undefined;
  let token: string;
  const expected = new Map<string, 'promoted' | 'rolled_back'>();

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await openStore({ url: db.url });
    admin = new pg.Pool({ connectionString: db.url, max: 2 });
    deployer = await CountingDeployer.start(SECRET);
    cluster = await makeCluster({
      size: 3,
      config: configYaml(db.url, deployer.url),
      env: { DEPLOYER_SECRET: SECRET, RELEASEBOT_LOG_LEVEL: 'info' },
    });
    token = (await createApiToken(store, systemClock, { name: 'fault-test', scopes: ['deploy'] })).secret;
    await Promise.all(cluster.replicas.map((r) => r.start()));
  }, 120_000);

  afterAll(async () => {
    await pusher?.stop();
    await cluster?.close();
    await deployer?.close();
    await admin?.end();
    await store?.close();
    await db?.drop();
  }, 60_000);

  const up = () => cluster.replicas.filter((r) => r.running);

  /** POSTs through whichever replica answers, the same Idempotency-Key each try (a replica may be down). */
  async function createDeploy(svc: string, version: string): Promise<Deploy> {
    for (let attempt = 0; ; attempt++) {
      const r = up()[attempt % Math.max(1, up().length)] ?? cluster.replicas[0];
      const res = await fetch(`${r.url}/api/v1/deploys`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `${svc}:${version}`,
        },
        body: JSON.stringify({ service: svc, version }),
      }).catch(() => null);
      if (res && (res.status === 201 || res.status === 200))
        return ((await res.json()) as { deploy: Deploy }).deploy;
      if (attempt > 50) throw new Error(`could not create ${svc} ${version}: ${res?.status}`);
      await sleep(200);
    }
  }

  it('walks 200 deploys to the outcome their metrics call for while replicas are SIGKILLed: no action lost or repeated', async () => {
    const started = Date.now();
    pusher = startMetricPusher({
      store,
      targets: () => up().map((r) => r.url),
      token,
      metric: METRIC,
      valueFor: (version) => (version.endsWith('-bad') ? 0.5 : 0.01),
    });
    // Queue everything up front through the API: each service works through its queue one deploy at a time.
    const ids: string[] = [];
    for (let n = 0; n < PER_SERVICE; n++) {
      await Promise.all(
        Array.from({ length: SERVICES }, async (_, s) => {
          const version = `v${n}-${isBad(s, n) ? 'bad' : 'good'}`;
          const d = await createDeploy(service(s), version);
          expected.set(d.id, isBad(s, n) ? 'rolled_back' : 'promoted');
          ids.push(d.id);
        }),
      );
    }
    expect(ids.length).toBe(SERVICES * PER_SERVICE);

    // The chaos: every few seconds SIGKILL a random live replica; bring it back a moment later (in the background,
    // so a slow start does not slow the killing down).
    let kills = 0;
    let chaos = true;
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const restarts: Array<Promise<void>> = [];
    // How long the dead replica's services stay unowned: for the report (timings are not asserted).
    const takeovers: Array<Promise<number | null>> = [];
    const takeoverTime = async (owner: string | null, killedAt: number): Promise<number | null> => {
      const held = (
        await admin.query<{ service: string }>(
          `SELECT service FROM service_leases WHERE owner = $1 AND expires_at > now()`,
          [owner],
        )
      ).rows.map((r) => r.service);
      if (!owner || !held.length) return null;
      // Taken over: another replica holds the lease, or the service has no work left.
      const orphaned = async () =>
        (
          await admin.query(
            `SELECT 1 FROM service_leases l WHERE l.service = ANY($1::text[]) AND l.owner = $2
               AND EXISTS (SELECT 1 FROM deploys d WHERE d.service = l.service
                           AND d.state IN ('queued', 'running', 'paused', 'rolling_back'))`,
            [held, owner],
          )
        ).rows.length;
      while (Date.now() - killedAt < 60_000) {
        if ((await orphaned()) === 0) return Date.now() - killedAt;
        await sleep(100);
      }
      return null;
    };
    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(2500 + random() * 2000);
        if (!chaos) break;
        const victims = up();
        if (victims.length < 2) continue; // keep one alive so the run always makes progress
        const victim = victims[Math.floor(random() * victims.length)];
        const dead = victim.instanceId;
        await victim.kill();
        kills++;
        takeovers.push(takeoverTime(dead, Date.now()));
        const pause = 500 + random() * 1000;
        restarts.push(
          sleep(pause).then(() =>
            victim.start().catch(async (e: Error) => {
              // Killed again while starting is part of the chaos; anything else is worth reading.
              if ((await victim.exited()).signal !== 'SIGKILL')
                console.warn(`restart of ${victim.name} failed: ${e.message}`);
            }),
          ),
        );
      }
    })();

    const open = async () =>
      (await store.deploys.list({ states: ['queued', 'running', 'paused', 'rolling_back'], limit: 1000 }))
        .length;
    const deadline = Date.now() + 300_000;
    // Chaos for as long as most of the work is still queued; the tail runs calmly to show nothing is stuck.
    while (Date.now() < deadline && (await open()) > SERVICES) await sleep(1000);
    chaos = false;
    await chaosLoop;
    await Promise.all(restarts);
    for (const r of cluster.replicas) if (!r.running) await r.start();
    while (Date.now() < deadline && (await open()) > 0) await sleep(1000);
    await pusher.stop();
    pusher = undefined;

    // ---- outcomes ------------------------------------------------------------------------------------------
    const all = await store.deploys.list({ limit: 1000 });
    const stuck = all.filter((d) => !['promoted', 'rolled_back'].includes(d.state));
    const wrong = all.filter((d) => expected.get(d.id) !== d.state);
    // ---- actions -------------------------------------------------------------------------------------------
    const lost: string[] = [];
    const duplicated: string[] = [];
    const unexpected: string[] = [];
    for (const d of all) {
      const acts = deployer.actionsOf(d.id);
      const logical = acts.map((a) => `${a.action}:${a.stage}`);
      const dupes = logical.filter((l, i) => logical.indexOf(l) !== i);
      if (dupes.length) duplicated.push(`${d.id} ${d.version}: ${logical.join(', ')}`);
      const want =
        expected.get(d.id) === 'promoted'
          ? ['shift:canary', 'shift:full', 'promote:full']
          : ['shift:canary', 'rollback:canary'];
      const missing = want.filter((w) => !logical.includes(w));
      if (missing.length && d.state === expected.get(d.id))
        lost.push(`${d.id} ${d.version}: missing ${missing.join(', ')}`);
      // Nothing but the expected sequence, in order (a bad version must never reach full traffic).
      if (JSON.stringify(logical) !== JSON.stringify(want))
        unexpected.push(`${d.id} ${d.version} (${d.state}): ${logical.join(', ')}`);
    }
    // Every stored transition that followed an action matches an applied key (nothing was done "in the store only").
    const storedButNotApplied: string[] = [];
    for (const d of all) {
      const events = await store.events.forDeploy(d.id);
      const shifts = events.filter((e) => e.event.type === 'stage:advanced').length;
      const applied = deployer.actionsOf(d.id).filter((a: AppliedAction) => a.action === 'shift').length;
      if (shifts > applied)
        storedButNotApplied.push(`${d.id}: ${shifts} stage:advanced, ${applied} shifts applied`);
    }

    const summary = {
      deploys: all.length,
      promoted: all.filter((d) => d.state === 'promoted').length,
      rolledBack: all.filter((d) => d.state === 'rolled_back').length,
      kills,
      restarts: cluster.replicas.reduce((n, r) => n + r.starts - 1, 0),
      deployerCalls: deployer.calls,
      distinctKeys: deployer.applied.size,
      repeatedDeliveries: deployer.repeats,
      takeoverMs: await (async () => {
        const ms = (await Promise.all(takeovers))
          .filter((x): x is number => x !== null)
          .sort((x, y) => x - y);
        return ms.length ? { n: ms.length, p50: ms[Math.floor(ms.length / 2)], max: ms.at(-1) } : null;
      })(),
      staleFenceDeliveries: deployer.staleFence,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.info(`[replica-faults] ${JSON.stringify(summary)}`);
    if (stuck.length || wrong.length || lost.length || duplicated.length || unexpected.length) {
      for (const r of cluster.replicas) console.warn(`---- ${r.name} log tail\n${r.log.slice(-6000)}`);
    }
    expect(kills).toBeGreaterThan(0);
    expect(stuck.map((d) => `${d.id} ${d.service} ${d.version} ${d.state} ${d.reason}`)).toEqual([]);
    expect(wrong.map((d) => `${d.id} ${d.version}: ${d.state} (${d.reason})`)).toEqual([]);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(storedButNotApplied).toEqual([]);
    expect(deployer.badSignatures).toBe(0);
    expect(deployer.keyMismatch).toBe(0);
  }, 420_000);

  it('SIGTERM: the replica finishes its action in flight, hands its leases back at once and exits 0', async () => {
    for (const r of cluster.replicas) if (!r.running) await r.start();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      // A deployer action that outlasts the lease time: the replica must keep its lease while finishing it.
      const svc = service(0);
      const held = deployer.hold(
        (p) => p.service === svc && p.version === 'sigterm-good' && p.action === 'shift',
      );
      pusher = startMetricPusher({
        store,
        targets: () => up().map((r) => r.url),
        token,
        metric: METRIC,
        valueFor: () => 0.01,
      });
      const arrived = deployer.arrival((p) => p.service === svc && p.version === 'sigterm-good');
      const d = await createDeploy(svc, 'sigterm-good');
      const call = await arrived;
      const owner = (
        await admin.query<{ owner: string }>(`SELECT owner FROM service_leases WHERE service = $1`, [svc])
      ).rows[0].owner;
      const victim = cluster.replicas.find((r) => r.instanceId === owner) as Replica;
      expect(victim, `lease owner ${owner} is one of the replicas`).toBeDefined();

      victim.signal('SIGTERM');
      await sleep(2 * 3000 + 1000); // longer than the lease time
      expect(victim.running).toBe(true); // still finishing
      held.release();
      const exit = await victim.exited();
      expect(exit).toEqual({ code: 0, signal: null });

      // Its transition was stored by itself: the shift is done, and nobody else sent it again.
      const after = (await store.deploys.get(d.id))!;
      expect(after.stageStartedAt).not.toBeNull();
      expect(deployer.deliveries.get(call.idempotencyKey)).toBe(1);
      // Its leases were given back, not left to expire: none of them is live, and it left the replica table.
      const leases = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM service_leases WHERE owner = $1 AND expires_at > now()`,
        [owner],
      );
      expect(leases.rows[0].n).toBe(0);
      const replicas = await admin.query(`SELECT 1 FROM replicas WHERE id = $1`, [owner]);
      expect(replicas.rows).toEqual([]);
      expect(victim.log).toContain('SIGTERM: finishing the transitions in flight');

      // Another replica takes the service and finishes the deploy.
      const deadline = Date.now() + 60_000;
      let final = after;
      while (Date.now() < deadline && final.state !== 'promoted') {
        await sleep(500);
        final = (await store.deploys.get(d.id))!;
      }
      expect(final.state).toBe('promoted');
      const newOwner = (
        await admin.query<{ owner: string }>(`SELECT owner FROM service_leases WHERE service = $1`, [svc])
      ).rows[0]?.owner;
      expect(newOwner).not.toBe(owner);
      expect(deployer.actionsOf(d.id).map((a) => `${a.action}:${a.stage}`)).toEqual([
        'shift:canary',
        'shift:full',
        'promote:full',
      ]);
      expect(deployer.repeats).toBeGreaterThanOrEqual(0);
    } finally {
      await pusher?.stop();
      pusher = undefined;
      await admin.end();
    }
  }, 180_000);
});
