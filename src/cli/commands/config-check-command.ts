import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { configPath } from '../config-path.js';
import type { CommandContext } from '../command-context.js';

/** `releasebot config check`: every problem at once, with file:line:column; exit 1 if any. */
export function registerConfigCheck(program: Command, ctx: CommandContext): void {
  const config = program.command('config').description('work with releasebot.yaml');
  config
    .command('check')
    .description('validate releasebot.yaml and print every problem with its file, line and column')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const io: CliIo = ctx.io;
      const file = configPath(io, program.opts().config);
      const [{ checkConfigFile }, { formatProblems }] = await Promise.all([
        import('../../config/check-config-file.js'),
        import('../../config/format-problems.js'),
      ]);
      const report = checkConfigFile(file, io.env);
      if (opts.json)
        io.stdout.write(
          `${JSON.stringify({ ok: report.ok, summary: report.summary, problems: report.problems }, null, 2)}\n`,
        );
      else if (report.ok) io.stdout.write(`${report.summary}\n`);
      else
        io.stderr.write(
          `${formatProblems(report.problems, { ...(report.source ? { source: report.source } : {}), color: !!io.stderr.isTTY })}\n${report.summary}\n`,
        );
      ctx.exitCode = report.ok ? 0 : 1;
    });
}
