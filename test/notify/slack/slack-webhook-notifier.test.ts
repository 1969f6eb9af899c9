import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../src/notify/notification-pump.js';
import { RecordingServer } from '../support/recording-server.js';
import { appendEvents, notifyConfig, rolledBackDeployEvents } from '../support/notify-fixtures.js';
import { pumpHarness, type Harness } from '../support/pump-harness.js';

const HOOK_PATH = '/services/T0000/B0000/hooksecretXXXXXXXXXX';

describe('Slack incoming webhook notifier (@slack/webhook against a local server)', () => {
  let hook: RecordingServer;
  let h: Harness;

  beforeEach(async () => {
    hook = await RecordingServer.start({ status: 200, body: 'ok' });
    h = await pumpHarness(
      notifyConfig({
        chat: { type: 'slack-webhook', url: `${hook.url}${HOOK_PATH}`, users: { alice: 'U0ALICE' } },
      }),
    );
  });
  afterEach(async () => {
    await h.close();
    await hook.close();
  });

  it('posts warnings and worse as Block Kit messages, with the team mentioned on the rollback', async () => {
    await appendEvents(h.store, rolledBackDeployEvents());
    await drainOnce(h.deps);
    const bodies = hook.requests.map(
      (r) => JSON.parse(r.body) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> },
    );
    expect(
      hook.requests.every((r) => r.path === HOOK_PATH && r.headers['content-type'] === 'application/json'),
    ).toBe(true);
    expect(bodies.map((b) => b.text)).toEqual([
      'webapp v1.4.2: error-ratio breached: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9) → rolling back',
      '<!subteam^S0PAYMENTS> webapp v1.4.2: Rolling back (automatic): error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
      '<!subteam^S0PAYMENTS> webapp v1.4.2: Rolled back to v1.4.1: error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
    ]);
    expect(bodies[0].blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'context']);
    expect(bodies[0].blocks[0].text?.text).toBe(
      '*<https://releasebot.example.com/deploys/d-1|webapp v1.4.2>*',
    );
  });

  it('lets the pump retry a failing webhook, and keeps the webhook URL out of errors', async () => {
    hook.failNext({ status: 500, body: `error at ${HOOK_PATH}` });
    await appendEvents(h.store, rolledBackDeployEvents().slice(2, 3));
    await drainOnce(h.deps);
    const [item] = await h.store.outbox.forDeploy('d-1');
    expect(item.attempts).toBe(1);
    expect(item.lastError).toContain('HTTP 500');
    expect(item.lastError).not.toContain('hooksecret');
    h.clock.advance(5_000);
    await drainOnce(h.deps);
    expect(hook.requests.map((r) => r.status)).toEqual([500, 200]);
  });
});
