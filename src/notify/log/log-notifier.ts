import type { Logger } from '../../logging/logger.js';
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../notifier.js';
import type { LogPayload } from './render-log-line.js';

/**
 * Writes each event's line to the log (info; warn and error by severity) and, when `write` is given, to the
 * terminal. What runs when no notifier is configured, and what the demo shows.
 */
export class LogNotifier implements Notifier {
  constructor(
    readonly name: string,
    private readonly deps: { logger: Logger; write?: (line: string) => void },
  ) {}

  async deliver(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const p = message.payload as LogPayload;
    if (p?.kind !== 'log.line') return { status: 'failed', error: `not a log payload: ${String(p?.kind)}` };
    const level = p.severity === 'critical' ? 'error' : p.severity === 'warning' ? 'warn' : 'info';
    this.deps.logger[level]({ event: p.type, service: p.service, deployId: p.deployId }, p.line);
    this.deps.write?.(`${p.line}\n`);
    return { status: 'delivered' };
  }
}
