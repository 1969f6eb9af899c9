import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safetyPlugin } from '../../src/server/routes/safety-routes.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { makeApi, type ApiHarness } from '../support/api-harness.js';
import { at } from './support/fixtures.js';
import { safetyConfig } from './support/safety-config.js';

const MIN = 60_000;
const config = safetyConfig();

describe('safety API', () => {
  let store: Store;
  let api: ApiHarness;
  const clock = new ManualClock(at('2025-03-05T12:00'));
  const tokens: Record<string, string> = {};
  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });
  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, token?: string, payload?: object) =>
    api.app.inject({
      method,
      url,
      ...(token ? { headers: auth(token) } : {}),
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    store = await openStore({ url: 'memory:' });
    api = await makeApi(store, config, { plugins: [safetyPlugin({ config, store, clock })] });
    tokens.read = await api.token(['read']);
    tokens.deploy = await api.token(['deploy']);
    tokens.admin = await api.token(['admin']);
    tokens.payDeploy = await api.token(['deploy'], { services: ['pay'] });
    tokens.paymentsRead = await api.token(['read'], { teams: ['payments'] });
  });
  afterAll(async () => {
    await api.close();
    await store.close();
  });

  const body = (over: object = {}) => ({
    title: 'Checkout errors',
    severity: 'high',
    impactStart: '2025-03-05T11:00Z',
    services: ['web-a'],
    ...over,
  });

  it('refuses every new route without a token, and writes without the scope or service', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/incidents'],
      ['GET', '/api/v1/incidents/i_x'],
      ['GET', '/api/v1/reports/safety'],
      ['POST', '/api/v1/incidents'],
      ['PATCH', '/api/v1/incidents/i_x'],
      ['POST', '/api/v1/incidents/i_x/resolve'],
      ['POST', '/api/v1/incidents/import'],
    ] as const) {
      const res = await inject(method, url, undefined, method === 'GET' ? undefined : {});
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 401, 'AUTH_MISSING']);
    }
    expect((await inject('GET', '/api/v1/incidents', 'read')).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/reports/safety', 'read')).statusCode).toBe(200);
    const readCreate = await inject('POST', '/api/v1/incidents', 'read', body());
    expect([readCreate.statusCode, readCreate.json().error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    // Imports rewrite history: admin only.
    const deployImport = await inject('POST', '/api/v1/incidents/import', 'deploy', { incidents: [] });
    expect([deployImport.statusCode, deployImport.json().error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    // A token limited to pay may not open an incident on web-a, nor touch one.
    const other = await inject('POST', '/api/v1/incidents', 'payDeploy', body());
    expect(other.json().error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      message: expect.stringContaining('"web-a"'),
    });
    expect(await store.incidents.list()).toEqual([]);
    const mine = await inject(
      'POST',
      '/api/v1/incidents',
      'payDeploy',
      body({ services: ['pay'], title: 'Payments slow' }),
    );
    expect(mine.statusCode).toBe(201);
    const webA = (
      await inject(
        'POST',
        '/api/v1/incidents',
        'deploy',
        body({ impactStart: '2025-03-05T09:00Z', mitigatedAt: '2025-03-05T10:00Z', deploys: [] }),
      )
    ).json().incident;
    const patch = await inject('PATCH', `/api/v1/incidents/${webA.id}`, 'payDeploy', { note: 'mine now' });
    expect(patch.json().error.code).toBe('AUTH_FORBIDDEN');
    const move = await inject('PATCH', `/api/v1/incidents/${mine.json().incident.id}`, 'payDeploy', {
      services: ['pay', 'web-a'],
    });
    expect(move.json().error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      message: expect.stringContaining('"web-a"'),
    });
    const resolve = await inject('POST', `/api/v1/incidents/${webA.id}/resolve`, 'payDeploy', {});
    expect(resolve.json().error.code).toBe('AUTH_FORBIDDEN');
    expect((await store.incidents.get(webA.id))?.endedAt).toBeNull();
  });

  it('shows a token limited to a team only its services, in lists and reports', async () => {
    const list = (await inject('GET', '/api/v1/incidents', 'paymentsRead')).json().incidents;
    expect(list.map((i: { services: string[] }) => i.services)).toEqual([['pay']]);
    const forbidden = await inject('GET', '/api/v1/reports/safety?service=web-a', 'paymentsRead');
    expect([forbidden.statusCode, forbidden.json().error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const hidden = (await store.incidents.list({ services: ['web-a'] }))[0];
    expect((await inject('GET', `/api/v1/incidents/${hidden.id}`, 'paymentsRead')).statusCode).toBe(403);
  });

  it('creates, updates and resolves an incident linked to a deploy, checking times, services and deploys', async () => {
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v1/deploys',
      headers: auth('deploy'),
      payload: { service: 'web-b', version: 'v9' },
    });
    const deployId = created.json().deploy.id as string;
    // `50m` is 50 minutes before the server's clock (12:00): detected at 11:10.
    const res = await inject('POST', '/api/v1/incidents', 'deploy', {
      title: 'Search timeouts',
      severity: 'high',
      impactStart: '2025-03-05T11:00Z',
      detectedAt: '50m',
      deploys: [deployId],
      exposurePct: 5,
    });
    expect(res.statusCode).toBe(201);
    const i = res.json().incident;
    expect(i).toMatchObject({
      services: ['web-b'],
      teams: ['web'],
      deployIds: [deployId],
      status: 'open',
      changeTriggered: true,
      counted: true,
      ttdMs: 10 * MIN,
      ttrMs: null,
      createdBy: expect.stringMatching(/^t\d+-deploy$/),
    });

    const early = await inject('PATCH', `/api/v1/incidents/${i.id}`, 'deploy', {
      mitigatedAt: '2025-03-05T11:05Z',
    });
    expect([early.statusCode, early.json().error.code]).toEqual([400, 'TIMES_OUT_OF_ORDER']);
    expect(early.json().error.message).toBe(
      'mitigatedAt 2025-03-05T11:05:00Z is before detectedAt 2025-03-05T11:10:00Z',
    );
    const medium = (
      await inject('PATCH', `/api/v1/incidents/${i.id}`, 'deploy', {
        mitigatedAt: '2025-03-05T11:20Z',
        severity: 'medium',
      })
    ).json().incident;
    expect(medium).toMatchObject({ counted: false, ttrMs: 20 * MIN, revision: 1 });
    expect(
      (await inject('PATCH', `/api/v1/incidents/${i.id}`, 'deploy', { selected: true })).json().incident
        .counted,
    ).toBe(true);

    clock.advance(30 * MIN);
    const resolved = (
      await inject('POST', `/api/v1/incidents/${i.id}/resolve`, 'deploy', { note: 'fixed forward in v10' })
    ).json().incident;
    expect(resolved).toMatchObject({
      status: 'resolved',
      endedAt: clock.now(),
      note: expect.stringContaining('fixed forward in v10'),
    });
    expect((await store.audit.list({ target: i.id })).map((a) => a.action).sort()).toEqual([
      'incident.create',
      'incident.resolve',
      'incident.update',
      'incident.update',
    ]);
    expect(
      (await inject('GET', `/api/v1/incidents?deploy=${deployId}`, 'read'))
        .json()
        .incidents.map((x: { id: string }) => x.id),
    ).toEqual([i.id]);
    expect(
      (await inject('GET', '/api/v1/incidents?status=open&service=web-b', 'read')).json().incidents,
    ).toEqual([]);

    const unknownDeploy = await inject('POST', '/api/v1/incidents', 'deploy', body({ deploys: ['d_nope'] }));
    expect([unknownDeploy.statusCode, unknownDeploy.json().error.code]).toEqual([404, 'DEPLOY_UNKNOWN']);
    const unknownService = await inject('POST', '/api/v1/incidents', 'deploy', body({ services: ['web-z'] }));
    expect(unknownService.json().error).toMatchObject({
      code: 'SERVICE_UNKNOWN',
      message: expect.stringContaining('did you mean'),
    });
    const badTime = await inject('POST', '/api/v1/incidents', 'deploy', body({ impactStart: 'yesterday' }));
    expect([badTime.statusCode, badTime.json().error.code]).toEqual([400, 'REQUEST_INVALID']);
    expect((await inject('GET', '/api/v1/incidents/i_nope', 'read')).json().error.code).toBe(
      'INCIDENT_UNKNOWN',
    );
  });

  it('serves the report as JSON and as CSV tables', async () => {
    const json = await inject(
      'GET',
      '/api/v1/reports/safety?period=week&from=2025-03-03&to=2025-03-10',
      'read',
    );
    expect(json.statusCode).toBe(200);
    const r = json.json();
    expect(r.periods.map((p: { label: string }) => p.label)).toEqual(['2025-W10']);
    // Counted: the search incident (11:00–11:20 at 5%). The others are not change-triggered.
    expect(r.periods[0]).toMatchObject({
      incidents: 1,
      ttd: { median: 10 * MIN },
      ttr: { median: 20 * MIN },
    });
    expect(r.periods[0].impactHours.raw).toBeCloseTo(20 / 60, 10);
    expect(r.periods[0].impactHours.weighted).toBeCloseTo((20 / 60) * 0.05, 10);
    const csv = await inject(
      'GET',
      '/api/v1/reports/safety?period=week&from=2025-03-03&to=2025-03-10&format=csv&table=incidents',
      'read',
    );
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = csv.body.trim().split('\r\n');
    expect(header.split(',').slice(0, 3)).toEqual(['id', 'title', 'severity']);
    expect(row).toContain('Search timeouts,medium,true,true,web-b');
    const bad = await inject('GET', '/api/v1/reports/safety?period=year', 'read');
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'REQUEST_INVALID']);
  });

  it('imports over the API, answering errors with their rows', async () => {
    const text =
      'severity,impact_start,detected_at,services\nhigh,2024-05-01T10:00Z,2024-05-01T09:00Z,web-c\n';
    const res = await inject('POST', '/api/v1/incidents/import', 'admin', {
      csv: [{ name: 'old.csv', text }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'TIMES_OUT_OF_ORDER',
      details: [
        {
          file: 'old.csv',
          line: 2,
          path: 'detected_at',
          message: expect.stringContaining('is before impact_start'),
        },
      ],
    });
    const ok = await inject('POST', '/api/v1/incidents/import', 'admin', {
      incidents: [{ severity: 'low', impactStart: '2024-05-01T10:00Z', services: ['web-c'] }],
    });
    expect(ok.json()).toMatchObject({ deploys: 0, incidents: 1, dryRun: false });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await api.app.inject('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/incidents',
        '/api/v1/incidents/{id}',
        '/api/v1/incidents/{id}/resolve',
        '/api/v1/incidents/import',
        '/api/v1/reports/safety',
      ]),
    );
  });
});
