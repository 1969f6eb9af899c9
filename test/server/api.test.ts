import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { makeApi, type ApiHarness } from '../support/api-harness.js';
import { configFrom } from '../support/config.js';
import { FOUR_STAGES } from '../support/engine-harness.js';

const config = configFrom(`${FOUR_STAGES}
server: { rateLimit: 40 }
`);

describe('HTTP API', () => {
  let store: Store;
  let api: ApiHarness;
  let deployToken: string;
  let readToken: string;
  let adminToken: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    store = await openStore({ url: 'memory:' });
    api = await makeApi(store, config);
    [deployToken, readToken, adminToken] = [
      await api.token(['deploy']),
      await api.token(['read']),
      await api.token(['admin']),
    ];
  });
  afterAll(async () => {
    await api.close();
    await store.close();
  });

  it('answers health, readiness, metrics and the OpenAPI document without a token', async () => {
    expect((await api.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await api.app.inject('/readyz')).json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
    const metrics = await api.app.inject('/metrics');
    expect(metrics.body).toContain('releasebot_deploys{state="queued"}');
    const doc = (await api.app.inject('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/deploys',
        '/api/v1/deploys/{id}',
        '/api/v1/deploys/{id}/{op}',
        '/api/v1/holds',
      ]),
    );
    expect(doc.paths['/api/v1/deploys'].post.requestBody.content['application/json'].schema.required).toEqual(
      ['service', 'version'],
    );
  });

  it('refuses calls without a token, with an unknown token, or without the scope', async () => {
    const body = { service: 'webapp', version: 'v1' };
    const none = await api.app.inject({ method: 'POST', url: '/api/v1/deploys', payload: body });
    expect(none.statusCode).toBe(401);
    expect(none.json().error).toMatchObject({
      code: 'AUTH_MISSING',
      hint: expect.stringContaining('token create'),
    });
    const bad = await api.app.inject({
      method: 'POST',
      url: '/api/v1/deploys',
      payload: body,
      headers: auth('rb_nope'),
    });
    expect([bad.statusCode, bad.json().error.code]).toEqual([401, 'AUTH_INVALID']);
    const read = await api.app.inject({
      method: 'POST',
      url: '/api/v1/deploys',
      payload: body,
      headers: auth(readToken),
    });
    expect([read.statusCode, read.json().error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const apiOnly = await api.token(['deploy'], { services: ['api'] });
    const other = await api.app.inject({
      method: 'POST',
      url: '/api/v1/deploys',
      payload: body,
      headers: auth(apiOnly),
    });
    expect(other.json().error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      message: expect.stringContaining('"webapp"'),
    });
    expect((await api.app.inject({ url: '/api/v1/deploys' })).statusCode).toBe(401);
    expect(await store.deploys.list()).toEqual([]);
  });

  it('creates a deploy idempotently and refuses reusing the key for another version', async () => {
    const payload = {
      service: 'webapp',
      version: 'v1.4.2',
      changes: ['#1234:Fix login (alice)', { id: '#1240', author: 'bob' }],
    };
    const headers = { ...auth(deployToken), 'idempotency-key': 'ci-run-9' };
    const first = await api.app.inject({ method: 'POST', url: '/api/v1/deploys', payload, headers });
    expect(first.statusCode).toBe(201);
    const d = first.json().deploy;
    expect(d).toMatchObject({
      service: 'webapp',
      version: 'v1.4.2',
      state: 'queued',
      team: 'web',
      trigger: { kind: 'api' },
    });
    expect(d.changes).toEqual([
      { id: '#1234', title: 'Fix login', author: 'alice' },
      { id: '#1240', author: 'bob' },
    ]);
    const again = await api.app.inject({ method: 'POST', url: '/api/v1/deploys', payload, headers });
    expect([again.statusCode, again.json().deploy.id, again.json().created]).toEqual([200, d.id, false]);
    const clash = await api.app.inject({
      method: 'POST',
      url: '/api/v1/deploys',
      payload: { ...payload, version: 'v9' },
      headers,
    });
    expect([clash.statusCode, clash.json().error.code]).toEqual([409, 'DEPLOY_DUPLICATE']);
    const got = await api.app.inject({ url: `/api/v1/deploys/${d.id}`, headers: auth(readToken) });
    expect(got.json().events.map((e: { event: { type: string } }) => e.event.type)).toEqual([
      'deploy:queued',
    ]);
    const list = await api.app.inject({
      url: '/api/v1/deploys?service=webapp&state=queued',
      headers: auth(readToken),
    });
    expect(list.json().deploys.map((x: { id: string }) => x.id)).toEqual([d.id]);
  });

  it('answers bad input with a 4xx and a code that says what and where', async () => {
    const post = (payload: string | object, headers: Record<string, string> = {}) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/deploys',
        payload,
        headers: { ...auth(deployToken), ...headers },
      });
    const unknown = await post({ service: 'webap', version: 'v1' });
    expect(unknown.json().error).toMatchObject({
      code: 'SERVICE_UNKNOWN',
      message: expect.stringContaining('did you mean "webapp"'),
    });
    const wrongType = await post({ service: 'webapp', version: 42 });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toMatchObject({
      code: 'REQUEST_INVALID',
      details: [expect.objectContaining({ path: 'body.version' })],
    });
    const extra = await post({ service: 'webapp', version: 'v1', sevice: 'x' });
    expect(extra.json().error.code).toBe('REQUEST_INVALID');
    const malformed = await post('{"service": "webapp",', { 'content-type': 'application/json' });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'REQUEST_INVALID']);
    const deep = await post('['.repeat(10_000) + ']'.repeat(10_000), { 'content-type': 'application/json' });
    expect([deep.statusCode, deep.json().error.code]).toEqual([400, 'REQUEST_INVALID']);
    const huge = await post({ service: 'webapp', version: 'v1', changes: Array(300_000).fill('#12345') });
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'REQUEST_TOO_LARGE']);
    const text = await post('service=webapp', { 'content-type': 'text/plain' });
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const proto = await post('{"service":"webapp","version":"v1","__proto__":{"admin":true}}', {
      'content-type': 'application/json',
    });
    expect(proto.json().error.code).toBe('REQUEST_INVALID');
    const route = await api.app.inject({ url: '/api/v1/nope', headers: auth(readToken) });
    expect([route.statusCode, route.json().error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect((await store.deploys.list()).length).toBe(1); // only the deploy of the previous test
  });

  it('pauses, resumes and rolls back through the API, auditing who did it', async () => {
    const { deploy } = await api.deploys.createDeploy({
      service: 'api',
      version: 'b7',
      trigger: { kind: 'ci', actor: 'ci' },
    });
    // Start it as the engine would (the engine is not running in this test).
    const d = (await store.deploys.get(deploy.id))!;
    await store.deploys.update(
      { ...d, state: 'running', stageIndex: 0, stageStartedAt: api.clock.now(), startedAt: api.clock.now() },
      [],
    );
    const op = (o: string, id = deploy.id, token = deployToken) =>
      api.app.inject({
        method: 'POST',
        url: `/api/v1/deploys/${id}/${o}`,
        payload: { reason: `${o} please` },
        headers: auth(token),
      });
    expect((await op('pause')).json().deploy).toMatchObject({
      state: 'paused',
      pauseKind: 'manual',
      reason: 'pause please',
    });
    expect((await op('resume')).json().deploy.state).toBe('running');
    // A service name targets its active deploy.
    expect((await op('rollback', 'api')).json().deploy).toMatchObject({
      id: deploy.id,
      state: 'rolling_back',
      pending: { kind: 'rollback' },
    });
    expect((await op('pause', 'd_missing')).json().error.code).toBe('DEPLOY_UNKNOWN');
    const finished = await store.deploys.get(deploy.id);
    await store.deploys.update(
      { ...finished!, state: 'rolled_back', pending: null, endedAt: api.clock.now() },
      [],
    );
    const late = await op('rollback');
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'DEPLOY_FINISHED']);
    expect((await op('pause', deploy.id, readToken)).statusCode).toBe(403);
    const audit = await api.app.inject({
      url: `/api/v1/audit?target=${deploy.id}`,
      headers: auth(adminToken),
    });
    expect(
      audit.json().audit.map((a: { action: string; actor: string }) => `${a.actor}:${a.action}`),
    ).toEqual([
      'ci:deploy.create',
      expect.stringMatching(/:deploy\.pause$/),
      expect.stringMatching(/:deploy\.resume$/),
      expect.stringMatching(/:deploy\.rollback$/),
    ]);
  });

  it('sets and releases holds', async () => {
    const set = await api.app.inject({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { scope: 'team', target: 'web', reason: 'INC-9' },
      headers: auth(deployToken),
    });
    expect(set.statusCode).toBe(201);
    const hold = set.json().hold;
    expect(hold).toMatchObject({ scope: 'team', target: 'web', reason: 'INC-9' });
    const all = await api.app.inject({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { scope: 'all', reason: 'freeze' },
      headers: auth(deployToken),
    });
    expect(all.statusCode).toBe(403); // a freeze of everything needs admin
    const missing = await api.app.inject({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { scope: 'team', reason: 'x' },
      headers: auth(deployToken),
    });
    expect(missing.json().error).toMatchObject({
      code: 'REQUEST_INVALID',
      details: [expect.objectContaining({ path: 'body.target' })],
    });
    expect(
      (await api.app.inject({ url: '/api/v1/holds', headers: auth(readToken) })).json().holds,
    ).toHaveLength(1);
    const rel = await api.app.inject({
      method: 'DELETE',
      url: `/api/v1/holds/${hold.id}`,
      headers: auth(deployToken),
    });
    expect(rel.json().hold.releasedAt).not.toBeNull();
  });

  it('creates tokens only for admins and stores only their hash', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'ci', scopes: ['deploy'] },
      headers: auth(adminToken),
    });
    expect(res.statusCode).toBe(201);
    const { secret, token } = res.json();
    expect(secret).toMatch(/^rb_/);
    const rows = JSON.stringify(await store.tokens.list());
    expect(rows).not.toContain(secret);
    const use = await api.app.inject({ url: '/api/v1/services', headers: auth(secret) });
    expect(use.json().services.map((s: { name: string }) => s.name)).toEqual(['webapp', 'api']);
    expect(
      (
        await api.app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { name: 'x', scopes: ['admin'] },
          headers: auth(deployToken),
        })
      ).statusCode,
    ).toBe(403);
    await api.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}`, headers: auth(adminToken) });
    const revoked = await api.app.inject({ url: '/api/v1/services', headers: auth(secret) });
    expect(revoked.json().error).toMatchObject({ code: 'AUTH_INVALID', message: 'token "ci" was revoked' });
  });

  it('limits the request rate per token', async () => {
    const t = await api.token(['read']);
    const codes: number[] = [];
    for (let i = 0; i < 45; i++)
      codes.push((await api.app.inject({ url: '/api/v1/holds', headers: auth(t) })).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(40);
    const limited = await api.app.inject({ url: '/api/v1/holds', headers: auth(t) });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another token is not affected.
    expect((await api.app.inject({ url: '/api/v1/holds', headers: auth(readToken) })).statusCode).toBe(200);
  });

  it('streams lifecycle events to a browser over server-sent events', async () => {
    const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${address}/api/v1/events/stream`, {
      headers: auth(readToken),
      signal: ctrl.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    const { deploy } = await api.deploys.createDeploy({
      service: 'webapp',
      version: 'v-sse',
      trigger: { kind: 'user', actor: 'a' },
    });
    let text = '';
    while (!text.includes(deploy.id)) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: deploy:queued\n/);
    ctrl.abort();
  });
});
