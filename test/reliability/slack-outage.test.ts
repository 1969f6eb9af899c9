// Slack unreachable for the whole of three deploys: the deploys go on and finish; their messages wait in the
// outbox and reach Slack (a local fake of its Web API behind a switchable proxy) once it is back. The runtime runs
// on a simulated clock, advanced by the test, so backoffs of minutes pass in moments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/pipeline/deploy.js';
import { ManualClock } from '../../src/time/clock.js';
import { FakeSlack } from '../notify/support/fake-slack.js';
import { startLiveRuntime, type LiveRuntime } from '../support/live-runtime.js';
import { OutageProxy } from '../support/outage-proxy.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';

const SERVICES = ['n1', 'n2', 'n3'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(postgresSkipReason !== null)('Slack down during deploys', () => {
  let db: TestDatabase;
  let slack: FakeSlack;
  let proxy: OutageProxy;
  let live: LiveRuntime;
  const clock = new ManualClock(Date.UTC(2031, 0, 7, 10, 0, 0));

  beforeAll(async () => {
    db = await createTestDatabase();
    slack = await FakeSlack.start();
    proxy = await OutageProxy.start(slack.origin);
    live = await startLiveRuntime({
      yaml: `
store: { url: '${db.url}' }
notifiers:
  slack: { type: slack, token: xoxb-111-222-slackoutage, apiUrl: '${proxy.url}/api/', channel: '#deploys' }
defaults:
  deployer: { type: none }
  stages: [{ name: canary, traffic: 10, bake: 2m }, { name: full, traffic: 100, bake: 2m }]
services:
${SERVICES.map((s) => `  ${s}: {}`).join('\n')}
`,
      clock,
      tickMs: 20,
      notifyPollMs: 20,
    });
  }, 60_000);

  afterAll(async () => {
    await live?.close();
    await proxy?.close();
    await slack?.close();
    await db?.drop();
  });

  /** Advances the simulated clock in steps until `done`, letting the runtime's loops run in between. */
  async function runUntil(what: string, stepMs: number, done: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (await done()) return;
      clock.advance(stepMs);
      await sleep(25);
    }
    throw new Error(`still waiting for ${what}`);
  }

  it('finishes the deploys while Slack is unreachable and delivers every message once it is back', async () => {
    const { rt } = live;
    proxy.mode = 'down';
    const ids: string[] = [];
    for (const s of SERVICES) {
      ids.push(
        (
          await rt.deploys.createDeploy({
            service: s,
            version: `${s}-2.0.1`,
            trigger: { kind: 'api', actor: 'ci' },
          })
        ).deploy.id,
      );
    }
    await runUntil('the deploys to finish', 5_000, async () => {
      const ds = await Promise.all(ids.map((id) => rt.store.deploys.get(id)));
      return ds.every((d) => d && isTerminal(d.state));
    });
    const finished = await Promise.all(ids.map((id) => rt.store.deploys.get(id)));
    expect(finished.map((d) => d?.state)).toEqual(['promoted', 'promoted', 'promoted']);
    // Slack was tried and never reached; the messages wait.
    expect(proxy.seen.down).toBeGreaterThan(0);
    expect(slack.calls).toHaveLength(0);
    const waiting = await rt.store.outbox.stats();
    expect(waiting.delivered).toBe(0);
    expect(waiting.failed).toBe(0);
    expect(waiting.pending).toBeGreaterThanOrEqual(SERVICES.length);
    const metrics = await rt.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/releasebot_notifications\{status="pending"\} [1-9]/);

    proxy.mode = 'up';
    await runUntil('the outbox to drain', 10_000, async () => (await rt.store.outbox.stats()).pending === 0);
    const after = await rt.store.outbox.stats();
    expect(after).toMatchObject({ failed: 0, pending: 0 });
    // Everything that waited went through (and whatever the pump routed since).
    expect(after.delivered).toBeGreaterThanOrEqual(waiting.pending);
    // Every deploy's message reached Slack, and says how the deploy ended.
    for (const s of SERVICES) {
      const about = slack.succeeded.filter((c) => JSON.stringify(c.args).includes(`${s}-2.0.1`));
      expect(
        about.some((c) => c.method === 'chat.postMessage'),
        `${s} posted`,
      ).toBe(true);
      expect(JSON.stringify(about).toLowerCase(), `${s} promoted`).toContain('promoted');
    }
    expect(slack.succeeded.every((c) => c.authorization === 'Bearer xoxb-111-222-slackoutage')).toBe(true);
  }, 120_000);
});
