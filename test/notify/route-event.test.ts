import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, StoredEvent } from '../../src/events/lifecycle-event.js';
import { routeEvent } from '../../src/notify/route-event.js';
import type { SlackPayload } from '../../src/notify/slack/slack-payload.js';
import { deployRef, notifyConfig, rolledBackDeployEvents, T0 } from './support/notify-fixtures.js';

const stored = (event: LifecycleEvent, seq = 7): StoredEvent => ({
  seq,
  at: T0,
  actor: 'releasebot',
  deployId: 'deploy' in event ? event.deploy.id : null,
  service: 'deploy' in event ? event.deploy.service : null,
  event,
});
const [started, advanced, breached, rollingBack, rolledBack] = rolledBackDeployEvents();
const slackOnly = notifyConfig({ slack: { type: 'slack', token: 'xoxb-x' } });
const summary = (ds: ReturnType<typeof routeEvent>) =>
  ds.map((d) => {
    const p = d.payload as SlackPayload;
    return `${d.dedupKey} ${p.kind} ${'channel' in p ? p.channel : ''}`.trim();
  });

describe('routeEvent', () => {
  it('routes a service’s events to its team’s deploy channel, and rollbacks also to the alert channel', () => {
    expect(summary(routeEvent(stored(started), slackOnly))).toEqual([
      'slack:7:deploy slack.deploy #payments-deploys',
    ]);
    expect(summary(routeEvent(stored(advanced), slackOnly))).toEqual([
      'slack:7:deploy slack.deploy #payments-deploys',
      'slack:7:reply slack.reply #payments-deploys',
    ]);
    expect(summary(routeEvent(stored(rollingBack), slackOnly))).toEqual([
      'slack:7:deploy slack.deploy #payments-deploys',
      'slack:7:reply slack.reply #payments-deploys',
      'slack:alert:d-1:rollback slack.post #payments-alerts',
    ]);
    // Rolled back shares the alert's dedup key with rolling back: the team is alerted once per rollback.
    expect(summary(routeEvent(stored(rolledBack, 8), slackOnly))).toContain(
      'slack:alert:d-1:rollback slack.post #payments-alerts',
    );
  });

  it('gives the same deliveries for the same event (safe to replay)', () => {
    expect(routeEvent(stored(breached), slackOnly)).toEqual(routeEvent(stored(breached), slackOnly));
  });

  it('falls back to the notifier’s channels for services that name none, and skips Slack when there is none', () => {
    const ev = stored({ ...advanced, deploy: deployRef({ service: 'batch' }) } as LifecycleEvent);
    const withBatch = { services: { webapp: {}, batch: {} } };
    expect(routeEvent(ev, notifyConfig({ slack: { type: 'slack', token: 'x' } }, withBatch))).toEqual([]);
    expect(
      summary(
        routeEvent(
          ev,
          notifyConfig({ slack: { type: 'slack', token: 'x', channel: '#deploys' } }, withBatch),
        ),
      ),
    ).toEqual(['slack:7:deploy slack.deploy #deploys', 'slack:7:reply slack.reply #deploys']);
  });

  it('honours services/teams filters and minSeverity', () => {
    const config = notifyConfig({
      apiOnly: { type: 'slack', token: 'x', services: ['api'] },
      paymentsTeam: { type: 'webhook', url: 'https://hooks.example.com/x', teams: ['payments'] },
      loud: { type: 'webhook', url: 'https://hooks.example.com/y', minSeverity: 'critical' },
      chat: { type: 'slack-webhook', url: 'https://hooks.slack.com/services/T/B/x' },
    });
    expect(routeEvent(stored(advanced), config).map((d) => d.notifier)).toEqual(['paymentsTeam']);
    expect(routeEvent(stored(breached), config).map((d) => d.notifier)).toEqual([
      'paymentsTeam',
      'loud',
      'chat',
    ]);
    const apiEvent = stored({ ...advanced, deploy: deployRef({ service: 'api' }) } as LifecycleEvent);
    expect(routeEvent(apiEvent, config).map((d) => d.dedupKey)).toEqual([
      'apiOnly:7:deploy',
      'apiOnly:7:reply',
    ]);
  });

  it('without an alert channel, mentions the team in the broadcast thread reply instead', () => {
    const config = notifyConfig(
      { slack: { type: 'slack', token: 'x' } },
      { teams: { payments: { channel: '#p', mention: '@here' } } },
    );
    const [, reply] = routeEvent(stored(rollingBack), config);
    const p = reply.payload as Extract<SlackPayload, { kind: 'slack.reply' }>;
    expect(p.broadcast).toBe(true);
    expect(p.message.text.startsWith('<!here> Rolling back (automatic)')).toBe(true);
  });

  it('sends holds to the affected team’s channel', () => {
    const hold = stored({
      type: 'hold:set',
      hold: { id: 'h1', scope: 'team', target: 'payments', reason: 'freeze <Friday>' },
    });
    const [d] = routeEvent(hold, slackOnly);
    expect(d).toMatchObject({
      dedupKey: 'slack:7:hold',
      deployId: null,
      payload: { kind: 'slack.post', channel: '#payments-deploys' },
    });
    expect((d.payload as Extract<SlackPayload, { kind: 'slack.post' }>).message.text).toBe(
      'Hold set on team payments by releasebot: freeze &lt;Friday&gt;',
    );
  });

  it('goes to the log notifier when no notifier is configured', () => {
    expect(routeEvent(stored(breached), notifyConfig({}), { timeZone: 'UTC' })).toEqual([
      {
        notifier: 'log',
        dedupKey: 'log:7:line',
        deployId: 'd-1',
        payload: {
          kind: 'log.line',
          line: '12:04 webapp v1.4.2 canary 1%: error-ratio breached (canary 0.84% vs 0.11%, z=7.9) → rolling back',
          type: 'check:breached',
          severity: 'critical',
          service: 'webapp',
          deployId: 'd-1',
        },
      },
    ]);
  });
});
