import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/analysis/verdict.js';
import type { LifecycleEvent } from '../../../src/events/lifecycle-event.js';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import type { DeployOperations } from '../../../src/notify/slack/deploy-operations.js';
import { handleSlackRequest } from '../../../src/notify/slack/slack-interactions.js';
import {
  slackInteractionDeps,
  type SlackInteractionDeps,
} from '../../../src/notify/slack/slack-interaction-deps.js';
import { FakeSlack } from '../support/fake-slack.js';
import { appendEvents, breachCheck, deployRef, notifyConfig, T0 } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const SECRET = 'flow-signing-secret';
const pauseDecision: Decision = {
  action: 'pause',
  reason: 'error-ratio breached',
  alerts: [],
  culprits: ['error-ratio'],
  blind: false,
};

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

describe('a paused deploy rolled back from its Slack message', () => {
  let slack: FakeSlack;
  let h: Harness;
  let interactions: SlackInteractionDeps;
  const asked: string[][] = [];

  beforeEach(async () => {
    slack = await FakeSlack.start();
    const config = notifyConfig({
      slack: {
        type: 'slack',
        token: 'xoxb-flow-token',
        signingSecret: SECRET,
        apiUrl: slack.apiUrl,
        operators: { U0ALICE: { name: 'alice', scopes: ['deploy'], teams: ['payments'] } },
      },
    });
    h = await pumpHarness(config);
    await h.store.deploys.create(
      { service: 'webapp', version: 'v1.4.2', trigger: { kind: 'ci', actor: 'ci' } },
      T0,
      'd-1',
    );
    const record = async (op: string, id: string, actor: string, reason: string) => {
      asked.push([op, id, actor, reason]);
      return (await h.store.deploys.get(id))!;
    };
    const operations: DeployOperations = {
      pause: (id, actor, reason) => record('pause', id, actor, reason),
      resume: (id, actor, reason) => record('resume', id, actor, reason),
      rollback: (id, actor, reason) => record('rollback', id, actor, reason),
      status: async (service) => ({ service, active: null, queued: [], recent: [] }),
    };
    interactions = slackInteractionDeps(config, {
      store: h.store,
      clock: h.clock,
      wallClock: h.clock, // the signed requests below are stamped with the test's clock
      logger: h.deps.logger,
      operations,
    })!;
  });
  afterEach(async () => {
    await h.close();
    await slack.close();
  });

  it('buttons on the updated message roll it back; everything stays in one message and its thread', async () => {
    const d = deployRef();
    const paused = deployRef({ state: 'paused' });
    const events: LifecycleEvent[] = [
      { type: 'deploy:started', deploy: deployRef({ stage: null, stageIndex: -1, traffic: 0 }) },
      { type: 'stage:advanced', deploy: d, from: null, to: 'canary', traffic: 1 },
      {
        type: 'check:breached',
        deploy: d,
        check: { ...breachCheck, action: 'pause' },
        decision: pauseDecision,
      },
      { type: 'deploy:paused', deploy: paused, kind: 'check', reason: 'error-ratio breached' },
    ];
    await appendEvents(h.store, events);
    await drainOnce(h.deps);

    const root = slack.calls[0];
    const rootTs = '1700000000.000001';
    const channel = slack.channelId('#payments-deploys');
    const lastUpdate = slack.calls.filter((c) => c.method === 'chat.update').at(-1)!;
    const actions = (lastUpdate.args.blocks as Array<{ type: string; elements?: Button[] }>).find(
      (b) => b.type === 'actions',
    )!;
    expect(actions.elements!.map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      ['Resume', 'releasebot.resume', 'd-1'],
      ['Roll back', 'releasebot.rollback', 'd-1'],
    ]);

    // Alice presses "Roll back" on that message; Slack signs the request.
    const rollbackButton = actions.elements![1];
    const body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: 'U0ALICE', username: 'alice' },
        container: { type: 'message', channel_id: channel, message_ts: rootTs },
        response_url: `${slack.origin}/respond/1`,
        actions: [{ action_id: rollbackButton.action_id, value: rollbackButton.value }],
      }),
    }).toString();
    const ts = String(Math.floor(h.clock.now() / 1000));
    const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await handleSlackRequest(
      { rawBody: body, headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': sig } },
      interactions,
    );
    expect(res.status).toBe(200);
    expect(asked).toEqual([['rollback', 'd-1', 'alice', 'Roll back from Slack by alice']]);

    // The pipeline rolls back and writes its events; the pump carries them to Slack.
    await appendEvents(
      h.store,
      [
        {
          type: 'deploy:rolling_back',
          deploy: deployRef({ state: 'rolling_back' }),
          reason: 'Roll back from Slack by alice',
          automatic: false,
        },
        {
          type: 'deploy:rolled_back',
          deploy: deployRef({ state: 'rolled_back', traffic: 0 }),
          reason: 'Roll back from Slack by alice',
          automatic: false,
        },
      ],
      h.clock.now(),
      'alice',
    );
    await drainOnce(h.deps);

    const deployChannelTopLevel = slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && !c.args.thread_ts && c.args.channel !== '#payments-alerts',
    );
    expect(deployChannelTopLevel).toEqual([root]);
    const thread = slack.calls.filter((c) => c.args.thread_ts === rootTs).map((c) => String(c.args.text));
    expect(thread).toEqual([
      'Advanced to canary: 1% of traffic on v1.4.2',
      'error-ratio breached: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9) → pausing',
      'Paused (check) by releasebot: error-ratio breached',
      ':ballot_box_with_check: *Roll back* requested by <@U0ALICE> (releasebot user alice): Roll back from Slack by alice',
      'Rolling back (by alice): Roll back from Slack by alice',
      'Rolled back to v1.4.1: Roll back from Slack by alice',
    ]);
    const alerts = slack.calls
      .filter((c) => c.args.channel === '#payments-alerts')
      .map((c) => String(c.args.text));
    expect(alerts).toEqual([
      '<!subteam^S0PAYMENTS> webapp v1.4.2 paused (check): error-ratio breached',
      '<!subteam^S0PAYMENTS> webapp v1.4.2 is rolling back: Roll back from Slack by alice',
    ]);
    const finalUpdate = slack.calls.filter((c) => c.method === 'chat.update').at(-1)!;
    expect(finalUpdate.args).toMatchObject({
      channel,
      ts: rootTs,
      text: 'webapp v1.4.2: rolled back, canary (0%)',
    });
    expect(await h.store.audit.list({ target: 'd-1' })).toEqual([
      expect.objectContaining({
        actor: 'alice',
        action: 'slack.rollback',
        details: expect.objectContaining({ outcome: 'done' }),
      }),
    ]);
  });
});
