// Starts a real Prometheus for integration tests: on a free loopback port, with a temporary data directory that can be
// backfilled from OpenMetrics text (promtool) and/or scrape local exporters. Tests that need it use
// `describe.skipIf(!prometheus.available)` and print `prometheus.reason` so a skip is never silent.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Registry } from 'prom-client';

const PROMETHEUS_BIN = process.env.RELEASEBOT_PROMETHEUS ?? '/usr/bin/prometheus';
const PROMTOOL_BIN = process.env.RELEASEBOT_PROMTOOL ?? '/usr/bin/promtool';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether the binaries are here, and if not why (for the skip message). */
export const prometheus: { available: boolean; reason: string } = (() => {
  const missing = [PROMETHEUS_BIN, PROMTOOL_BIN].filter((p) => !executable(p));
  return missing.length
    ? {
        available: false,
        reason: `${missing.join(' and ')} not found (install Debian's prometheus package; .ci/run does)`,
      }
    : { available: true, reason: '' };
})();

export interface StartPrometheusOptions {
  /** OpenMetrics text with timestamps (ending in `# EOF`) backfilled into the data directory before start. */
  backfill?: string;
  /** host:port targets scraped every `scrapeInterval` (default 1s). */
  scrapeTargets?: string[];
  scrapeInterval?: string;
}

export interface PrometheusHandle {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (SIGTERM), keeping its data: for outage tests. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, waiting until ready. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts Prometheus and resolves once `/-/ready` answers 200. */
export async function startPrometheus(opts: StartPrometheusOptions = {}): Promise<PrometheusHandle> {
  const root = await mkdtemp(join(tmpdir(), 'rb-prometheus-'));
  const dataDir = join(root, 'data');
  if (opts.backfill !== undefined) {
    const file = join(root, 'backfill.om');
    await writeFile(file, opts.backfill);
    await promisify(execFile)(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir]);
  }
  const interval = opts.scrapeInterval ?? '1s';
  const scrape = (opts.scrapeTargets ?? []).length
    ? `scrape_configs:\n  - job_name: test\n    scrape_interval: ${interval}\n    static_configs:\n      - targets: ${JSON.stringify(opts.scrapeTargets)}\n`
    : '';
  const configFile = join(root, 'prometheus.yml');
  await writeFile(configFile, `global:\n  scrape_interval: ${interval}\n${scrape}`);

  let port = 0;
  let child: ChildProcess | null = null;
  let log = '';
  const launch = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      port ||= await freePort();
      const proc = spawn(
        PROMETHEUS_BIN,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // Backfilled samples are days old; the default 15 d retention would be fine, but tests may use older data.
          '--storage.tsdb.retention.time=3650d',
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      proc.stdout?.on('data', (c: Buffer) => (log += c.toString()));
      proc.stderr?.on('data', (c: Buffer) => (log += c.toString()));
      child = proc;
      try {
        await waitReady(`http://127.0.0.1:${port}`, proc, () => log);
        return;
      } catch (e) {
        await terminate(proc);
        child = null;
        // The port picked may have been taken between freePort() and listen: try another, a few times.
        if (attempt < 2 && /address already in use/.test(log)) {
          port = 0;
          log = '';
          continue;
        }
        throw e;
      }
    }
  };
  await launch();
  const stop = async (): Promise<void> => {
    if (child) await terminate(child);
    child = null;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    stop,
    start: launch,
    close: async () => {
      await stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited with ${proc.exitCode}:\n${log()}`);
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus not ready after 30 s:\n${log()}`);
}

async function terminate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Serves a prom-client registry at /metrics on a free loopback port, for Prometheus to scrape. */
export async function startExporter(registry: Registry): Promise<{ target: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (e: Error) => res.writeHead(500).end(e.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Polls `check` until it returns a value other than undefined (Prometheus scrapes and evaluates asynchronously). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
