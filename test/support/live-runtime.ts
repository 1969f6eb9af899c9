import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../../src/config/interpolate-env.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime/create-runtime.js';
import type { Store } from '../../src/store/store.js';
import type { Clock } from '../../src/time/clock.js';

export interface LiveRuntime {
  rt: Runtime;
  /** Every log line the runtime wrote (pino JSON), at debug level. */
  logLines: string[];
  /** The parsed log lines. */
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface LiveRuntimeOptions {
  /** releasebot.yaml text; `${VARS}` are interpolated from `env` as the CLI does. */
  yaml: string;
  env?: Env;
  /** A store already open (its owner closes it); otherwise the config's store is opened and closed here. */
  store?: Store;
  clock?: Clock;
  tickMs?: number;
  notifyPollMs?: number;
  instanceId?: string;
  /** Start the scheduler and the notification pump (default true). */
  start?: boolean;
  fetch?: RuntimeOptions['fetch'];
}

/**
 * A whole runtime in this process, configured from YAML through the real config loader, logging at debug level
 * into memory: what `releasebot serve` runs, minus the process.
 */
export async function startLiveRuntime(o: LiveRuntimeOptions): Promise<LiveRuntime> {
  const env = o.env ?? {};
  const config = loadConfig({ file: 'releasebot.yaml', env, text: o.yaml });
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (s: string) => void logLines.push(s) },
  });
  const cwd = await mkdtemp(join(tmpdir(), 'rb-live-'));
  const rt = await createRuntime({
    config,
    env,
    cwd,
    logger,
    ...(o.store ? { store: o.store } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.instanceId ? { instanceId: o.instanceId } : {}),
    tickMs: o.tickMs ?? 200,
    notifyPollMs: o.notifyPollMs ?? 200,
  });
  if (o.start !== false) await rt.start();
  let closed = false;
  return {
    rt,
    logLines,
    logs: () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      if (closed) return;
      closed = true;
      await rt.close();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
