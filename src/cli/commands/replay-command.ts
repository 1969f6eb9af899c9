import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../time/clock.js';
import type { CommandContext } from '../command-context.js';
import { configPath } from '../config-path.js';
import { progressBar } from '../progress-bar.js';

/** `releasebot replay` exactly as in spec/replay.md: JSON on stdout (or --out), progress on a terminal's stderr. */
export function registerReplay(program: Command, ctx: CommandContext): void {
  program
    .command('replay')
    .description('replay recorded deploys through the real engine on a simulated clock')
    .requiredOption('--metrics <file>', 'OpenMetrics file with timestamps')
    .requiredOption('--deploys <file>', 'deploys.json')
    .option('--out <file>', 'write the result here instead of stdout')
    .option('--service <name>', 'replay as this service of the config')
    .action(async (opts: { metrics: string; deploys: string; out?: string; service?: string }) => {
      const { io, logger } = ctx;
      const [{ loadConfig }, { BuiltinSource }, { readDeploysFile }, { runReplay }] = await Promise.all([
        import('../../config/load-config.js'),
        import('../../metrics/builtin/builtin-source.js'),
        import('../../replay/deploys-file.js'),
        import('../../replay/run-replay.js'),
      ]);
      const config = loadConfig({ file: configPath(io, program.opts().config), env: io.env });
      const deploys = readDeploysFile(resolve(io.cwd, opts.deploys));
      const source = await BuiltinSource.open({ clock: systemClock, logger, retention: Infinity });
      await source.loadOpenMetricsFile(resolve(io.cwd, opts.metrics));
      const bar = progressBar(io.stderr, 'replay');
      const result = await runReplay({
        config,
        source,
        deploys,
        ...(opts.service ? { service: opts.service } : {}),
        logger,
        onProgress: (done, total) => bar.update(done, total),
      });
      const json = `${JSON.stringify(result)}\n`;
      if (opts.out) writeFileSync(resolve(io.cwd, opts.out), json);
      else io.stdout.write(json);
      await source.close();
      ctx.exitCode = 0;
    });
}
