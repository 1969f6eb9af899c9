import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleasebotError } from '../../../src/errors/releasebot-error.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { BuiltinSource } from '../../../src/metrics/builtin/builtin-source.js';
import { createSource } from '../../../src/metrics/create-source.js';
import type { PrometheusSource } from '../../../src/metrics/prometheus/prometheus-source.js';
import { systemClock } from '../../../src/time/clock.js';
import {
  eventually,
  prometheus,
  startExporter,
  startPrometheus,
  type PrometheusHandle,
} from '../../support/prometheus.js';

if (!prometheus.available) console.warn(`SKIPPED real Prometheus tests: ${prometheus.reason}`);

const MIN = 60_000;
const HOUR = 3_600_000;
// Backfilled blocks must lie before the head block Prometheus opens at start: two days back, on a 2 h boundary.
const T0 = Math.floor((Date.now() - 2 * 86_400_000) / (2 * HOUR)) * 2 * HOUR;
const N = 6 * 60;
const cohorts = ['all', 'canary', 'baseline'];
const valueAt = (cohort: number, i: number): number =>
  Number((0.001 * (1 + cohort) + 0.0001 * ((i * 7) % 13)).toFixed(7));

function backfill(): string {
  let out = '# HELP http_error_ratio Errors per request.\n# TYPE http_error_ratio gauge\n';
  cohorts.forEach((cohort, c) => {
    for (let i = 0; i < N; i++)
      out += `http_error_ratio{service="webapp",cohort="${cohort}"} ${valueAt(c, i)} ${(T0 + i * MIN) / 1000}\n`;
  });
  return `${out}# EOF\n`;
}

async function caught(p: Promise<unknown>): Promise<ReleasebotError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReleasebotError);
  return e as ReleasebotError;
}

describe.skipIf(!prometheus.available)(
  `against a real Prometheus${prometheus.available ? '' : ` (SKIPPED: ${prometheus.reason})`}`,
  () => {
    let server: PrometheusHandle;
    let source: PrometheusSource;
    let exporter: Awaited<ReturnType<typeof startExporter>>;
    const registry = new Registry();
    const gauge = new Gauge({
      name: 'releasebot_test_queue_depth',
      help: 'test gauge',
      labelNames: ['queue'],
      registers: [registry],
    });

    beforeAll(async () => {
      exporter = await startExporter(registry);
      server = await startPrometheus({ backfill: backfill(), scrapeTargets: [exporter.target] });
      source = await createSource(
        { type: 'prometheus', url: server.url, timeout: 5000 },
        { fetch: globalThis.fetch, clock: systemClock, logger: silentLogger },
      );
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await exporter?.close();
    });

    it('reads backfilled series over an explicit range and step, sample for sample', async () => {
      const series = await source.queryRange({
        query: 'http_error_ratio{service="webapp",cohort="canary"}',
        start: T0,
        end: T0 + (N - 1) * MIN,
        step: MIN,
      });
      expect(series).toHaveLength(1);
      expect(series[0].labels).toEqual({ __name__: 'http_error_ratio', service: 'webapp', cohort: 'canary' });
      expect([...series[0].samples.t]).toEqual(Array.from({ length: N }, (_, i) => T0 + i * MIN));
      expect([...series[0].samples.v]).toEqual(Array.from({ length: N }, (_, i) => valueAt(1, i)));
    });

    it('agrees with the built-in source on the same OpenMetrics file', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'rb-agree-'));
      try {
        await writeFile(join(dir, 'm.om'), backfill());
        const builtin = await BuiltinSource.open({
          clock: systemClock,
          logger: silentLogger,
          retention: Infinity,
        });
        await builtin.loadOpenMetricsFile(join(dir, 'm.om'));
        for (const query of ['http_error_ratio{cohort=~"all|baseline"}', 'http_error_ratio{cohort!="all"}']) {
          const range = { query, start: T0 + 30 * MIN, end: T0 + 90 * MIN, step: MIN };
          const sort = (s: { labels: Record<string, string> }[]): string[] =>
            s.map((x) => x.labels.cohort).sort();
          const fromProm = await source.queryRange(range);
          const fromBuiltin = await builtin.queryRange(range);
          expect(sort(fromBuiltin)).toEqual(sort(fromProm));
          for (const p of fromProm) {
            const b = fromBuiltin.find((x) => x.labels.cohort === p.labels.cohort);
            expect(b?.samples).toEqual(p.samples);
          }
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('splits a range Prometheus would refuse (over 11,000 points) and joins it', async () => {
      const series = await source.queryRange({
        query: 'http_error_ratio{cohort="all"}',
        start: T0,
        end: T0 + 4 * HOUR,
        step: 1000,
      });
      expect(series).toHaveLength(1);
      expect(series[0].samples.t.length).toBe(4 * 3600 + 1);
      expect(series[0].samples.v[90]).toBe(valueAt(0, 1)); // lookback: at T0 + 90 s the newest sample is T0 + 60 s
    });

    it('runs full PromQL, answers no match with [] and bad PromQL with QUERY_INVALID', async () => {
      // Off the sample grid, so the window holds samples 1..10 whether its start is open (Prometheus 3) or not (2.x).
      const avg = await source.queryInstant(
        'avg_over_time(http_error_ratio{cohort="all"}[10m])',
        T0 + 10 * MIN + 30_000,
      );
      expect(avg).toHaveLength(1);
      const expected = Array.from({ length: 10 }, (_, i) => valueAt(0, i + 1)).reduce((a, b) => a + b) / 10;
      expect(avg[0].samples.v[0]).toBeCloseTo(expected, 12);
      expect(
        await source.queryRange({ query: 'no_such_metric', start: T0, end: T0 + HOUR, step: MIN }),
      ).toEqual([]);
      const bad = await caught(
        source.queryRange({ query: 'sum(http_error_ratio', start: T0, end: T0 + HOUR, step: MIN }),
      );
      expect(bad.code).toBe('QUERY_INVALID');
    });

    it('sees what Prometheus scrapes from a prom-client exporter', async () => {
      gauge.set({ queue: 'deploys' }, 42);
      const value = await eventually(async () => {
        const r = await source.queryInstant('releasebot_test_queue_depth{queue="deploys"}', Date.now());
        return r.length ? r[0].samples.v[0] : undefined;
      }, 'the scraped gauge');
      expect(value).toBe(42);
    });

    it('reports an outage as SOURCE_UNREACHABLE and recovers when Prometheus is back', async () => {
      await server.stop();
      const e = await caught(
        source.queryRange({ query: 'http_error_ratio', start: T0, end: T0 + HOUR, step: MIN }),
      );
      expect(e.code).toBe('SOURCE_UNREACHABLE');
      await server.start();
      const series = await source.queryRange({
        query: 'http_error_ratio{cohort="all"}',
        start: T0,
        end: T0 + HOUR,
        step: MIN,
      });
      expect(series[0].samples.t.length).toBe(61);
    });
  },
);
