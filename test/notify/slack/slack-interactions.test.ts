import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackNotifierConfig } from '../../../src/config/notifier-schema.js';
import { ReleasebotError } from '../../../src/errors/releasebot-error.js';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import type { DeployOperations, ServiceStatus } from '../../../src/notify/slack/deploy-operations.js';
import { ReplayCache } from '../../../src/notify/slack/replay-cache.js';
import type { SlackCommand } from '../../../src/notify/slack/slack-command.js';
import type { SlackInteractionDeps } from '../../../src/notify/slack/slack-interaction-deps.js';
import { handleSlackRequest, type SlackRequest } from '../../../src/notify/slack/slack-interactions.js';
import { SLACK_MESSAGE_NS } from '../../../src/notify/slack/slack-payload.js';
import type { Deploy } from '../../../src/pipeline/deploy.js';
import { FakeSlack } from '../support/fake-slack.js';
import { notifyConfig, T0 } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const SECRET = 'slack-signing-secret-for-tests';

/** Signs like Slack does: v0 HMAC-SHA256 over `v0:<ts>:<body>`, computed here independently of the code under test. */
function signed(body: string, nowMs: number, secret = SECRET): SlackRequest {
  const ts = String(Math.floor(nowMs / 1000));
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    rawBody: body,
    headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': sig },
    contentType: 'application/x-www-form-urlencoded',
  };
}

