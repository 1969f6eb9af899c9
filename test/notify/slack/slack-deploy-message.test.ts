import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import { SLACK_MESSAGE_NS } from '../../../src/notify/slack/slack-payload.js';
import { FakeSlack, type SlackCall } from '../support/fake-slack.js';
import { appendEvents, notifyConfig, rolledBackDeployEvents } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const TOKEN = 'xoxb-1111-2222-notarealtoken';

interface Block {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ action_id?: string; text: string | { text: string }; value?: string; style?: string }>;
}
const blocksOf = (c: SlackCall): Block[] => c.args.blocks as Block[];

describe('Slack deploy message, thread and alert (official WebClient against a local Slack)', () => {
  let slack: FakeSlack;
  let h: Harness;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    h = await pumpHarness(
      notifyConfig({
        slack: {
          type: 'slack',
          token: TOKEN,
          signingSecret: 'sign-secret-1',
          apiUrl: slack.apiUrl,
          users: { alice: 'U0ALICE' },
        },
      }),
    );
  });
  afterEach(async () => {
    await h.close();
    await slack.close();
  });

  it('posts one message per deploy, updates it with the same ts, threads the events and alerts the team', async () => {
    await appendEvents(h.store, rolledBackDeployEvents());
    await drainOnce(h.deps);

    const calls = slack.calls;
    expect(calls.map((c) => [c.method, c.args.channel, c.args.thread_ts ?? null])).toEqual([
      ['chat.postMessage', '#payments-deploys', null], // deploy:started: the deploy message
      ['chat.update', 'C00000001', null], // stage:advanced: message now shows the canary stage
      ['chat.postMessage', 'C00000001', '1700000000.000001'], // …and its thread reply
      // check:breached leaves the message as it was (no update sent), and replies with the evidence
      ['chat.postMessage', 'C00000001', '1700000000.000001'],
      ['chat.update', 'C00000001', null], // rolling back
      ['chat.postMessage', 'C00000001', '1700000000.000001'],
      ['chat.postMessage', '#payments-alerts', null], // alert channel, once for the whole rollback
      ['chat.update', 'C00000001', null], // rolled back
      ['chat.postMessage', 'C00000001', '1700000000.000001'],
    ]);
    expect(calls.every((c) => c.authorization === `Bearer ${TOKEN}` && c.status === 200)).toBe(true);
    expect(
      calls.filter((c) => c.method === 'chat.update').every((c) => c.args.ts === '1700000000.000001'),
    ).toBe(true);

    // The deploy message: Block Kit with a plain-text fallback, changes with links and mentioned authors, buttons.
    const first = calls[0];
    expect(first.args.text).toBe('webapp v1.4.2: running');
    expect(blocksOf(first).map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context',
      'actions',
    ]);
    expect(blocksOf(first)[0].text?.text).toBe('webapp v1.4.2');
    expect(blocksOf(first)[2].fields?.map((f) => f.text)).toEqual([
      '*Service*\nwebapp (payments)',
      '*Version*\nv1.4.1 → v1.4.2',
      '*Stage*\n–',
      '*Traffic*\n0%',
    ]);
    expect(blocksOf(first)[3].text?.text).toBe(
      '*Changes*\n• <https://git.example.com/pr/812|#812 Retry payment webhooks> by <@U0ALICE>\n' +
        '• #815 Bump &lt;http&gt; client &amp; TLS by bob',
    );
    expect(blocksOf(first)[4].elements?.map((e) => e.text)).toEqual([
      '<https://releasebot.example.com/deploys/d-1|Open deploy d-1>',
      'Stages: canary 1% → half 50% → full 100%',
    ]);
    expect(blocksOf(first)[5].elements?.map((e) => [e.action_id, e.value, e.style ?? null])).toEqual([
      ['releasebot.pause', 'd-1', null],
      ['releasebot.rollback', 'd-1', 'danger'],
    ]);

    const inCanary = calls[1];
    expect(inCanary.args.text).toBe('webapp v1.4.2: running, canary (1%)');
    expect(blocksOf(inCanary)[1].text?.text).toBe(':large_blue_circle: *Running* in stage *canary*');
    expect(blocksOf(inCanary)[4].elements?.[1]).toEqual(
      expect.objectContaining({ text: 'Stages: *canary 1%* → half 50% → full 100%' }),
    );
    expect(calls[2].args.text).toBe('Advanced to canary: 1% of traffic on v1.4.2');
    // Form-encoded by the official client, so booleans arrive as text.
    expect(calls[2].args.reply_broadcast).toBe('false');

    // The breach: evidence in fields, broadcast to the channel because it stopped the deploy, authors named.
    const breach = calls[3];
    expect(breach.args.reply_broadcast).toBe('true');
    expect(breach.args.text).toBe(
      'error-ratio breached: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9) → rolling back',
    );
    expect(blocksOf(breach).map((b) => b.type)).toEqual(['section', 'section', 'context']);
    expect(blocksOf(breach)[1].fields?.map((f) => f.text)).toEqual([
      '*Metric*\nerror-ratio',
      '*Canary*\n0.84%',
      '*Baseline (stable)*\n0.11%',
      '*Value*\n0.84%',
      '*Baseline*\n0.11% ± 0.02%',
      '*z-score*\n7.9 (threshold 3)',
      '*p-value*\n2.0e-9',
      '*Effect*\n+660%',
      '*Action*\nrolling back',
    ]);
    expect(blocksOf(breach)[2].elements?.[0]).toEqual(
      expect.objectContaining({ text: 'Changes by <@U0ALICE>, bob' }),
    );

    const rollingBack = calls[4];
    expect(blocksOf(rollingBack).map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'context',
    ]);
    expect(blocksOf(rollingBack)[1].text?.text).toBe(
      ':rewind: *Rolling back*: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
    );

    const alert = calls[6];
    expect(alert.args.text).toBe(
      '<!subteam^S0PAYMENTS> webapp v1.4.2 is rolling back: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
    );
    expect(blocksOf(alert)[0].text?.text).toContain(
      '<!subteam^S0PAYMENTS> :rotating_light: *webapp v1.4.2 is rolling back*',
    );
    expect(blocksOf(alert)[1].elements?.[0]).toEqual(
      expect.objectContaining({
        text: '<https://releasebot.example.com/deploys/d-1|Open deploy d-1> · thread in #payments-deploys · stage canary, 1% traffic',
      }),
    );

    const final = calls[7];
    expect(final.args.text).toBe('webapp v1.4.2: rolled back, canary (0%)');
    expect(blocksOf(final)[1].text?.text).toBe(
      ':leftwards_arrow_with_hook: *Rolled back* to v1.4.1: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
    );
    expect(blocksOf(final).some((b) => b.type === 'actions')).toBe(false);

    expect(await h.store.kv.get(SLACK_MESSAGE_NS, 'slack:d-1')).toEqual(
      expect.objectContaining({ channel: 'C00000001', ts: '1700000000.000001' }),
    );
    // Draining again sends nothing: every message went exactly once.
    const again = await drainOnce(h.deps);
    expect(again).toEqual({ enqueued: 0, delivered: 0, retrying: 0, gaveUp: 0, deferred: 0 });
    expect(slack.calls).toHaveLength(9);
  });

  it('puts the mention into the broadcast thread reply when the team has no alert channel', async () => {
    await h.close();
    h = await pumpHarness(
      notifyConfig(
        { slack: { type: 'slack', token: TOKEN, apiUrl: slack.apiUrl } },
        { teams: { payments: { channel: '#payments-deploys', mention: 'S0PAYMENTS' } } },
      ),
    );
    await appendEvents(h.store, rolledBackDeployEvents().slice(0, 4));
    await drainOnce(h.deps);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.args.channel)).not.toContain('#payments-alerts');
    const rollingBack = posts[posts.length - 1];
    expect(rollingBack.args.thread_ts).toBe('1700000000.000001');
    expect(rollingBack.args.reply_broadcast).toBe('true');
    expect(String(rollingBack.args.text).startsWith('<!subteam^S0PAYMENTS> Rolling back (automatic)')).toBe(
      true,
    );
  });

  it('posts the deploy message anew when Slack no longer has it', async () => {
    await appendEvents(h.store, rolledBackDeployEvents().slice(0, 1));
    await drainOnce(h.deps);
    slack.failNext({ status: 200, body: { ok: false, error: 'message_not_found' } });
    await appendEvents(h.store, rolledBackDeployEvents().slice(1, 2), h.clock.now());
    await drainOnce(h.deps);
    expect(slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'chat.update',
      'chat.postMessage',
      'chat.postMessage',
    ]);
    expect(slack.calls[3].args.thread_ts).toBe('1700000000.000002');
    expect(await h.store.kv.get(SLACK_MESSAGE_NS, 'slack:d-1')).toEqual(
      expect.objectContaining({ ts: '1700000000.000002' }),
    );
  });
});
