// Secrets never reach the log. A real `releasebot serve` process runs with every kind of secret in its config
// (interpolated from the environment): Slack bot token and signing secret, webhook deployer secret and auth header,
// webhook notifier secret, PagerDuty routing key, Prometheus bearer token and basic-auth password, the store URL's
// password. Real requests carry API tokens (valid, revoked, malformed, in Flagger's webhook metadata) and real
// deploys call receivers that fail and echo what they were sent. All of the process's output (debug level) is then
// searched for every secret, as written and as commonly encoded.
import pg from 'pg';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { systemClock } from '../../src/time/clock.js';
import { slackSignature } from '../../src/notify/slack/verify-slack-signature.js';
import { FakeSlack } from '../notify/support/fake-slack.js';
import { makeCluster, type Cluster } from '../support/cluster.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';
import { eventually } from '../support/prometheus.js';

const SECRETS = {
  SLACK_TOKEN: 'xoxb-4242-9191-SLACKBOTTOKENsecret',
  SLACK_SIGNING_SECRET: 'slacksigningsecret8c1f3e77a2',
  DEPLOYER_SECRET: 'deployer-hmac-secret-7d51c0',
  DEPLOYER_AUTH: 'Bearer deployer-auth-header-e41a9b',
  NOTIFY_SECRET: 'notifier-hmac-secret-52f0aa',
  PD_KEY: 'R0UTINGKEYpagerduty0000000000cafe',
  PROM_TOKEN: 'prometheus-bearer-token-b7e2d9',
  PROM_PASSWORD: 'prometheus-basic-password-6c3f1a',
  PG_PASSWORD: 'store-url-password-91ce0d',
};

/** A receiver standing in for a deploy system, Prometheus or a webhook endpoint: it fails and echoes its input. */
class EchoingReceiver {
  requests = 0;
  url = '';
  private server!: Server;
  constructor(
    private readonly answer: (
      req: IncomingMessage,
      body: string,
      n: number,
    ) => { status: number; body: string },
  ) {}
  static async start(answer: EchoingReceiver['answer']): Promise<EchoingReceiver> {
    const r = new EchoingReceiver(answer);
    r.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const a = r.answer(req, Buffer.concat(chunks).toString('utf8'), r.requests++);
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
      });
    });
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
    return r;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const echo = (req: IncomingMessage, body: string) =>
  JSON.stringify({
    error: `refused: authorization=${req.headers.authorization ?? ''} signature=${req.headers['x-releasebot-signature'] ?? ''} body=${body}`,
  });

