// A private PostgreSQL server for tests that must stop and restart it (the machine's shared server on 5432 serves
// other tests and is never touched). Built with Debian's initdb and pg_ctl on a free loopback port, in a temporary
// directory; run as the `postgres` OS user when the tests run as root (PostgreSQL refuses root).
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './prometheus.js';

const run = promisify(execFile);

function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

function postgresUid(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

const BIN = findBinDir();
const AS_ROOT = process.getuid?.() === 0;
const OWNER = AS_ROOT ? postgresUid() : null;

/** Whether a private server can be started here, and if not why (for the visible skip). */
export const tempPostgres: { available: boolean; reason: string } = !BIN
  ? { available: false, reason: 'no /usr/lib/postgresql/*/bin/initdb and pg_ctl (Debian postgresql package)' }
  : AS_ROOT && !OWNER
    ? { available: false, reason: 'running as root and there is no `postgres` OS user to run the server as' }
    : { available: true, reason: '' };

export interface TempPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Fast shutdown (clients are disconnected); the data stays. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its directory. */
  close(): Promise<void>;
}

const started = new Set<string>();
process.once('exit', () => {
  // A test that failed half-way must not leave a server running.
  for (const data of started) {
    try {
      execFileSync(...asOwner(join(BIN ?? '', 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // already stopped
    }
  }
});

function asOwner(cmd: string, args: string[]): [string, string[]] {
  return AS_ROOT ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/** initdb + pg_ctl start on a free port; resolves when the server accepts connections. */
export async function startTempPostgres(): Promise<TempPostgres> {
  if (!BIN) throw new Error(tempPostgres.reason);
  const dir = mkdtempSync(join(tmpdir(), 'rb-pg-'));
  if (OWNER) chownSync(dir, OWNER.uid, OWNER.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  await run(
    ...asOwner(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']),
  );
  let port = await freePort();
  const pgCtl = async (args: string[]) => run(...asOwner(join(BIN, 'pg_ctl'), ['-D', data, ...args]));
  // Only the first start may move to another port (the one picked was taken); a restart keeps the clients' URL.
  const start = async (first = false) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await pgCtl([
          '-l',
          log,
          '-w',
          '-t',
          '60',
          '-o',
          `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c max_connections=200`,
          'start',
        ]);
        started.add(data);
        return;
      } catch (e) {
        const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (first && attempt < 2 && /could not bind|already in use/i.test(text)) {
          port = await freePort();
          continue;
        }
        throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${text.slice(-2000)}`);
      }
    }
  };
  await start(true);
  const handle: TempPostgres = {
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    get port() {
      return port;
    },
    async stop() {
      await pgCtl(['-m', 'fast', '-w', 'stop']);
      started.delete(data);
    },
    start: () => start(),
    async close() {
      if (started.has(data)) await pgCtl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      started.delete(data);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
