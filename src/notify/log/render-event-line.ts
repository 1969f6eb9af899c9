import type { DeployRef, StoredEvent } from '../../events/lifecycle-event.js';
import { actionWords, breachNumbers, formatNumber } from '../format-evidence.js';
import { oneLine } from '../one-line.js';

/**
 * One compact line per event for the terminal and the demo, e.g.
 * `12:04 webapp v1.4.2 canary 1%: error-ratio breached (canary 0.84% vs 0.11%, z=7.9) → rolling back`.
 * `timeZone` is an IANA name; unset = the machine's local time (what a person at the terminal reads).
 */
export function renderEventLine(stored: StoredEvent, opts: { timeZone?: string } = {}): string {
  const time = clockTime(stored.at, opts.timeZone);
  const e = stored.event;
  if (e.type === 'hold:set' || e.type === 'hold:released') {
    const on = e.hold.scope === 'all' ? 'everything' : `${e.hold.scope} ${e.hold.target ?? ''}`.trim();
    const verb = e.type === 'hold:set' ? 'hold set on' : 'hold released on';
    return `${time} ${verb} ${on} by ${stored.actor}: ${oneLine(e.hold.reason)}`;
  }
  return `${time} ${deployPrefix(e.deploy)}: ${describe(stored)}`;
}

function describe(stored: StoredEvent): string {
  const e = stored.event;
  switch (e.type) {
    case 'deploy:queued':
      return `queued by ${stored.actor} (${plural(e.deploy.changes.length, 'change')})`;
    case 'deploy:started':
      return `started${e.deploy.previousVersion ? ` (from ${e.deploy.previousVersion})` : ''}`;
    case 'deploy:superseded':
      return `superseded by ${e.by}`;
    case 'stage:advanced':
      return `advanced to ${e.to} (${formatNumber(e.traffic)}% traffic)`;
    case 'check:breached': {
      const numbers = breachNumbers(e.check.evidence);
      return `${e.check.name} breached${numbers ? ` (${numbers})` : ''} → ${actionWords(e.check, e.decision)}`;
    }
    case 'check:no_data':
      return `no data for ${e.checks.map((c) => c.name).join(', ')}${e.checks[0]?.evidence.note ? ` (${e.checks[0].evidence.note})` : ''}`;
    case 'deploy:paused':
      return `paused (${e.kind}) by ${stored.actor}: ${oneLine(e.reason)}`;
    case 'deploy:resumed':
      return `resumed by ${stored.actor}: ${oneLine(e.reason)}`;
    case 'deploy:rolling_back':
      return `rolling back (${e.automatic ? 'automatic' : `by ${stored.actor}`}): ${oneLine(e.reason)}`;
    case 'deploy:rolled_back':
      return `rolled back to ${e.deploy.previousVersion ?? 'the previous version'}: ${oneLine(e.reason)}`;
    case 'deploy:promoted':
      return e.skipped ? `promoted without analysis: ${oneLine(e.reason)}` : 'promoted';
    case 'deploy:aborted':
      return `aborted by ${stored.actor}: ${oneLine(e.reason)}`;
    case 'deploy:failed':
      return `failed: ${oneLine(e.reason)}`;
    case 'deployer:failed':
      return `deployer failed (${e.action}): ${oneLine(e.output)}`;
    case 'gate:failed':
      return `gate of ${e.stage} failed: ${oneLine(e.output)}`;
    case 'hold:set':
    case 'hold:released':
      return '';
  }
}

function deployPrefix(d: DeployRef): string {
  const stage = d.stage ? ` ${d.stage} ${formatNumber(d.traffic)}%` : '';
  return `${d.service} ${d.version}${stage}`;
}

function clockTime(at: number, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
