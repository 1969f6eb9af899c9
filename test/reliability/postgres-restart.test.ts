// Two `releasebot serve` replicas on a private PostgreSQL server that is restarted while deploys are in flight:
// the replicas report not ready while it is down, reconnect on their own (no restart of theirs), and every deploy
// ends as its metrics call for, with no deployer action lost or repeated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE_STATES, type Deploy } from '../../src/pipeline/deploy.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import { openStore } from '../../src/store/open-store.js';
import { openPostgresDb } from '../../src/store/postgres/postgres-db.js';
import type { Store } from '../../src/store/store.js';
import { systemClock } from '../../src/time/clock.js';
import { makeCluster, type Cluster } from '../support/cluster.js';
import { startTempPostgres, tempPostgres, type TempPostgres } from '../support/temp-postgres.js';
import { CountingDeployer } from './support/counting-deployer.js';
import { startMetricPusher, type MetricPusher } from './support/metric-pusher.js';

if (!tempPostgres.available) console.warn(`[skip] PostgreSQL restart test: ${tempPostgres.reason}`);

const SECRET = 'whsec-pg-restart-1c2d';
const SERVICES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const PER_SERVICE = 3;
const isBad = (s: number, n: number) => (s + n) % 4 === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!tempPostgres.available)('PostgreSQL restart under running replicas', () => {
  let pgServer: TempPostgres;
  let store: Store;
  let deployer: CountingDeployer;
  let cluster: Cluster;
  let pusher: MetricPusher | undefined;

  beforeAll(async () => {
    pgServer = await startTempPostgres();
    store = await openStore({ url: pgServer.url });
    deployer = await CountingDeployer.start(SECRET);
    cluster = await makeCluster({
      size: 2,
      env: { DEPLOYER_SECRET: SECRET, RELEASEBOT_LOG_LEVEL: 'info' },
      config: `
store: { url: '${pgServer.url}' }
cluster: { leaseTime: 4s }
sources: { builtin: { type: builtin } }
defaults:
  source: builtin
  interval: 1s
  deployer: { type: webhook, url: '${deployer.url}', secret: '\${DEPLOYER_SECRET}', timeout: 5s, retries: 5 }
  stages: [{ name: canary, traffic: 10, bake: 3s }, { name: full, traffic: 100, bake: 2s }]
  checks:
    - { name: errors, query: 'rb_error_ratio{service="{{service}}"}', kind: gauge, action: rollback, static: { max: 0.05 }, zscore: false, dynamic: false, compare: false, persistence: { breaches: 1, of: 1 }, grace: 5 }
services:
${SERVICES.map((s) => `  ${s}: {}`).join('\n')}
`,
    });
    await Promise.all(cluster.replicas.map((r) => r.start()));
  }, 120_000);

  afterAll(async () => {
    await pusher?.stop();
    await cluster?.close();
    await deployer?.close();
    await store?.close().catch(() => undefined);
    await pgServer?.close();
  }, 60_000);

  it('reports not ready while the store is down, reconnects, and finishes every deploy once', async () => {
    const token = (await createApiToken(store, systemClock, { name: 'pg-restart', scopes: ['deploy'] }))
      .secret;
    const [r0] = cluster.replicas;
    pusher = startMetricPusher({
      store,
      targets: () => cluster.replicas.map((r) => r.url),
      token,
      metric: 'rb_error_ratio',
      valueFor: (v) => (v.endsWith('-bad') ? 0.5 : 0.01),
    });
    const expected = new Map<string, string>();
    for (let n = 0; n < PER_SERVICE; n++) {
      for (const [s, service] of SERVICES.entries()) {
        const version = `v${n}-${isBad(s, n) ? 'bad' : 'good'}`;
        const res = await fetch(`${r0.url}/api/v1/deploys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ service, version }),
        });
        expect(res.status).toBe(201);
        const { deploy } = (await res.json()) as { deploy: Deploy };
        expected.set(deploy.id, isBad(s, n) ? 'rolled_back' : 'promoted');
      }
    }
    const pids = cluster.replicas.map((r) => r.pid);
    // Let the first deploys get going, then restart the server under them.
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      (await store.deploys.list({ states: ['promoted', 'rolled_back'], limit: 100 })).length < 3
    ) {
      await sleep(250);
    }
    await pgServer.stop();
    const notReady = new Set<string>();
    const readyDeadline = Date.now() + 30_000;
    while (notReady.size < cluster.replicas.length && Date.now() < readyDeadline) {
      for (const r of cluster.replicas) {
        const res = await fetch(`${r.url}/readyz`).catch(() => null);
        if (res?.status === 503) {
          const body = (await res.json()) as { checks: Record<string, string> };
          if (body.checks.store !== 'ok') notReady.add(r.name);
        }
      }
      await sleep(200);
    }
    await sleep(3000); // down for a few seconds, longer than a scheduler round and a lease renewal
    await pgServer.start();
    if (notReady.size < 2)
      for (const r of cluster.replicas)
        console.warn(`---- ${r.name} running=${r.running}\n${r.log.slice(-5000)}`);
    expect([...notReady].sort()).toEqual(['r0', 'r1']);

    let open = Infinity;
    const finish = Date.now() + 180_000;
    while (open > 0 && Date.now() < finish) {
      await sleep(1000);
      open = await store.deploys
        .list({ states: ['queued', ...ACTIVE_STATES], limit: 1000 })
        .then((l) => l.length)
        .catch(() => Infinity);
    }
    await pusher.stop();
    pusher = undefined;

    // The same processes did it all: they reconnected rather than crashed.
    expect(cluster.replicas.map((r) => r.pid)).toEqual(pids);
    expect(cluster.replicas.every((r) => r.running && r.starts === 1)).toBe(true);
    for (const r of cluster.replicas) expect((await fetch(`${r.url}/readyz`)).status).toBe(200);

    const all = await store.deploys.list({ limit: 1000 });
    expect(all.map((d) => `${d.service} ${d.version}: ${d.state}`).sort()).toEqual(
      all.map((d) => `${d.service} ${d.version}: ${expected.get(d.id)}`).sort(),
    );
    for (const d of all) {
      const logical = deployer.actionsOf(d.id).map((a) => `${a.action}:${a.stage}`);
      const want =
        expected.get(d.id) === 'promoted'
          ? ['shift:canary', 'shift:full', 'promote:full']
          : ['shift:canary', 'rollback:canary'];
      expect(`${d.service} ${d.version}: ${logical.join(', ')}`).toBe(
        `${d.service} ${d.version}: ${want.join(', ')}`,
      );
    }
    const logs = cluster.replicas.map((r) => r.log).join('\n');
    console.info(
      `[postgres-restart] deploys=${all.length} calls=${deployer.calls} keys=${deployer.applied.size} repeats=${deployer.repeats} ` +
        `reconnect-warnings=${(logs.match(/postgres connection lost/g) ?? []).length} round-failures=${(logs.match(/scheduler round failed/g) ?? []).length}`,
    );
  }, 300_000);

  it('a transaction whose connection dies fails as an error, not as a crash, and the pool recovers', async () => {
    // Regression: a checked-out client's 'error' event had no listener, so a server restart during a transaction
    // was an uncaught exception that killed the replica (seen in the test above before the fix).
    await cluster.close();
    const db = openPostgresDb(pgServer.url);
    try {
      // The server goes away while the transaction is open but between two of its queries: no query is there to
      // receive the error, so the client emits it.
      let resume!: () => void;
      const serverDown = new Promise<void>((r) => (resume = r));
      const inTx = db.tx(async (q) => {
        await q.query(`SELECT 1`);
        await serverDown;
        return q.query(`SELECT 2`);
      });
      const outcome = inTx.then(
        () => 'committed',
        (e: Error) => `failed: ${e.message}`,
      );
      await sleep(500);
      await pgServer.stop();
      await sleep(500);
      resume();
      expect(await outcome).toMatch(/^failed: /);
      await pgServer.start();
      expect(await db.tx(async (q) => q.query<{ n: number }>(`SELECT 1 AS n`))).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
