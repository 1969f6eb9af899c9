import type { StoredEvent } from '../api-types.js';
import { h } from '../dom.js';
import { formatTime, isoTime } from '../format.js';

/** What an event says, in a few words, and its detail line. */
export function describeEvent(e: StoredEvent): { what: string; detail: string } {
  const ev = e.event;
  switch (ev.type) {
    case 'deploy:queued':
      return { what: 'queued', detail: `${ev.deploy.service} ${ev.deploy.version}` };
    case 'deploy:started':
      return {
        what: 'started',
        detail: ev.deploy.previousVersion ? `replacing ${ev.deploy.previousVersion}` : '',
      };
    case 'deploy:superseded':
      return { what: 'superseded', detail: `by ${ev.by}` };
    case 'stage:advanced':
      return {
        what: `stage ${ev.to}`,
        detail: `${ev.traffic}% of traffic${ev.from ? ` (from ${ev.from})` : ''}`,
      };
    case 'check:breached':
      return { what: `check ${ev.check.name} breached`, detail: ev.check.reason };
    case 'check:no_data':
      return { what: 'no data', detail: ev.checks.map((c) => c.reason).join(' | ') };
    case 'deploy:paused':
      return { what: `paused (${ev.kind})`, detail: ev.reason };
    case 'deploy:resumed':
      return { what: ev.automatic ? 'resumed automatically' : 'resumed', detail: ev.reason };
    case 'deploy:rolling_back':
      return { what: ev.automatic ? 'automatic rollback started' : 'rollback requested', detail: ev.reason };
    case 'deploy:rolled_back':
      return { what: 'rolled back', detail: ev.reason };
    case 'deploy:promoted':
      return { what: ev.skipped ? 'promoted early' : 'promoted', detail: ev.reason };
    case 'deploy:aborted':
      return { what: 'aborted', detail: ev.reason };
    case 'deploy:failed':
      return { what: 'failed', detail: ev.reason };
    case 'deployer:failed':
      return { what: `deployer ${ev.action} failed`, detail: ev.output };
    case 'gate:failed':
      return { what: `gate before ${ev.stage} failed`, detail: ev.output };
    case 'hold:set':
      return { what: 'hold set', detail: ev.hold.reason };
    case 'hold:released':
      return { what: 'hold released', detail: ev.hold.reason };
  }
}

/** Every recorded step of the deploy with who caused it: the engine, a token's name, a Slack user. */
export function auditTrail(events: StoredEvent[]): HTMLElement {
  return h(
    'table',
    { class: 'audit' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Time', 'Who', 'What', 'Detail'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      events.map((e) => {
        const { what, detail } = describeEvent(e);
        return h(
          'tr',
          { 'data-event': e.event.type },
          h('td', { title: isoTime(e.at) }, formatTime(e.at)),
          h('td', { class: 'actor' }, e.actor),
          h('td', null, what),
          h('td', { class: 'detail' }, detail),
        );
      }),
    ),
  );
}
