import { formatProblems } from '../config/format-problems.js';
import { isReleasebotError } from '../errors/releasebot-error.js';
import type { CliIo } from './cli-io.js';

/** `error CODE: message`, every detail on its own line, then the hint. Unknown errors print their stack. */
export function printError(io: CliIo, e: unknown, source?: string): void {
  if (isReleasebotError(e)) {
    io.stderr.write(`error ${e.code}: ${e.message}\n`);
    if (e.details.length > 1 || (e.details.length === 1 && e.details[0].line)) {
      io.stderr.write(
        `${formatProblems(e.details, { ...(source ? { source } : {}), color: !!io.stderr.isTTY })}\n`,
      );
    }
    io.stderr.write(`hint: ${e.hint}\n`);
    return;
  }
  io.stderr.write(`error INTERNAL: ${(e as Error)?.stack ?? String(e)}\n`);
}
