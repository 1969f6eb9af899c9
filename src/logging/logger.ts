import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'bearerToken',
  '*.bearerToken',
  'routingKey',
  '*.routingKey',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'req.headers["x-slack-signature"]',
];

/** The root logger: JSON lines (pino), secrets redacted. `level: 'silent'` in tests. */
export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { app: 'releasebot' },
    },
    opts.destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
