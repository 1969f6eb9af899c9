import { userInfo } from 'node:os';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Logger } from '../logging/logger.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { CliIo } from './cli-io.js';
import { httpTransport } from './client/http-transport.js';
import { injectTransport } from './client/inject-transport.js';
import { ReleasebotClient } from './client/releasebot-client.js';
import { configPath } from './config-path.js';
import { readLocalServer, removeLocalServer, writeLocalServer } from './local-server-file.js';

export interface ConnectOptions {
  server?: string;
  token?: string;
  config?: string;
}

export interface Connection {
  client: ReleasebotClient;
  /** Set when working on the local store in this process: start() it to run the engine here. */
  runtime?: Runtime;
  config?: ResolvedConfig;
  /** Runs the engine in this process (local store only), reachable by other commands while it runs. */
  startEngine?: () => Promise<void>;
}

/**
 * Where commands go: `--server`/$RELEASEBOT_URL (with `--token`/$RELEASEBOT_TOKEN); else the local `releasebot
 * serve` found in the store directory; else the local store itself, in this process, as its owner.
 */
export async function connect(io: CliIo, logger: Logger, o: ConnectOptions): Promise<Connection> {
  const server = o.server ?? io.env.RELEASEBOT_URL;
  const token = o.token ?? io.env.RELEASEBOT_TOKEN;
  if (server) return { client: new ReleasebotClient(httpTransport(server, token)) };
  // Loaded here, not at start-up: a command that talks to a server (or `detect`) never pays for them.
  const [{ loadConfig }, { embeddedDir }, { createRuntime }] = await Promise.all([
    import('../config/load-config.js'),
    import('../store/open-store.js'),
    import('../runtime/create-runtime.js'),
  ]);
  const config = loadConfig({ file: configPath(io, o.config), env: io.env });
  const dir = embeddedDir(config.store.url, io.cwd);
  const local = dir ? readLocalServer(dir) : null;
  if (local) return { client: new ReleasebotClient(httpTransport(local.url, token ?? local.token)), config };
  const actor = io.env.USER ?? safeUser();
  const runtime = await createRuntime({
    config,
    env: io.env,
    cwd: io.cwd,
    logger,
    localIdentity: { name: actor, tokenId: null, scopes: ['admin'], services: [], teams: [] },
  });
  let served = false;
  const client = new ReleasebotClient(
    injectTransport(runtime.app, `local store ${config.store.url}`, async () => {
      if (served && dir) removeLocalServer(dir, process.pid);
      await runtime.close();
    }),
  );
  const startEngine = async () => {
    await runtime.start();
    if (!dir || served) return;
    // While the engine runs in this command, other commands (a rollback from another terminal) reach it over
    // loopback, as they would reach `releasebot serve`: the embedded store allows one process.
    const { createApiToken } = await import('../server/auth/token-service.js');
    const url = await runtime.listen({ host: '127.0.0.1', port: 0 });
    const { secret } = await createApiToken(runtime.store, runtime.clock, {
      name: 'local-cli',
      scopes: ['admin'],
    });
    writeLocalServer(dir, { url, pid: process.pid, token: secret });
    served = true;
  };
  return { client, runtime, config, startEngine };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local';
  }
}
