import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `releasebot serve` on the embedded store leaves its address and a local admin token in the store directory, so
 * the CLI on the same machine talks to it (PGlite allows one process) without any set-up.
 */
export interface LocalServer {
  url: string;
  pid: number;
  token: string;
}

const FILE = 'server.json';

export function writeLocalServer(storeDir: string, info: LocalServer): void {
  const path = join(storeDir, FILE);
  writeFileSync(path, JSON.stringify(info), { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function removeLocalServer(storeDir: string, pid: number): void {
  const info = readLocalServer(storeDir, () => true);
  if (info?.pid === pid) rmSync(join(storeDir, FILE), { force: true });
}

/** The running local server, if its process is alive. */
export function readLocalServer(
  storeDir: string,
  alive: (pid: number) => boolean = processAlive,
): LocalServer | null {
  const path = join(storeDir, FILE);
  if (!existsSync(path)) return null;
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LocalServer;
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
