import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { configFrom } from '../support/config.js';
import { FakeSlack, type SlackCall } from '../notify/support/fake-slack.js';

/**
 * Issue 4's "done when", through the whole runtime: the real engine and judge roll back a deploy whose error ratio
 * crosses its static bound; the notification pump turns the stored events into one kept-up-to-date Slack message,
 * a thread with the evidence and an alert in the team's channel; then the buttons of another deploy's message,
 * pressed with requests signed as Slack signs them, pause, resume and roll it back through the same operations
 * the API uses.
 */
const SECRET = 'e2e-signing-secret';
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 3, 10, 0);

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

describe('Slack, end to end through the runtime', () => {
  let slack: FakeSlack;
  let store: Store;
  let rt: Runtime;
  const clock = new ManualClock(T0 - 30 * MIN);
  let errorRatio = 0.01;

  const minute = async () => {
    clock.advance(MIN);
    await rt.builtin!.ingestExposition(`errors{service="webapp"} ${errorRatio} ${clock.now()}\n`, {
      now: clock.now(),
    });
    await rt.engine.tickService('webapp');
  };
  const stateOf = async (id: string) => (await store.deploys.get(id))!.state;
  const press = async (button: Button, user = 'U0ALICE', secret = SECRET) => {
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: user, username: 'alice' },
        container: { type: 'message', channel_id: slack.channelId('#payments-deploys') },
        response_url: `${slack.origin}/respond/1`,
        actions: [{ action_id: button.action_id, value: button.value }],
      }),
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000)); // Slack's timestamp is wall time, checked against it
    const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    return rt.app.inject({
      method: 'POST',
      url: '/slack/interactions',
      payload: body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sig,
      },
    });
  };
  /** The buttons of the deploy's own message as last posted or updated (not the alert channel's post). */
  const buttonsOf = (deployId: string): Button[] => {
    const mine = slack.succeeded.filter(
      (c) =>
        (c.method === 'chat.update' ||
          (c.method === 'chat.postMessage' && c.args.channel === '#payments-deploys')) &&
        !c.args.thread_ts &&
        JSON.stringify(c.args.blocks ?? []).includes(deployId),
    );
    const blocks = mine.at(-1)!.args.blocks as Array<{ type: string; elements?: Button[] }>;
    return blocks.find((b) => b.type === 'actions')?.elements ?? [];
  };

  beforeAll(async () => {
    slack = await FakeSlack.start();
    store = await openStore({ url: 'memory:' });
    const config = configFrom(`
notifiers:
  slack:
    type: slack
    token: xoxb-e2e-token
    signingSecret: ${SECRET}
    apiUrl: ${slack.apiUrl}
    operators: { U0ALICE: { name: alice, scopes: [deploy] } }
teams:
  payments: { channel: '#payments-deploys', alertChannel: '#payments-alerts', mention: S0PAYMENTS }
services:
  webapp:
    team: payments
    interval: 1m
    stages:
      - { name: canary, traffic: 10, bake: 5m }
      - { name: full, traffic: 100, bake: 5m }
    checks:
      - { name: error-ratio, query: 'errors{service="webapp"}', static: { max: 0.05 }, action: rollback }
`);
    rt = await createRuntime({
      config,
      env: {},
      cwd: '/tmp',
      logger: silentLogger,
      clock,
      store,
      tickMs: 3_600_000,
    });
    await rt.start();
    for (let i = 0; i < 30; i++) await minute(); // healthy history before the deploys
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
    await store?.close();
    await slack?.close();
  });

  it('a rolled-back deploy makes one updated message, a thread with the evidence and an alert for the team', async () => {
    const { deploy } = await rt.deploys.createDeploy({
      service: 'webapp',
      version: 'v2.0.0',
      changes: [{ id: '#812', title: 'Retry card payments', author: 'bob' }],
      trigger: { kind: 'ci', actor: 'ci' },
    });
    await rt.engine.tickService('webapp'); // start + shift to 10 %
    errorRatio = 0.2;
    for (let i = 0; i < 5 && (await stateOf(deploy.id)) !== 'rolled_back'; i++) await minute();
    expect(await stateOf(deploy.id)).toBe('rolled_back');
    await rt.drain();

    const deployChannel = slack.channelId('#payments-deploys');
    const mine = (c: SlackCall) =>
      JSON.stringify(c.args).includes(deploy.id) || JSON.stringify(c.args).includes('v2.0.0');
    const roots = slack.succeeded.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        !c.args.thread_ts &&
        c.args.channel === '#payments-deploys' &&
        mine(c),
    );
    expect(roots).toHaveLength(1); // one message per deploy …
    const rootTs = '1700000000.000001';
    const updates = slack.succeeded.filter((c) => c.method === 'chat.update' && c.args.ts === rootTs);
    expect(updates.length).toBeGreaterThan(0); // … kept up to date
    expect(updates.every((c) => c.args.channel === deployChannel)).toBe(true);
    expect(JSON.stringify(updates.at(-1)!.args.blocks)).toMatch(/rolled back/i);
    const thread = slack.succeeded
      .filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === rootTs)
      .map((c) => String(c.args.text));
    const breach = thread.find((t) => t.includes('error-ratio') && /breach/i.test(t));
    expect(breach, thread.join('\n')).toBeDefined();
    expect(breach).toMatch(/0\.2/); // the value …
    expect(breach).toMatch(/0\.05/); // … and the threshold it crossed
    const alerts = slack.succeeded.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === '#payments-alerts',
    );
    expect(alerts.length).toBeGreaterThan(0);
    expect(String(alerts[0].args.text)).toContain('<!subteam^S0PAYMENTS>');
  }, 120_000);

  it('the buttons pause, resume and roll back a deploy, only with a valid signature', async () => {
    errorRatio = 0.01;
    const { deploy } = await rt.deploys.createDeploy({
      service: 'webapp',
      version: 'v2.0.1',
      trigger: { kind: 'ci', actor: 'ci' },
    });
    await rt.engine.tickService('webapp');
    await minute();
    await rt.drain();
    const label = (b: Button) => b.text.text;
    expect(buttonsOf(deploy.id).map(label)).toEqual(['Pause', 'Roll back']);

    const forged = await press(buttonsOf(deploy.id)[0], 'U0ALICE', 'not-the-secret');
    expect(forged.statusCode).toBe(401);
    expect(await stateOf(deploy.id)).toBe('running');

    expect((await press(buttonsOf(deploy.id)[0])).statusCode).toBe(200);
    expect(await stateOf(deploy.id)).toBe('paused');
    await rt.drain();
    expect(buttonsOf(deploy.id).map(label)).toEqual(['Resume', 'Roll back']);

    expect((await press(buttonsOf(deploy.id)[0])).statusCode).toBe(200);
    expect(await stateOf(deploy.id)).toBe('running');
    await rt.drain();
    const rollback = buttonsOf(deploy.id).find((b) => label(b) === 'Roll back')!;
    expect((await press(rollback)).statusCode).toBe(200);
    await rt.engine.tickService('webapp');
    expect(await stateOf(deploy.id)).toBe('rolled_back');
    const audit = await store.audit.list({ target: deploy.id });
    expect(audit.filter((a) => a.actor === 'alice').map((a) => a.action)).toEqual(
      expect.arrayContaining(['deploy.pause', 'deploy.resume', 'deploy.rollback']),
    );
  }, 120_000);
});
