import { createLogger, type Logger } from '../../../src/logging/logger.js';
import type { ResolvedConfig } from '../../../src/config/resolved-config.js';
import { createNotifiers } from '../../../src/notify/create-notifiers.js';
import type { PumpDeps } from '../../../src/notify/pump-deps.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { ManualClock } from '../../../src/time/clock.js';
import { T0 } from './notify-fixtures.js';

/** A captured logger: every JSON line it wrote, for asserting what reached the log (and what did not). */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } }),
    lines,
  };
}

export interface Harness {
  store: Store;
  clock: ManualClock;
  deps: PumpDeps;
  logLines: string[];
  terminal: string[];
  close(): Promise<void>;
}

/** A fresh in-memory store, a manual clock ten minutes after T0, the notifiers of `config`, and pump deps. */
export async function pumpHarness(config: ResolvedConfig, owner = 'replica-1'): Promise<Harness> {
  const store = await openStore({ url: 'memory:' });
  const clock = new ManualClock(T0 + 10 * 60_000);
  const { logger, lines } = memoryLogger();
  const terminal: string[] = [];
  const notifiers = createNotifiers(config, {
    kv: store.kv,
    logger,
    clock,
    write: (l) => void terminal.push(l),
  });
  const deps: PumpDeps = {
    store,
    config,
    notifiers,
    clock,
    logger,
    owner,
    random: () => 0.5,
    options: { timeZone: 'UTC' },
  };
  return { store, clock, deps, logLines: lines, terminal, close: () => store.close() };
}
