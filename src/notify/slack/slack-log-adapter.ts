import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../logging/logger.js';

/**
 * Routes the WebClient's own logging into pino at warn and above. Its debug output echoes request bodies; the
 * token travels in a header it redacts, but nothing below warn is needed, and the pump logs every failure itself.
 */
export function slackLogAdapter(logger: Logger): SlackLogger {
  const log = logger.child({ component: 'slack-web-api' });
  const text = (msg: unknown[]): string =>
    msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => log.warn(text(msg)),
    error: (...msg: unknown[]) => log.error(text(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
