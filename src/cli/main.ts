import { Command, CommanderError } from 'commander';
import { createLogger } from '../logging/logger.js';
import type { CliIo, ExitCode } from './cli-io.js';
import { processIo } from './cli-io.js';
import type { CommandContext } from './command-context.js';
import { registerConfigCheck } from './commands/config-check-command.js';
import { registerDemo } from './commands/demo-command.js';
import { registerDeploy } from './commands/deploy-command.js';
import { registerHolds } from './commands/hold-commands.js';
import { registerImport } from './commands/import-command.js';
import { registerIncident } from './commands/incident-command.js';
import { registerOperations } from './commands/operate-commands.js';
import { registerReport } from './commands/report-command.js';
import { registerServe } from './commands/serve-command.js';
import { registerStatus } from './commands/status-command.js';
import { registerToken } from './commands/token-command.js';
import { registerReplay } from './commands/replay-command.js';
import { registerDetect } from './commands/register-detect.js';
import { printError } from './print-error.js';

/** Builds the `releasebot` program; commands write to `ctx.io` and set `ctx.exitCode`. */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('releasebot')
    .description(
      'deploy-safety bot: walks deploys through stages, judges their metrics, pauses or rolls back',
    )
    .option('-c, --config <file>', 'releasebot.yaml (default: ./releasebot.yaml or $RELEASEBOT_CONFIG)')
    .option(
      '--server <url>',
      'talk to this releasebot server (default: $RELEASEBOT_URL, else the local one or store)',
    )
    .option('--token <token>', 'API token for --server (default: $RELEASEBOT_TOKEN)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .showHelpAfterError(false);
  registerServe(program, ctx);
  registerDeploy(program, ctx);
  registerStatus(program, ctx);
  registerOperations(program, ctx);
  registerHolds(program, ctx);
  registerToken(program, ctx);
  registerConfigCheck(program, ctx);
  registerReplay(program, ctx);
  registerDetect(program, ctx);
  registerDemo(program, ctx);
  registerIncident(program, ctx);
  registerReport(program, ctx);
  registerImport(program, ctx);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  const logger = createLogger({
    level: io.env.RELEASEBOT_LOG_LEVEL ?? 'warn',
    destination: { write: (s: string) => io.stderr.write(s) } as never,
  });
  const ctx: CommandContext = { io, logger, exitCode: 0 };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    printError(io, e);
    return 1;
  }
}
