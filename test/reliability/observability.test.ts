// The bot's own observability, read from a live runtime that did real work: a healthy deploy promoted, a bad one
// rolled back, one blind (its Prometheus unreachable), and a service taken over from a replica that died.
// /metrics must carry every family operators alert on, /healthz and /readyz answer, and logs are pino JSON lines
// that carry the service and the deploy id on deploy work.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import { startLiveRuntime, type LiveRuntime } from '../support/live-runtime.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';
import { eventually } from '../support/prometheus.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `name{labels} value` samples of a Prometheus text exposition; throws on a line that is neither sample nor comment. */
function parseExposition(
  text: string,
): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

describe.skipIf(postgresSkipReason !== null)('observability of the bot itself', () => {
  let db: TestDatabase;
  let live: LiveRuntime;
  let token: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    // A replica that died holding `good`'s lease: this runtime must take it over (a lease takeover).
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    live = await startLiveRuntime({
      start: false,
      instanceId: 'replica-observed',
      yaml: `
store: { url: '${db.url}' }
sources:
  builtin: { type: builtin }
  unreachable: { type: prometheus, url: 'http://127.0.0.1:9', timeout: 1s }
defaults:
  source: builtin
  interval: 1s
  deployer: { type: none }
  stages: [{ name: canary, traffic: 10, bake: 2s }, { name: full, traffic: 100, bake: 1s }]
  checks:
    - { name: errors, query: 'rb_errors{service="{{service}}"}', kind: gauge, action: rollback, static: { max: 0.05 }, zscore: false, dynamic: false, compare: false, persistence: { breaches: 1, of: 1 } }
services:
  good: {}
  bad: {}
  blind: { source: unreachable }
`,
    });
    await admin.query(
      `INSERT INTO service_leases (service, owner, token, expires_at) VALUES ('good', 'replica-that-died', 1, now() - interval '1 second')`,
    );
    await admin.end();
    await live.rt.start();
    token = (await createApiToken(live.rt.store, live.rt.clock, { name: 'ci', scopes: ['deploy'] })).secret;
  }, 60_000);

  afterAll(async () => {
    await live?.close();
    await db?.drop();
  });

  it('walks the deploys (metrics pushed through the API)', async () => {
    const { app } = live.rt;
    for (const service of ['good', 'bad', 'blind']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/deploys',
        headers: { authorization: `Bearer ${token}` },
        payload: { service, version: `${service}-1.4.0` },
      });
      expect(res.statusCode).toBe(201);
      ids[service] = (res.json() as { deploy: Deploy }).deploy.id;
    }
    let pushing = true;
    const pusher = (async () => {
      while (pushing) {
        const t = Date.now() - 1;
        await app.inject({
          method: 'POST',
          url: '/api/v1/metrics',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
          payload: `rb_errors{service="good"} 0.01 ${t}\nrb_errors{service="bad"} 0.4 ${t}\n`,
        });
        await sleep(300);
      }
    })();
    try {
      await eventually(
        async () => {
          const [good, bad, blind] = await Promise.all(
            ['good', 'bad', 'blind'].map((s) => live.rt.store.deploys.get(ids[s])),
          );
          return good?.state === 'promoted' && bad?.state === 'rolled_back' && blind?.state === 'paused'
            ? true
            : undefined;
        },
        'good promoted, bad rolled back, blind paused',
        60_000,
      );
    } finally {
      pushing = false;
      await pusher;
    }
  }, 90_000);

  it('exposes deploys by state, evaluations, decision latency, lease takeovers, the notifier queue, source errors', async () => {
    const res = await live.rt.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(res.body);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((a, s) => a + s.value, 0);
    const has = (name: string) => samples.some((s) => s.name === name);

    expect(value('releasebot_deploys', { state: 'paused' })).toBe(1);
    expect(has('releasebot_deploys')).toBe(true);
    expect(value('releasebot_evaluations_total', { service: 'good', decision: 'continue' })).toBeGreaterThan(
      0,
    );
    expect(value('releasebot_evaluations_total', { service: 'bad', decision: 'rollback' })).toBeGreaterThan(
      0,
    );
    expect(value('releasebot_evaluations_total', { service: 'blind', decision: 'pause' })).toBeGreaterThan(0);
    expect(value('releasebot_decision_seconds_count', { service: 'good' })).toBeGreaterThan(0);
    expect(value('releasebot_decision_seconds_bucket', { service: 'good', le: '+Inf' })).toBe(
      value('releasebot_decision_seconds_count', { service: 'good' }),
    );
    expect(value('releasebot_lease_takeovers_total', { service: 'good' })).toBe(1);
    expect(value('releasebot_lease_takeovers_total', { service: 'bad' })).toBe(0);
    expect(has('releasebot_notifications')).toBe(true);
    expect(value('releasebot_notifications', { status: 'failed' })).toBe(0);
    expect(value('releasebot_source_errors_total', { source: 'prometheus' })).toBeGreaterThan(0);
    expect(
      value('releasebot_deployer_calls_total', { service: 'good', action: 'promote', result: 'ok' }),
    ).toBe(1);
    expect(value('releasebot_events_total', { service: 'bad', event: 'deploy:rolled_back' })).toBe(1);
    expect(has('releasebot_process_cpu_seconds_total')).toBe(true);
    expect(has('releasebot_process_resident_memory_bytes')).toBe(true);
  });

  it('answers /healthz and /readyz', async () => {
    const health = await live.rt.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await live.rt.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', scheduler: 'ok' } });
    // Not ready while the store is down: test/reliability/postgres-restart.test.ts stops a real server for that.
  });

  it('logs pino JSON lines; deploy work carries the service and the deploy id', () => {
    const lines = live.logs();
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(typeof l.level).toBe('number');
      expect(typeof l.time).toBe('number');
      expect(typeof l.msg).toBe('string');
      expect(l.app).toBe('releasebot');
    }
    // Deployer actions, as the engine logs them.
    const actions = lines.filter((l) => l.deployId === ids.good && typeof l.action === 'string');
    expect(actions.map((l) => `${l.service} ${l.action} ${l.msg}`)).toEqual([
      'good shift shift done',
      'good shift shift done',
      'good promote promote done',
    ]);
    // Lifecycle lines (the log notifier: no other notifier is configured) name both.
    const rolledBack = lines.find((l) => l.event === 'deploy:rolled_back');
    expect(rolledBack).toMatchObject({ service: 'bad', deployId: ids.bad });
    const paused = lines.find((l) => l.event === 'deploy:paused');
    expect(paused).toMatchObject({ service: 'blind', deployId: ids.blind });
    // Every line about a deploy names its service too, except the outbox's delivery lines, which know only the
    // deploy id (OutboxItem has no service; reported to the notify owners).
    const anonymous = lines.filter((l) => l.deployId && !l.service && !('outboxId' in l));
    expect(anonymous).toEqual([]);
    // A failing metric source is said in the log, not only counted.
    expect(
      lines.some(
        (l) => l.source === 'prometheus' && String(l.msg).startsWith('metric source queries are failing'),
      ),
    ).toBe(true);
    // The lease taken from the dead replica is visible as a takeover in the metric above; lease loss would warn.
    expect(lines.filter((l) => Number(l.level) >= 50 && !l.event)).toEqual([]);
  });
});
