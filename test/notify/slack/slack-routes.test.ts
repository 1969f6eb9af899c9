import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logging/logger.js';
import { ReplayCache } from '../../../src/notify/slack/replay-cache.js';
import { slackRoutes } from '../../../src/notify/slack/slack-routes.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { ManualClock } from '../../../src/time/clock.js';
import { notifyConfig, T0 } from '../support/notify-fixtures.js';
import type { SlackNotifierConfig } from '../../../src/config/notifier-schema.js';

const SECRET = 'route-signing-secret';

describe('slackRoutes (Fastify plugin)', () => {
  let app: FastifyInstance;
  let store: Store;
  const clock = new ManualClock(T0);
  const statusAsked: string[] = [];

  beforeAll(async () => {
    store = await openStore({ url: 'memory:' });
    const config = notifyConfig({
      slack: {
        type: 'slack',
        token: 'xoxb-route',
        signingSecret: SECRET,
        operators: { U0ALICE: { name: 'alice' } },
      },
    });
    app = Fastify();
    // The server's own JSON routes live beside it; the plugin's form parser must not leak out of it.
    app.post('/api/echo', async (req) => req.body);
    await app.register(slackRoutes, {
      notifier: 'slack',
      slack: config.notifiers.slack as SlackNotifierConfig,
      config,
      store,
      clock,
      // Signed requests in these tests are stamped with the test's clock.
      wallClock: clock,
      logger: silentLogger,
      replayCache: new ReplayCache(),
      operations: {
        pause: () => Promise.reject(new Error('not used')),
        resume: () => Promise.reject(new Error('not used')),
        rollback: () => Promise.reject(new Error('not used')),
        status: async (service) => {
          statusAsked.push(service);
          return { service, active: null, queued: [], recent: [] };
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const sign = (body: string, secret = SECRET) => {
    const ts = String(Math.floor(clock.now() / 1000));
    return {
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
    };
  };

  it('verifies the raw form body and answers the slash command as JSON', async () => {
    const body =
      'command=%2Freleasebot&text=status+webapp&user_id=U0ALICE&user_name=alice&channel_id=C1&team_id=T1';
    const res = await app.inject({
      method: 'POST',
      url: '/slack/commands',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ response_type: 'ephemeral', text: '*webapp*\nNo deploy in progress.' });
    expect(statusAsked).toEqual(['webapp']);
  });

  it('refuses a body that does not match its signature', async () => {
    const body = 'command=%2Freleasebot&text=status+webapp&user_id=U0ALICE&user_name=alice';
    clock.advance(1_000);
    const res = await app.inject({
      method: 'POST',
      url: '/slack/interactions',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
      payload: body.replace('webapp', 'api'),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: expect.objectContaining({ code: 'SIGNATURE_INVALID' }) });
  });

  it('refuses JSON and leaves the app’s other routes alone', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/slack/commands',
      payload: { text: 'status webapp' },
    });
    expect(res.statusCode).toBe(415);
    const echo = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
    expect(echo.json()).toEqual({ a: 1 });
  });
});
