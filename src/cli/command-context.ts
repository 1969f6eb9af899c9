import type { Logger } from '../logging/logger.js';
import type { CliIo } from './cli-io.js';

/** Shared by all commands of one invocation; a command sets `exitCode`. */
export interface CommandContext {
  io: CliIo;
  logger: Logger;
  exitCode: number;
}