function buttonBody(userId: string, actionId: string, deployId: string, responseUrl: string): string {
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0TEAM' },
    team: { id: 'T0TEAM' },
    container: { type: 'message', channel_id: 'C00000001', message_ts: '1700000000.000001' },
    channel: { id: 'C00000001' },
    response_url: responseUrl,
    actions: [{ action_id: actionId, block_id: 'releasebot.deploy', value: deployId, type: 'button' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function commandBody(userId: string, text: string, responseUrl: string): string {
  return new URLSearchParams({
    command: '/releasebot',
    text,
    user_id: userId,
    user_name: userId.toLowerCase(),
    team_id: 'T0TEAM',
    channel_id: 'C0CHAT',
    response_url: responseUrl,
  }).toString();
}

/** The pipeline's operations as seen from Slack; records calls (the real pipeline is another room's). */
class RecordingOperations implements DeployOperations {
  calls: Array<[string, string, string, string]> = [];
  failWith: ReleasebotError | null = null;
  constructor(private readonly deploys: () => Promise<Deploy[]>) {}
  private async op(name: string, id: string, actor: string, reason: string): Promise<Deploy> {
    this.calls.push([name, id, actor, reason]);
    if (this.failWith) throw this.failWith;
    return (await this.deploys()).find((d) => d.id === id)!;
  }
  pause = (id: string, actor: string, reason: string) => this.op('pause', id, actor, reason);
  resume = (id: string, actor: string, reason: string) => this.op('resume', id, actor, reason);
  rollback = (id: string, actor: string, reason: string) => this.op('rollback', id, actor, reason);
  async status(service: string): Promise<ServiceStatus> {
    const all = (await this.deploys()).filter((d) => d.service === service);
    return { service, active: all[0] ?? null, queued: [], recent: [] };
  }
}

describe('Slack buttons and /releasebot', () => {
  let slack: FakeSlack;
  let h: Harness;
  let ops: RecordingOperations;
  let deps: SlackInteractionDeps;
  let respondUrl: string;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    respondUrl = `${slack.origin}/respond/T0TEAM/123/abc`;
    const slackCfg = {
      type: 'slack',
      token: 'xoxb-interactions-token',
      signingSecret: SECRET,
      apiUrl: slack.apiUrl,
      operators: {
        U0ALICE: { name: 'alice', scopes: ['deploy'] },
        U0READER: { name: 'rita', scopes: ['read'] },
        U0SEARCH: { name: 'sam', scopes: ['deploy'], teams: ['search'] },
      },
    } satisfies Partial<SlackNotifierConfig>;
    const config = notifyConfig({ slack: slackCfg });
    h = await pumpHarness(config);
    await h.store.deploys.create(
      {
        service: 'webapp',
        version: 'v1.4.2',
        previousVersion: 'v1.4.1',
        trigger: { kind: 'ci', actor: 'ci' },
      },
      T0,
      'd-1',
    );
    // The deploy message was posted earlier: its thread is where answers go.
    await h.store.kv.set(SLACK_MESSAGE_NS, 'slack:d-1', { channel: 'C00000001', ts: '1700000000.000001' });
    ops = new RecordingOperations(() => h.store.deploys.list());
    deps = {
      notifier: 'slack',
      slack: config.notifiers.slack as SlackNotifierConfig,
      config,
      operations: ops,
      store: h.store,
      clock: h.clock,
      // Signed requests in these tests are stamped with the test's clock.
      wallClock: h.clock,
      logger: h.deps.logger,
      replayCache: new ReplayCache(),
    };
  });
  afterEach(async () => {
    await h.close();
    await slack.close();
  });

  it('Pause button: verified, mapped to the operator, run, audited and answered in the thread', async () => {
    const res = await handleSlackRequest(
      signed(buttonBody('U0ALICE', 'releasebot.pause', 'd-1', respondUrl), h.clock.now()),
      deps,
    );
    expect(res).toEqual({ status: 200, body: '' });
    expect(ops.calls).toEqual([['pause', 'd-1', 'alice', 'Pause from Slack by alice']]);
    expect(await h.store.audit.list()).toEqual([
      expect.objectContaining({
        actor: 'alice',
        action: 'slack.pause',
        target: 'd-1',
        details: expect.objectContaining({ via: 'button', outcome: 'done', slackUserId: 'U0ALICE' }),
      }),
    ]);
    await drainOnce(h.deps);
    expect(slack.calls.map((c) => [c.method, c.args.channel, c.args.thread_ts])).toEqual([
      ['chat.postMessage', 'C00000001', '1700000000.000001'],
    ]);
    expect(slack.calls[0].args.text).toBe(
      ':ballot_box_with_check: *Pause* requested by <@U0ALICE> (releasebot user alice): Pause from Slack by alice',
    );
  });

  it('Roll back and Resume buttons reach their operations', async () => {
    await handleSlackRequest(
      signed(buttonBody('U0ALICE', 'releasebot.rollback', 'd-1', respondUrl), h.clock.now()),
      deps,
    );
    h.clock.advance(1_000);
    await handleSlackRequest(
      signed(buttonBody('U0ALICE', 'releasebot.resume', 'd-1', respondUrl), h.clock.now()),
      deps,
    );
    expect(ops.calls.map((c) => c.slice(0, 3))).toEqual([
      ['rollback', 'd-1', 'alice'],
      ['resume', 'd-1', 'alice'],
    ]);
  });

  it('refuses Slack users who are not operators, tells them privately, and audits the refusal', async () => {
    const res = await handleSlackRequest(
      signed(buttonBody('U0MALLORY', 'releasebot.rollback', 'd-1', respondUrl), h.clock.now()),
      deps,
    );
    expect(res.status).toBe(200);
    expect(ops.calls).toEqual([]);
    expect(await h.store.audit.list()).toEqual([
      expect.objectContaining({
        actor: 'slack:U0MALLORY',
        action: 'slack.rollback',
        details: expect.objectContaining({ outcome: 'refused' }),
      }),
    ]);
    await drainOnce(h.deps);
    expect(slack.calls).toEqual([
      expect.objectContaining({
        method: 'response_url',
        args: {
          response_type: 'ephemeral',
          text: expect.stringContaining('You are not a releasebot operator'),
        },
      }),
    ]);
  });

  it('refuses operators without the deploy scope or outside their teams', async () => {
    await handleSlackRequest(
      signed(buttonBody('U0READER', 'releasebot.rollback', 'd-1', respondUrl), h.clock.now()),
      deps,
    );
    h.clock.advance(1_000);
    await handleSlackRequest(
      signed(buttonBody('U0SEARCH', 'releasebot.pause', 'd-1', respondUrl), h.clock.now()),
      deps,
    );
    expect(ops.calls).toEqual([]);
    const audit = await h.store.audit.list();
    expect(audit.map((a) => [a.actor, a.action, a.details.outcome])).toEqual([
      ['rita', 'slack.rollback', 'refused'],
      ['sam', 'slack.pause', 'refused'],
    ]);
  });

  it('answers 401 to a bad signature, a stale timestamp and a replay, and acts on none of them', async () => {
    const body = buttonBody('U0ALICE', 'releasebot.rollback', 'd-1', respondUrl);
    expect((await handleSlackRequest(signed(body, h.clock.now(), 'not-the-secret'), deps)).status).toBe(401);
    expect((await handleSlackRequest(signed(body, h.clock.now() - 6 * 60_000), deps)).status).toBe(401);
    const tampered = signed(body, h.clock.now());
    tampered.rawBody = buttonBody('U0ALICE', 'releasebot.rollback', 'd-2', respondUrl);
    expect((await handleSlackRequest(tampered, deps)).status).toBe(401);

    const good = signed(body, h.clock.now());
    expect((await handleSlackRequest(good, deps)).status).toBe(200);
    const replay = await handleSlackRequest(good, deps);
    expect(replay).toEqual({
      status: 401,
      body: { error: expect.objectContaining({ code: 'SIGNATURE_INVALID' }) },
    });
    expect(ops.calls).toHaveLength(1);
  });

  it('/releasebot status <service> answers the user privately', async () => {
    const res = await handleSlackRequest(
      signed(commandBody('U0READER', 'status webapp', respondUrl), h.clock.now()),
      deps,
    );
    expect(res).toEqual({
      status: 200,
      body: { response_type: 'ephemeral', text: '*webapp*\nActive: v1.4.2 (`d-1`) queued' },
    });
  });

  it('/releasebot rollback <service> [reason] acts on the service’s active deploy with the reason given', async () => {
    const res = await handleSlackRequest(
      signed(commandBody('U0ALICE', 'rollback webapp checkout errors up', respondUrl), h.clock.now()),
      deps,
    );
    expect(ops.calls).toEqual([['rollback', 'd-1', 'alice', 'checkout errors up']]);
    expect(res.body).toEqual({
      response_type: 'ephemeral',
      text: 'webapp v1.4.2 (d-1): rolled back requested.',
    });
    h.clock.advance(1_000);
    await handleSlackRequest(signed(commandBody('U0ALICE', 'pause d-1', respondUrl), h.clock.now()), deps);
    expect(ops.calls[1]).toEqual(['pause', 'd-1', 'alice', 'Pause from Slack by alice']);
  });

  it('shows a pipeline refusal to the user and audits it as an error', async () => {
    ops.failWith = new ReleasebotError('DEPLOY_FINISHED', 'deploy d-1 has already ended (promoted)');
    const res = await handleSlackRequest(
      signed(commandBody('U0ALICE', 'pause webapp', respondUrl), h.clock.now()),
      deps,
    );
    expect(res.body).toEqual({
      response_type: 'ephemeral',
      text: 'deploy d-1 has already ended (promoted) (DEPLOY_FINISHED: The deploy has already ended; start a new deploy instead.)',
    });
    expect((await h.store.audit.list()).map((a) => [a.action, a.details.outcome])).toEqual([
      ['slack.pause', 'error'],
    ]);
  });

  it('refuses slash commands from unknown users with how to be added', async () => {
    const res = await handleSlackRequest(
      signed(commandBody('U0NOBODY', 'pause webapp', respondUrl), h.clock.now()),
      deps,
    );
    expect(res.body).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('`U0NOBODY` under `operators:`'),
    });
    expect(ops.calls).toEqual([]);
  });

  it('dispatches sub-commands other rooms register (incident), with their scope checked and audited', async () => {
    const runs: string[][] = [];
    const incident: SlackCommand = {
      scope: 'deploy',
      usage: 'incident open <service> <summary>',
      async run(ctx) {
        runs.push([ctx.operator.name, ...ctx.args]);
        return { text: 'Incident i-7 opened.', target: 'i-7', inChannel: true };
      },
    };
    deps.commands = { incident };
    const ok = await handleSlackRequest(
      signed(commandBody('U0ALICE', 'incident open webapp checkout down', respondUrl), h.clock.now()),
      deps,
    );
    expect(ok.body).toEqual({ response_type: 'in_channel', text: 'Incident i-7 opened.' });
    h.clock.advance(1_000);
    const refused = await handleSlackRequest(
      signed(commandBody('U0READER', 'incident open webapp x', respondUrl), h.clock.now()),
      deps,
    );
    expect(refused.body).toEqual({
      response_type: 'ephemeral',
      text: 'You need the `deploy` scope for that.',
    });
    expect(runs).toEqual([['alice', 'open', 'webapp', 'checkout', 'down']]);
    expect((await h.store.audit.list()).map((a) => [a.actor, a.action, a.target, a.details.outcome])).toEqual(
      [
        ['alice', 'slack.incident', 'i-7', 'done'],
        ['slack:U0READER', 'slack.incident', 'open', 'refused'],
      ],
    );
    h.clock.advance(1_000);
    const help = await handleSlackRequest(
      signed(commandBody('U0ALICE', 'help', respondUrl), h.clock.now()),
      deps,
    );
    expect(help.body).toEqual(
      expect.objectContaining({
        text: expect.stringContaining('`/releasebot incident open &lt;service&gt; &lt;summary&gt;`'),
      }),
    );
  });
});
