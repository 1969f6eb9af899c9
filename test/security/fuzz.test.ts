// Seeded fuzzing of the HTTP API and the config loader. 10,000 malformed or hostile requests (wrong types, huge
// numbers, deep nesting, invalid UTF-8, injection strings, huge headers, wrong methods and content types, path
// traversal, prototype pollution, forged credentials) go through `app.inject` into a real runtime on the embedded
// PGlite store: none may crash it or answer 5xx; every answer is a 4xx with an error code; afterwards the store is
// unchanged (a full dump compared) and no prototype was polluted. Then 2,000 mutated config files go through the
// config loader: each is either valid or refused with a CONFIG_* error whose problems name a line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfigText } from '../../src/config/validate-config-text.js';
import { loadConfig } from '../../src/config/load-config.js';
import { isReleasebotError } from '../../src/errors/releasebot-error.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { storeOn } from '../../src/store/open-store.js';
import { openPgliteDb } from '../../src/store/pglite/pglite-db.js';
import type { Store } from '../../src/store/store.js';
import { startLiveRuntime, type LiveRuntime } from '../support/live-runtime.js';
import { seeded } from './support/hostile-values.js';
import { hostileRequest, type Op } from './support/hostile-request.js';
import { mutateConfig } from './support/mutate-config.js';
import { dump } from './support/store-dump.js';

const REQUESTS = 10_000;
const CONFIGS = 2_000;
const SIGNING_SECRET = 'fuzz-signing-secret-0b9c';

const BASE_CONFIG = `
store: { url: 'memory:' }
server: { rateLimit: 1000000 }
cluster: { leaseTime: 15s }
sources:
  builtin: { type: builtin }
  prom: { type: prometheus, url: 'http://127.0.0.1:9090', bearerToken: '\${PROM_TOKEN}', timeout: 10s }
notifiers:
  slack: { type: slack, token: xoxb-1-2-3, signingSecret: '${SIGNING_SECRET}', channel: '#deploys' }
templates:
  error-ratio: { query: 'errors{service="{{service}}",cohort="{{cohort}}"}', direction: up, action: rollback }
defaults:
  interval: 1m
  deployer: { type: none }
  stages:
    - { name: canary, traffic: 10, bake: 10m }
    - { name: full, traffic: 100, bake: 10m }
  checks:
    - { name: error-ratio, use: error-ratio }
services:
  web:
    team: shop
    checks:
      - { name: latency, query: 'p99{service="web"}', static: { max: 1 }, persistence: { breaches: 2, of: 3 } }
  api: { team: core, deployer: { type: webhook, url: 'http://127.0.0.1:1/deploy', retries: 2 } }
`;

