import type { Command } from 'commander';
import type { Runtime } from '../../runtime/create-runtime.js';
import type { CommandContext } from '../command-context.js';
import { configPath } from '../config-path.js';
import { readLocalServer, removeLocalServer, writeLocalServer } from '../local-server-file.js';

export interface ServeHandle {
  runtime: Runtime;
  url: string;
  stop(): Promise<void>;
}

/** Starts a runtime from the config, listens, and (embedded store) leaves a local token for the CLI. */
export async function startServer(
  ctx: CommandContext,
  opts: { config?: string; host?: string; port?: number },
): Promise<ServeHandle> {
  const { io, logger } = ctx;
  const [{ loadConfig }, { createRuntime }, { createApiToken }, { embeddedDir }] = await Promise.all([
    import('../../config/load-config.js'),
    import('../../runtime/create-runtime.js'),
    import('../../server/auth/token-service.js'),
    import('../../store/open-store.js'),
  ]);
  const config = loadConfig({ file: configPath(io, opts.config), env: io.env });
  const dir = embeddedDir(config.store.url, io.cwd);
  if (dir) {
    const other = readLocalServer(dir);
    if (other)
      throw new Error(
        `another releasebot (pid ${other.pid}) serves this store at ${other.url}; the embedded store allows one process`,
      );
  }
  const runtime = await createRuntime({
    config,
    env: io.env,
    cwd: io.cwd,
    logger,
    terminal: (line) => io.stdout.write(line),
  });
  const url = await runtime.listen({
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  await runtime.start();
  if (dir) {
    const { secret } = await createApiToken(runtime.store, runtime.clock, {
      name: 'local-cli',
      scopes: ['admin'],
    });
    writeLocalServer(dir, { url, pid: process.pid, token: secret });
  }
  logger.info({ url, store: runtime.store.kind, instance: runtime.instanceId }, 'releasebot serving');
  return {
    runtime,
    url,
    async stop() {
      if (dir) removeLocalServer(dir, process.pid);
      await runtime.close();
    },
  };
}

/** `releasebot serve`: the API, the dashboard and the deploy engine, until SIGTERM/SIGINT (graceful). */
export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description(
      'run releasebot: the API, the dashboard and the engine that walks deploys through their stages',
    )
    .option('--host <host>', 'listen address (default: server.host, 127.0.0.1)')
    .option('--port <port>', 'listen port (default: server.port, 8080)', (v) => Number(v))
    .action(async (opts: { host?: string; port?: number }) => {
      const handle = await startServer(ctx, { config: program.opts().config, ...opts });
      ctx.io.stderr.write(
        `releasebot serving on ${handle.url} (store: ${handle.runtime.store.kind}, replica ${handle.runtime.instanceId})\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          ctx.io.stderr.write(`${signal}: finishing the transitions in flight, releasing leases\n`);
          void handle.stop().then(resolve, (e: Error) => {
            ctx.io.stderr.write(`error while stopping: ${e.message}\n`);
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      ctx.exitCode = 0;
    });
}
