// Every mutating endpoint of the served API requires a scoped token: the operations are enumerated from the OpenAPI
// document of a real runtime (so a new route cannot slip by), and each is called without a token, with an unknown
// token, with each weaker scope, with a token limited to another service, and with the scope it needs. Also: tokens
// are stored hashed, the rate limit is per token (and per address for tokens that do not exist), bodies are
// size-limited and schema-validated.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { slackSignature } from '../../src/notify/slack/verify-slack-signature.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import type { Scope } from '../../src/store/store.js';
import {
  CASES,
  incident,
  mutatingOperations,
  type Case,
  type Fixtures,
  type Req,
} from './support/auth-cases.js';
import { startLiveRuntime, type LiveRuntime } from '../support/live-runtime.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';

const SIGNING_SECRET = 'api-auth-signing-secret-1f2e';
const RANK: Record<Scope, number> = { read: 1, deploy: 2, admin: 3 };

describe.skipIf(postgresSkipReason !== null)('API authentication and limits', () => {
  let db: TestDatabase;
  let live: LiveRuntime;
  const tokens = {} as Record<Scope | 'otherService' | 'otherServiceAdmin', string>;
  let fixtures: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    live = await startLiveRuntime({
      start: false,
      env: { SIGNING_SECRET },
      yaml: `
store: { url: '${db.url}' }
server: { rateLimit: 1000000 }
sources: { builtin: { type: builtin } }
notifiers: { slack: { type: slack, token: xoxb-1-2-3, signingSecret: '\${SIGNING_SECRET}', channel: '#deploys', operators: { U1: { name: alice, scopes: [deploy] } } } }
defaults: { deployer: { type: none }, stages: [{ name: full, traffic: 100, bake: 1m }] }
services: { web: { team: shop }, other: { team: ops } }
`,
    });
    const { store, clock } = live.rt;
    for (const scope of ['read', 'deploy', 'admin'] as const) {
      tokens[scope] = (await createApiToken(store, clock, { name: scope, scopes: [scope] })).secret;
    }
    tokens.otherService = (
      await createApiToken(store, clock, { name: 'other-deploy', scopes: ['deploy'], services: ['other'] })
    ).secret;
    tokens.otherServiceAdmin = (
      await createApiToken(store, clock, { name: 'other-admin', scopes: ['admin'], services: ['other'] })
    ).secret;
    const deploy = (
      await live.rt.deploys.createDeploy({
        service: 'web',
        version: 'v1',
        trigger: { kind: 'api', actor: 't' },
      })
    ).deploy as Deploy;
    const inc = await live.rt.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${tokens.deploy}` },
      payload: incident,
    });
    expect(inc.statusCode).toBe(201);
    fixtures = {
      deployId: deploy.id,
      incidentId: (inc.json() as { incident: { id: string } }).incident.id,
      holdId: async () =>
        (await live.rt.deploys.setHold({ scope: 'service', target: 'web', reason: 'r', actor: 't' })).id,
      tokenId: async () =>
        (await createApiToken(store, clock, { name: 'victim', scopes: ['read'] })).token.id,
    };
  }, 60_000);

  afterAll(async () => {
    await live?.close();
    await db?.drop();
  });

  const send = async (
    c: Case,
    r: Req,
    opts: { bearer?: string; slack?: 'none' | 'forged' | 'valid' } = {},
  ) => {
    const headers: Record<string, string> = { ...r.headers };
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    let payload = r.payload;
    if (c.auth === 'slack') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const ts = String(Math.floor(live.rt.clock.now() / 1000));
      if (opts.slack === 'valid')
        Object.assign(headers, {
          'x-slack-request-timestamp': ts,
          'x-slack-signature': slackSignature(SIGNING_SECRET, ts, String(payload)),
        });
      if (opts.slack === 'forged')
        Object.assign(headers, {
          'x-slack-request-timestamp': ts,
          'x-slack-signature': `v0=${'ab'.repeat(32)}`,
        });
    } else if (typeof payload === 'string') payload = Buffer.from(payload);
    const res = await live.rt.app.inject({
      method: r.method as 'POST',
      url: r.url,
      headers,
      ...(payload !== undefined ? { payload: payload as string } : {}),
    });
    const body = res.body ? (JSON.parse(res.body) as { error?: { code: string } }) : undefined;
    return { status: res.statusCode, code: body?.error?.code };
  };

  it('knows how every mutating operation of the OpenAPI document authenticates', () => {
    const ops = mutatingOperations(live.rt.app.swagger() as never);
    expect(ops, 'a mutating route has no case in CASES: add it with the scope it needs').toEqual(
      Object.keys(CASES).sort(),
    );
  });

  for (const [op, c] of Object.entries(CASES)) {
    it(`${op}: refused without the right credentials, accepted with the ${c.needs} scope`, async () => {
      const outcomes: Record<string, { status: number; code?: string }> = {};
      if (c.auth === 'slack') {
        outcomes.unsigned = await send(c, await c.request(fixtures));
        outcomes.forged = await send(c, await c.request(fixtures), { slack: 'forged' });
        outcomes.signed = await send(c, await c.request(fixtures), { slack: 'valid' });
        expect(outcomes.unsigned).toEqual({ status: 401, code: 'SIGNATURE_INVALID' });
        expect(outcomes.forged).toEqual({ status: 401, code: 'SIGNATURE_INVALID' });
        expect(outcomes.signed.status).toBe(200);
        return;
      }
      const withToken = async (token: string | undefined) =>
        c.auth === 'flagger'
          ? send(c, await c.request(fixtures, token))
          : send(c, await c.request(fixtures), token ? { bearer: token } : {});
      expect(await withToken(undefined)).toEqual({ status: 401, code: 'AUTH_MISSING' });
      expect(await withToken(`rb_${randomBytes(32).toString('base64url')}`)).toEqual({
        status: 401,
        code: 'AUTH_INVALID',
      });
      for (const scope of ['read', 'deploy', 'admin'] as const) {
        if (RANK[scope] < RANK[c.needs])
          expect(await withToken(tokens[scope]), `${scope} token`).toEqual({
            status: 403,
            code: 'AUTH_FORBIDDEN',
          });
      }
      if (c.service) {
        const limited = c.needs === 'admin' ? tokens.otherServiceAdmin : tokens.otherService;
        expect(await withToken(limited), 'token limited to another service').toEqual({
          status: 403,
          code: 'AUTH_FORBIDDEN',
        });
      }
      const ok = await withToken(tokens[c.needs]);
      expect(ok.status, `${op} with the ${c.needs} scope: ${JSON.stringify(ok)}`).toBeLessThan(500);
      expect([401, 403]).not.toContain(ok.status);
    });
  }

  it('stores tokens only as SHA-256 hashes', async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const rows = (await admin.query(`SELECT t::text AS row, hash FROM api_tokens t`)).rows as Array<{
        row: string;
        hash: string;
      }>;
      const table = rows.map((r) => r.row).join('\n');
      for (const secret of Object.values(tokens)) {
        expect(table).not.toContain(secret);
        expect(rows.map((r) => r.hash)).toContain(createHash('sha256').update(secret).digest('hex'));
      }
    } finally {
      await admin.end();
    }
  });

  it('limits bodies by size (413) and validates them against the schema (400), before any effect', async () => {
    const auth = { authorization: `Bearer ${tokens.admin}` };
    const before = (await live.rt.store.deploys.list({ limit: 1000 })).length;
    const big = await live.rt.app.inject({
      method: 'POST',
      url: '/api/v1/deploys',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: `{"service":"web","version":"${'x'.repeat(1024 * 1024)}"}`,
    });
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'REQUEST_TOO_LARGE']);
    const bigPush = await live.rt.app.inject({
      method: 'POST',
      url: '/api/v1/metrics',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20),
    });
    expect([bigPush.statusCode, bigPush.json().error.code]).toEqual([413, 'REQUEST_TOO_LARGE']);
    for (const payload of [
      { service: 'web', version: 'v9', extra: true },
      { service: 'web', version: 42 },
      { service: '../../etc/passwd', version: 'v9' },
      { service: 'web', version: 'has space' },
      { service: 'web', version: 'v9', changes: 'not a list' },
    ]) {
      const res = await live.rt.app.inject({
        method: 'POST',
        url: '/api/v1/deploys',
        headers: auth,
        payload,
      });
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload)).toEqual([
        400,
        'REQUEST_INVALID',
      ]);
    }
    expect((await live.rt.store.deploys.list({ limit: 1000 })).length).toBe(before);
  });
});

describe.skipIf(postgresSkipReason !== null)('rate limits', () => {
  let db: TestDatabase;
  let live: LiveRuntime;

  beforeAll(async () => {
    db = await createTestDatabase();
    live = await startLiveRuntime({
      start: false,
      yaml: `
store: { url: '${db.url}' }
server: { rateLimit: 5 }
services: { web: { deployer: { type: none }, stages: [{ name: full, traffic: 100, bake: 1m }] } }
`,
    });
  }, 60_000);

  afterAll(async () => {
    await live?.close();
    await db?.drop();
  });

  const get = (authorization?: string) =>
    live.rt.app.inject({
      method: 'GET',
      url: '/api/v1/deploys',
      headers: authorization ? { authorization } : {},
    });

  it('counts per token: one token at its limit leaves another untouched', async () => {
    const { store, clock } = live.rt;
    const a = (await createApiToken(store, clock, { name: 'a', scopes: ['read'] })).secret;
    const b = (await createApiToken(store, clock, { name: 'b', scopes: ['read'] })).secret;
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await get(`Bearer ${a}`)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await get(`Bearer ${b}`)).statusCode).toBe(200);
  });

  it('counts tokens that do not exist against the caller’s address, so made-up tokens do not escape the limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await get(`Bearer rb_${randomBytes(32).toString('base64url')}`)).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
  });
});