describe('fuzz: hostile API requests and config files', () => {
  let db: Db;
  let store: Store;
  let live: LiveRuntime;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await openPgliteDb();
    await migrate(db);
    store = storeOn(db);
    live = await startLiveRuntime({
      yaml: BASE_CONFIG,
      env: { PROM_TOKEN: 'prom-token-fuzz' },
      store,
      start: false,
    });
    const { clock } = live.rt;
    for (const scope of ['read', 'deploy', 'admin'] as const)
      tokens[scope] = (await createApiToken(store, clock, { name: scope, scopes: [scope] })).secret;
    const revoked = await createApiToken(store, clock, { name: 'revoked', scopes: ['admin'] });
    await store.tokens.revoke(revoked.token.id, clock.now());
    tokens.revoked = revoked.secret;
    // Something to be left unchanged: a queued deploy and a hold, written to the store directly (the service
    // functions would wake the engine, which would rightly start the deploy).
    await store.deploys.create(
      { service: 'web', version: 'v1', trigger: { kind: 'api', actor: 'seed' } },
      clock.now(),
      'd_seeded',
    );
    await store.holds.create({
      id: 'h_seeded',
      scope: 'service',
      target: 'api',
      reason: 'seeded',
      actor: 'seed',
      createdAt: clock.now(),
    });
  }, 180_000);

  afterAll(async () => {
    await live?.close();
    await store?.close();
  });

  it(`answers ${REQUESTS} hostile requests with 4xx and an error code, never 5xx, and changes nothing`, async () => {
    const { app } = live.rt;
    const doc = app.swagger() as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string }> }>>;
    };
    const ops: Op[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        hasBody: !!op.requestBody,
        hasQuery: (op.parameters ?? []).some((p) => p.in === 'query'),
      })),
    );
    const before = await dump(db);
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const r = seeded(20_240_607);
    const bad: string[] = [];
    const byKind = new Map<string, Map<string, number>>();
    for (let i = 0; i < REQUESTS; i++) {
      const h = hostileRequest(r, ops, tokens, SIGNING_SECRET);
      const res = await app.inject({
        method: h.method as 'GET',
        url: h.url,
        headers: h.headers,
        ...(h.payload !== undefined ? { payload: h.payload } : {}),
      });
      let code: string | undefined;
      try {
        code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
      } catch {
        code = undefined;
      }
      const ok =
        res.statusCode >= 400 &&
        res.statusCode < 500 &&
        typeof code === 'string' &&
        /^[A-Z][A-Z_]+$/.test(code);
      if (!ok && bad.length < 20)
        bad.push(
          `#${i} ${h.kind} ${h.method} ${h.url.slice(0, 120)} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
      const counts = byKind.get(h.kind) ?? new Map<string, number>();
      counts.set(`${res.statusCode} ${code}`, (counts.get(`${res.statusCode} ${code}`) ?? 0) + 1);
      byKind.set(h.kind, counts);
    }
    console.info(
      `[fuzz] ${REQUESTS} requests:\n${[...byKind]
        .map(([k, m]) => `  ${k}: ${[...m].map(([s, n]) => `${s} x${n}`).join(', ')}`)
        .join('\n')}`,
    );
    expect(bad).toEqual([]);
    // Alive and unchanged.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const after = await dump(db);
    const changed = after.split('\n').filter((l) => !before.split('\n').includes(l));
    const gone = before.split('\n').filter((l) => !after.split('\n').includes(l));
    expect({ added: changed.slice(0, 10), removed: gone.slice(0, 10) }).toEqual({ added: [], removed: [] });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 600_000);

  it(`refuses ${CONFIGS} mutated config files with CONFIG_* errors that point at a line`, () => {
    const r = seeded(7_2024);
    const lines = BASE_CONFIG.split('\n');
    const outcomes = new Map<string, number>();
    const bad: string[] = [];
    for (let i = 0; i < CONFIGS; i++) {
      const text = mutateConfig(r, lines);
      const env = r.chance(0.8) ? { PROM_TOKEN: 'x' } : {};
      let result: string;
      try {
        const checked = validateConfigText(text, { file: 'fuzz.yaml', env });
        if (checked.ok) result = 'ok';
        else {
          result = checked.code;
          if (!checked.problems.length) bad.push(`#${i} ${checked.code} without problems`);
          for (const p of checked.problems) {
            if (!p.message || typeof p.line !== 'number' || p.line < 1)
              bad.push(`#${i} ${checked.code}: problem without a line: ${JSON.stringify(p).slice(0, 200)}`);
          }
        }
        // The loader agrees, and throws only its own codes.
        try {
          loadConfig({ file: 'fuzz.yaml', env, text });
          if (result !== 'ok') bad.push(`#${i} loadConfig accepted what validateConfigText refused`);
        } catch (e) {
          if (!isReleasebotError(e) || !e.code.startsWith('CONFIG_'))
            bad.push(`#${i} loadConfig threw ${String(e).slice(0, 200)}`);
        }
      } catch (e) {
        result = 'THREW';
        if (bad.length < 20)
          bad.push(
            `#${i} validateConfigText threw ${(e as Error).stack?.slice(0, 300)}\n${text.slice(0, 300)}`,
          );
      }
      outcomes.set(result, (outcomes.get(result) ?? 0) + 1);
    }
    console.info(`[fuzz] ${CONFIGS} configs: ${[...outcomes].map(([k, n]) => `${k} x${n}`).join(', ')}`);
    expect(bad).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Nearly all mutations break the file; the few that do not are harmless (a comment, a blank line).
    expect(outcomes.get('ok') ?? 0).toBeLessThan(CONFIGS / 10);
  }, 300_000);
});
