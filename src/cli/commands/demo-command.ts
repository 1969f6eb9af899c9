import { InvalidArgumentError, type Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SEED } from '../../demo/demo-defaults.js';
import { createLogger, type Logger } from '../../logging/logger.js';
import { systemClock } from '../../time/clock.js';
import type { CommandContext } from '../command-context.js';

interface DemoFlags {
  port: number;
  once?: boolean;
  speed?: number;
  seed: number;
}

/** `--once` must finish well within this; past it the scenario is stopped and counted as failed. */
const ONCE_BUDGET_MS = 110_000;

/**
 * `releasebot demo`: the real engine, judge, store and API over a simulated service. Live: deploys forever and
 * serves the dashboard until Ctrl-C. `--once`: plays the scripted scenario and exits 0 only if it went as expected.
 */
export function registerDemo(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('watch releasebot deploy a simulated service: stages, live metrics, a bad build rolled back')
    .option('--port <port>', 'port of the dashboard and API (0: any free port)', (v) => parsePort(v), 8080)
    .option('--once', 'play a short scripted scenario, check its outcome and exit (0 = as expected)')
    .option('--speed <n>', 'simulated seconds per real second (default 60, with --once 600)', (v) =>
      parseSpeed(v),
    )
    .option('--seed <n>', 'seed of the simulated noise and builds', (v) => parseSeed(v), DEFAULT_SEED)
    .action(async (flags: DemoFlags) => {
      const { io } = ctx;
      const stop = new AbortController();
      const onSignal = (signal: string): void => {
        io.stderr.write(`\n${signal}: stopping the demo\n`);
        stop.abort();
      };
      const onInt = (): void => onSignal('SIGINT');
      const onTerm = (): void => onSignal('SIGTERM');
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      const budget = flags.once ? setTimeout(() => stop.abort(), ONCE_BUDGET_MS) : undefined;
      try {
        const [{ runDemo }, { SCRIPTED_START }] = await Promise.all([
          import('../../demo/run-demo.js'),
          import('../../demo/scripted-scenario.js'),
        ]);
        const result = await runDemo({
          once: !!flags.once,
          port: flags.port,
          ...(flags.speed !== undefined ? { speed: flags.speed } : {}),
          seed: flags.seed,
          // Live: the simulated day starts now; --once: at a fixed time, so every run sees the same metrics.
          start: flags.once ? SCRIPTED_START : systemClock.now(),
          realNow: () => performance.now(),
          write: (line) => io.stdout.write(`${line}\n`),
          logger: demoLogger(ctx),
          env: io.env,
          cwd: io.cwd,
          signal: stop.signal,
        });
        ctx.exitCode = result.verdict && !result.verdict.ok ? 1 : 0;
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code !== 'EADDRINUSE') throw e;
        io.stderr.write(
          `error: port ${flags.port} is in use; pass --port with a free port (--port 0 picks one)\n`,
        );
        ctx.exitCode = 1;
      } finally {
        clearTimeout(budget);
        process.removeListener('SIGINT', onInt);
        process.removeListener('SIGTERM', onTerm);
      }
    });
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

function parseSpeed(v: string): number {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/**
 * The CLI's logger, minus the log notifier's event lines: the demo prints the same lines as its timeline on stdout,
 * and a newcomer should not read each rollback twice, once as JSON.
 */
function demoLogger(ctx: CommandContext): Logger {
  const { io } = ctx;
  return createLogger({
    level: io.env.RELEASEBOT_LOG_LEVEL ?? 'warn',
    destination: { write: (line: string) => void (isEventLine(line) || io.stderr.write(line)) } as never,
  });
}

function isEventLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { notifier?: unknown }).notifier === 'log';
  } catch {
    return false;
  }
}