describe.skipIf(postgresSkipReason !== null)('secrets never reach the log', () => {
  let db: TestDatabase;
  let store: Store;
  let cluster: Cluster;
  let slack: FakeSlack;
  const receivers: EchoingReceiver[] = [];
  let adminToken: string;
  let deployToken: string;
  let revokedToken: string;
  const apiSecrets: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const storeUrl = new URL(db.url);
    if (!storeUrl.password) storeUrl.password = SECRETS.PG_PASSWORD; // trust auth ignores it; the URL carries it
    store = await openStore({ url: db.url });
    slack = await FakeSlack.start();
    slack.failNext({ status: 500, body: { ok: false, error: `internal: token ${SECRETS.SLACK_TOKEN}` } }, 2);
    // The deploy system fails the first shift of every deploy, echoing its auth header, signature and body.
    const deployer = await EchoingReceiver.start((req, body) => {
      const key = String(req.headers['idempotency-key']);
      return key.includes(':shift:0:0')
        ? { status: 400, body: echo(req, body) }
        : { status: 200, body: '{}' };
    });
    // Prometheus refuses every query, echoing the credentials it got.
    const prom = await EchoingReceiver.start((req) => ({
      status: 401,
      body: JSON.stringify({
        status: 'error',
        errorType: 'unauthorized',
        error: `bad credentials ${req.headers.authorization}`,
      }),
    }));
    const hook = await EchoingReceiver.start((req, body) => ({ status: 500, body: echo(req, body) }));
    const pagerduty = await EchoingReceiver.start((_req, body) => ({
      status: 400,
      body: JSON.stringify({ status: 'invalid event', errors: [body] }),
    }));
    receivers.push(deployer, prom, hook, pagerduty);

    const config = `
store: { url: '${storeUrl.toString().replace(SECRETS.PG_PASSWORD, '${PG_PASSWORD}')}' }
sources:
  builtin: { type: builtin }
  prom: { type: prometheus, url: '${prom.url}', bearerToken: '\${PROM_TOKEN}', timeout: 2s }
  prom-basic: { type: prometheus, url: '${prom.url}', username: releasebot, password: '\${PROM_PASSWORD}', timeout: 2s }
notifiers:
  slack: { type: slack, token: '\${SLACK_TOKEN}', signingSecret: '\${SLACK_SIGNING_SECRET}', apiUrl: '${slack.apiUrl}', channel: '#deploys' }
  hook: { type: webhook, url: '${hook.url}/hook', secret: '\${NOTIFY_SECRET}' }
  pager: { type: pagerduty, routingKey: '\${PD_KEY}', url: '${pagerduty.url}/v2/enqueue' }
defaults:
  interval: 1s
  deployer:
    type: webhook
    url: '${deployer.url}/deploy'
    secret: '\${DEPLOYER_SECRET}'
    headers: { Authorization: '\${DEPLOYER_AUTH}' }
    retries: 1
    timeout: 5s
  stages: [{ name: canary, traffic: 10, bake: 1s }, { name: full, traffic: 100, bake: 1s }]
services:
  web: { key: true }
  blind:
    source: prom
    checks: [{ name: errors, query: 'errors{service="blind"}', kind: gauge, static: { max: 1 }, zscore: false, dynamic: false, compare: false, grace: 1 }]
  basic:
    source: prom-basic
    checks: [{ name: errors, query: 'errors{service="basic"}', kind: gauge, static: { max: 1 }, zscore: false, dynamic: false, compare: false, grace: 1 }]
`;
    cluster = await makeCluster({ size: 1, config, env: { ...SECRETS, RELEASEBOT_LOG_LEVEL: 'debug' } });
    adminToken = (await createApiToken(store, systemClock, { name: 'admin', scopes: ['admin'] })).secret;
    deployToken = (await createApiToken(store, systemClock, { name: 'ci', scopes: ['deploy'] })).secret;
    const revoked = await createApiToken(store, systemClock, { name: 'old', scopes: ['deploy'] });
    await store.tokens.revoke(revoked.token.id, Date.now());
    revokedToken = revoked.secret;
    apiSecrets.push(adminToken, deployToken, revokedToken);
    await cluster.replicas[0].start();
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
    await Promise.all(receivers.map((r) => r.close()));
    await slack?.close();
    await store?.close();
    await db?.drop();
  }, 60_000);

  it('keeps every secret out of the output of a server doing real work', async () => {
    const r = cluster.replicas[0];
    const call = (
      method: string,
      path: string,
      opts: { token?: string; authorization?: string; body?: unknown } = {},
    ) =>
      fetch(`${r.url}${path}`, {
        method,
        headers: {
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.authorization ? { authorization: opts.authorization } : {}),
        },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      });

    // Tokens in requests: valid, revoked, malformed, unknown, in a Flagger webhook's metadata.
    const created = await call('POST', '/api/v1/tokens', {
      token: adminToken,
      body: { name: 'made-by-api', scopes: ['read'] },
    });
    expect(created.status).toBe(201);
    apiSecrets.push(((await created.json()) as { secret: string }).secret);
    expect((await call('GET', '/api/v1/deploys', { token: revokedToken })).status).toBe(401);
    expect((await call('GET', '/api/v1/deploys', { authorization: `Token ${deployToken}` })).status).toBe(
      401,
    );
    expect((await call('GET', '/api/v1/deploys', { token: `rb_${'x'.repeat(43)}` })).status).toBe(401);
    const flagger = await call('POST', '/api/v1/integrations/flagger/event', {
      body: {
        name: 'web',
        namespace: 'prod',
        phase: 'Progressing',
        metadata: { token: deployToken, eventMessage: 'x' },
      },
    });
    expect(flagger.status).toBeLessThan(500);
    // A signed Slack command (the signing secret signs it) and a forged one.
    const form = `command=%2Freleasebot&text=status&user_id=U1&token=${SECRETS.SLACK_SIGNING_SECRET}`;
    const ts = String(Math.floor(Date.now() / 1000));
    for (const signature of [
      slackSignature(SECRETS.SLACK_SIGNING_SECRET, ts, form),
      `v0=${'0'.repeat(64)}`,
    ]) {
      const res = await fetch(`${r.url}/slack/commands`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signature,
        },
        body: form,
      });
      expect(res.status).toBeLessThan(500);
    }

    // Deploys: web's first shift is refused (the deploy pauses with the receiver's echo), then resumed; blind and
    // basic read a Prometheus that refuses their credentials.
    const deploys: Record<string, Deploy> = {};
    for (const service of ['web', 'blind', 'basic']) {
      const res = await call('POST', '/api/v1/deploys', {
        token: deployToken,
        body: { service, version: `${service}-3.1.0` },
      });
      expect(res.status).toBe(201);
      deploys[service] = ((await res.json()) as { deploy: Deploy }).deploy;
    }
    await eventually(
      async () => ((await store.deploys.get(deploys.web.id))?.state === 'paused' ? true : undefined),
      'web to pause on the refused shift',
      60_000,
    );
    expect(
      (await call('POST', `/api/v1/deploys/${deploys.web.id}/resume`, { token: deployToken, body: {} }))
        .status,
    ).toBe(200);
    await eventually(
      async () => {
        const [web, blind, basic] = await Promise.all(
          ['web', 'blind', 'basic'].map((s) => store.deploys.get(deploys[s].id)),
        );
        return web?.state === 'promoted' && blind?.state === 'paused' && basic?.state === 'paused'
          ? true
          : undefined;
      },
      'web promoted, blind and basic paused for lack of data',
      60_000,
    );
    // Roll one back so PagerDuty (a key service) is paged, and let the notifiers try and fail.
    const web2 = await call('POST', '/api/v1/deploys', {
      token: deployToken,
      body: { service: 'web', version: 'web-3.1.1' },
    });
    const w2 = ((await web2.json()) as { deploy: Deploy }).deploy;
    await eventually(
      async () => ((await store.deploys.get(w2.id))?.state === 'paused' ? true : undefined),
      'web 3.1.1 to pause',
      60_000,
    );
    expect(
      (
        await call('POST', `/api/v1/deploys/${w2.id}/rollback`, {
          token: deployToken,
          body: { reason: 'test' },
        })
      ).status,
    ).toBe(200);
    await eventually(
      async () => ((await store.deploys.get(w2.id))?.state === 'rolled_back' ? true : undefined),
      'rollback',
      60_000,
    );
    await eventually(
      async () => (receivers[3].requests > 0 && receivers[2].requests > 0 ? true : undefined),
      'notifier attempts',
      60_000,
    );
    await new Promise((res) => setTimeout(res, 1500)); // a few more pump rounds and retries

    const exit = await r.stop();
    expect(exit.code).toBe(0);
    const output = r.log;
    expect(output).toContain('"level":20'); // debug lines were written: the search covers them

    const leaks: string[] = [];
    const forms = (s: string) => [
      s,
      encodeURIComponent(s),
      Buffer.from(s).toString('base64'),
      JSON.stringify(s).slice(1, -1),
    ];
    for (const [name, secret] of Object.entries(SECRETS)) {
      for (const form of forms(secret))
        if (output.includes(form)) leaks.push(`${name} (${form === secret ? 'as is' : 'encoded'})`);
    }
    const basic = Buffer.from(`releasebot:${SECRETS.PROM_PASSWORD}`).toString('base64');
    if (output.includes(basic)) leaks.push('PROM_PASSWORD (basic auth header)');
    for (const [i, secret] of apiSecrets.entries())
      if (output.includes(secret)) leaks.push(`API token #${i}`);
    expect(leaks).toEqual([]);

    // Nor in what the store keeps (shown by the API, the dashboard and Slack): deploy reasons, events with
    // deployer output, evaluation evidence with source errors, notification payloads and their errors.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const stored: string[] = [];
    try {
      for (const table of ['deploys', 'events', 'evaluations', 'outbox', 'audit_log', 'api_tokens', 'kv']) {
        const exists = await admin.query(`SELECT to_regclass($1) AS t`, [table]);
        if (!exists.rows[0].t) continue;
        const rows = await admin.query(`SELECT t::text AS row FROM ${table} t`);
        const text = rows.rows.map((x: { row: string }) => x.row).join('\n');
        for (const [name, secret] of Object.entries(SECRETS))
          if (text.includes(secret)) stored.push(`${name} in ${table}`);
        for (const [i, secret] of apiSecrets.entries())
          if (text.includes(secret)) stored.push(`API token #${i} in ${table}`);
      }
    } finally {
      await admin.end();
    }
    const sentToSlack = JSON.stringify(slack.calls.map((c) => c.args));
    for (const [name, secret] of Object.entries(SECRETS))
      if (sentToSlack.includes(secret)) stored.push(`${name} sent to Slack`);
    expect(stored).toEqual([]);
  }, 240_000);
});
