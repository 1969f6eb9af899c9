import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { BuiltinSource } from '../../src/metrics/builtin/builtin-source.js';
import { createSource } from '../../src/metrics/create-source.js';
import { PrometheusSource } from '../../src/metrics/prometheus/prometheus-source.js';
import { ManualClock } from '../../src/time/clock.js';

let storeDir: string;
beforeEach(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'rb-create-source-'));
});
afterEach(async () => {
  await rm(storeDir, { recursive: true, force: true });
});

const deps = (extra: { storeDir?: string } = {}) => ({
  fetch: globalThis.fetch,
  clock: new ManualClock(0),
  logger: silentLogger,
  ...extra,
});

describe('createSource', () => {
  it('builds a Prometheus source from its config', async () => {
    const s = await createSource({ type: 'prometheus', url: 'http://127.0.0.1:9090', timeout: 1000 }, deps());
    expect(s).toBeInstanceOf(PrometheusSource);
    expect(s.name).toBe('prometheus');
  });

  it('persists the built-in source under <store dir>/metrics by default, or in its own dir', async () => {
    const a = await createSource({ type: 'builtin', retention: 86_400_000 }, deps({ storeDir }));
    expect(a).toBeInstanceOf(BuiltinSource);
    await a.ingestExposition('m 1 1000\n');
    await a.close();
    expect((await readdir(join(storeDir, 'metrics'))).some((f) => f.endsWith('.log'))).toBe(true);

    const own = join(storeDir, 'elsewhere');
    const b = await createSource({ type: 'builtin', retention: 86_400_000, dir: own }, deps({ storeDir }));
    await b.ingestExposition('m 1 1000\n');
    await b.close();
    expect((await readdir(own)).length).toBeGreaterThan(0);
  });

  it('keeps built-in metrics in memory when there is no store directory', async () => {
    const s = await createSource({ type: 'builtin', retention: 86_400_000 }, deps());
    await s.ingestExposition('m 1 1000\n');
    expect(s.select('m', 0, 2000)).toHaveLength(1);
    await s.close();
  });
});
