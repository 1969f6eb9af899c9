import type { Command } from 'commander';
import type { Side } from '../../analysis/comparison.js';
import type { CommandContext } from '../command-context.js';
import { runDetect } from '../detect-command.js';

/** `releasebot detect [--input f.csv] [--output f.csv] [--direction up|down|both]` (spec/detect.md). */
export function registerDetect(program: Command, ctx: CommandContext): void {
  program
    .command('detect')
    .description(
      'score one series (CSV timestamp,value) for anomalies, as a stream, with the detectors the bot uses',
    )
    .option('--input <file>', 'CSV to read (default stdin)')
    .option('--output <file>', 'CSV to write: timestamp,value,anomaly_score (default stdout)')
    .option('--direction <side>', 'which change is anomalous: up, down or both', 'both')
    .action(async (opts: { input?: string; output?: string; direction: string }) => {
      if (!['up', 'down', 'both'].includes(opts.direction)) {
        ctx.io.stderr.write(
          `releasebot detect: --direction must be up, down or both, got "${opts.direction}"\n`,
        );
        ctx.exitCode = 1;
        return;
      }
      ctx.exitCode = await runDetect({
        ...(opts.input ? { input: opts.input } : {}),
        ...(opts.output ? { output: opts.output } : {}),
        direction: opts.direction as Side,
        stdin: ctx.io.stdin,
        stdout: ctx.io.stdout,
        stderr: ctx.io.stderr,
      });
    });
}
