import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReleasebotError } from '../../../src/errors/releasebot-error.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { BuiltinSource, type BuiltinSourceOptions } from '../../../src/metrics/builtin/builtin-source.js';
import { pushMetrics } from '../../../src/metrics/builtin/push-metrics.js';
import { ManualClock } from '../../../src/time/clock.js';

const MIN = 60_000;
const T0 = 1_740_000_000_000;
let dir: string;
const open: BuiltinSource[] = [];

async function openSource(opts: Partial<BuiltinSourceOptions> = {}): Promise<BuiltinSource> {
  const source = await BuiltinSource.open({
    clock: new ManualClock(T0),
    logger: silentLogger,
    retention: Infinity,
    ...opts,
  });
  open.push(source);
  return source;
}

function openMetrics(series: Record<string, number[]>, t0 = T0 / 1000): string {
  let out = '# TYPE http_error_ratio gauge\n';
  for (const [labels, values] of Object.entries(series)) {
    values.forEach((v, i) => (out += `http_error_ratio{${labels}} ${v} ${t0 + i * 60}\n`));
  }
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

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rb-metrics-'));
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await rm(dir, { recursive: true, force: true });
});

describe('BuiltinSource', () => {
  it('loads an OpenMetrics file and answers selectors over inclusive ranges, leaving out series without samples there', async () => {
    const file = join(dir, 'm.om');
    await writeFile(file, openMetrics({ 'cohort="all"': [0.1, 0.2, 0.3, 0.4], 'cohort="canary"': [1, 2] }));
    const source = await openSource();
    expect(await source.loadOpenMetricsFile(file)).toEqual({
      series: 2,
      samples: 6,
      rejected: { outOfOrder: 0, tooOld: 0, future: 0 },
    });

    const all = await source.queryRange({
      query: 'http_error_ratio{cohort="all"}',
      start: T0 + MIN,
      end: T0 + 2 * MIN,
      step: MIN,
    });
    expect(all).toHaveLength(1);
    expect(all[0].labels).toEqual({ __name__: 'http_error_ratio', cohort: 'all' });
    expect([...all[0].samples.t]).toEqual([T0 + MIN, T0 + 2 * MIN]);
    expect([...all[0].samples.v]).toEqual([0.2, 0.3]);

    const both = source.select('http_error_ratio', T0, T0 + MIN);
    expect(both.map((s) => s.labels.cohort).sort()).toEqual(['all', 'canary']);
    const late = source.select('http_error_ratio', T0 + 3 * MIN, T0 + 10 * MIN);
    expect(late.map((s) => s.labels.cohort)).toEqual(['all']);
    expect(source.select('http_error_ratio{cohort="baseline"}', T0, T0 + 10 * MIN)).toEqual([]);
  });

  it('reports a malformed line with file and line number, and a missing file as INPUT_NOT_FOUND', async () => {
    const file = join(dir, 'bad.om');
    await writeFile(file, 'm 1 1\nm 2 2\nm{a="1" 3 3\n# EOF\n');
    const source = await openSource();
    const e = await caught(source.loadOpenMetricsFile(file));
    expect(e.code).toBe('METRICS_PARSE');
    expect(e.message).toContain(`${file}:3:`);
    expect(e.details[0]).toMatchObject({ file, line: 3 });
    expect((await caught(source.loadOpenMetricsFile(join(dir, 'missing.om')))).code).toBe('INPUT_NOT_FOUND');
  });

  it('rejects queries beyond selectors with QUERY_INVALID', async () => {
    const source = await openSource();
    const e = await caught(
      source.queryRange({ query: 'rate(http_requests_total[5m])', start: 0, end: 1, step: 1 }),
    );
    expect(e.code).toBe('QUERY_INVALID');
    expect(e.message).toContain('prometheus');
  });

  it('sees series added after a query was first answered', async () => {
    const source = await openSource();
    await source.ingestExposition(`m{a="1"} 1 ${T0}\n`);
    expect(source.select('m', T0, T0)).toHaveLength(1);
    await source.ingestExposition(`m{a="2"} 1 ${T0}\n`);
    expect(source.select('m', T0, T0)).toHaveLength(2);
  });

  it('answers a prepared query as queryRange does, while series are added, grow and expire', async () => {
    const source = await openSource({ retention: 10 * MIN });
    const reader = source.prepareSync!('m{a=~"1|2"}');
    let selected = 0;
    const same = async (start: number, end: number) => {
      const expected = await source.queryRange({ query: 'm{a=~"1|2"}', start, end, step: MIN });
      // `only` gives the samples when the query selects one series with samples there, else undefined. Asked
      // first: each form must notice new and removed series on its own.
      const one = selected === 1 && expected.length === 1;
      expect(reader.only(start, end)).toEqual(one ? expected[0].samples : undefined);
      expect(reader.read(start, end)).toEqual(expected);
    };
    await same(T0, T0 + MIN); // nothing yet
    await source.ingestExposition(`m{a="1"} 1 ${T0}\nm{a="1"} 2 ${T0 + MIN}\nm{a="3"} 9 ${T0}\n`);
    selected = 1;
    await same(T0, T0 + MIN);
    await same(T0 + MIN, T0 + 2 * MIN);
    await source.ingestExposition(`m{a="1"} 3 ${T0 + 2 * MIN}\n`);
    await same(T0 + MIN, T0 + 2 * MIN); // the hinted read sees the new sample
    await same(T0 + 3 * MIN, T0 + 4 * MIN); // a window after the newest sample
    await source.ingestExposition(`m{a="2"} 5 ${T0 + 3 * MIN}\n`);
    selected = 2;
    await same(T0, T0 + 3 * MIN); // two series now
    await same(T0 + 3 * MIN, T0 + 3 * MIN); // one of them has samples there
    await source.ingestExposition(`m{a="2"} 6 ${T0 + 20 * MIN}\n`);
    source.store.reclaim(); // series 1 is outside retention and removed
    selected = 1;
    await same(T0, T0 + 20 * MIN);
    expect(reader.only(T0, T0 + 20 * MIN)?.v).toEqual(Float64Array.of(6));
  });

  it('prepares a query that does not parse into a reader that throws QUERY_INVALID', async () => {
    const source = await openSource();
    const reader = source.prepareSync!('rate(m[5m])');
    for (const read of [() => reader.read(0, 1), () => reader.only(0, 1)]) {
      expect(read).toThrow(ReleasebotError);
      expect(read).toThrow(/prometheus/);
    }
  });

  it('survives a restart: snapshot plus log, then more writes, then another restart', async () => {
    const first = await openSource({ dir, chunkSize: 32 });
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) lines.push(`m{a="x"} ${i} ${T0 + i * MIN}`, `n ${i * 0.5} ${T0 + i * MIN}`);
    await first.ingestExposition(lines.join('\n'));
    await first.compact();
    await first.ingestExposition(`m{a="x"} 100 ${T0 + 100 * MIN}\nfresh 7 ${T0}\n`);
    await first.close();

    const second = await openSource({ dir, chunkSize: 32 });
    const m = second.select('m{a="x"}', 0, Infinity);
    expect([...m[0].samples.v]).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect([...second.select('n', 0, Infinity)[0].samples.v]).toEqual(
      Array.from({ length: 100 }, (_, i) => i * 0.5),
    );
    expect(second.select('fresh', 0, Infinity)).toHaveLength(1);
    // Appends after a restart continue the same series, including an equal-timestamp replacement.
    await second.ingestExposition(`m{a="x"} 1000 ${T0 + 100 * MIN}\nm{a="x"} 101 ${T0 + 101 * MIN}\n`);
    await second.close();

    const third = await openSource({ dir, chunkSize: 32 });
    const v = [...third.select('m{a="x"}', T0 + 99 * MIN, Infinity)[0].samples.v];
    expect(v).toEqual([99, 1000, 101]);
    expect(third.stats()).toMatchObject({ series: 3, samples: 203 });
  });

  it('drops a torn last record on open and keeps everything before it', async () => {
    const first = await openSource({ dir });
    await first.ingestExposition(`m 1 ${T0}\n`);
    await first.ingestExposition(`m 2 ${T0 + MIN}\n`);
    await first.close();
    const [log] = (await readdir(dir)).filter((f) => f.endsWith('.log'));
    const size = (await stat(join(dir, log))).size;
    await truncate(join(dir, log), size - 7);

    const second = await openSource({ dir });
    expect([...second.select('m', 0, Infinity)[0].samples.v]).toEqual([1]);
    await second.ingestExposition(`m 3 ${T0 + 2 * MIN}\n`);
    await second.close();
    const third = await openSource({ dir });
    expect([...third.select('m', 0, Infinity)[0].samples.v]).toEqual([1, 3]);
  });

  it('treats garbage after the last record as a torn tail, but a damaged snapshot as an error', async () => {
    const first = await openSource({ dir });
    await first.ingestExposition(`m 1 ${T0}\n`);
    await first.compact();
    await first.ingestExposition(`m 2 ${T0 + MIN}\n`);
    await first.close();
    const [log] = (await readdir(dir)).filter((f) => f.endsWith('.log'));
    await appendFile(join(dir, log), Buffer.from([0xff, 0xff, 0x00, 0x10, 1, 2, 3]));
    const second = await openSource({ dir });
    expect([...second.select('m', 0, Infinity)[0].samples.v]).toEqual([1, 2]);
    await second.close();
    open.pop();

    const snap = join(dir, 'snapshot.bin');
    const bytes = await readFile(snap);
    bytes[bytes.length - 3] ^= 0xff;
    await writeFile(snap, bytes);
    const e = await caught(
      BuiltinSource.open({ clock: new ManualClock(T0), logger: silentLogger, retention: Infinity, dir }),
    );
    expect(e.code).toBe('METRICS_STORE');
    expect(e.message).toContain('snapshot.bin');
  });

  it('applies retention to what it loads from disk', async () => {
    const first = await openSource({ dir, retention: Infinity });
    await first.ingestExposition(`old 1 ${T0}\nm 1 ${T0}\nm 2 ${T0 + 100 * MIN}\n`);
    await first.close();
    const second = await openSource({ dir, retention: 10 * MIN });
    expect(second.select('old', 0, Infinity)).toEqual([]);
    expect([...second.select('m', 0, Infinity)[0].samples.v]).toEqual([2]);
    expect(second.stats().series).toBe(1);
  });
});

describe('pushMetrics', () => {
  it('stores Prometheus text with ms timestamps, stamping the rest with now, and counts what it rejects', async () => {
    const source = await openSource();
    const now = T0 + 10 * MIN;
    const body = [
      '# TYPE requests_total counter',
      `requests_total{path="/a"} 10 ${T0}`,
      `requests_total{path="/a"} 5 ${T0 - MIN}`, // out of order
      'requests_total{path="/b"} 3',
      `requests_total{path="/c"} 1 ${now + 60 * MIN}`, // from the future
    ].join('\n');
    const r = await pushMetrics(source, { body, contentType: 'text/plain; version=0.0.4' }, { now });
    expect(r).toEqual({ series: 3, samples: 2, rejected: { outOfOrder: 1, tooOld: 0, future: 1 } });
    expect([...source.select('requests_total{path="/b"}', 0, Infinity)[0].samples.t]).toEqual([now]);
    expect(source.stats()).toMatchObject({ outOfOrder: 1, future: 1, samples: 2 });
  });

  it('reads OpenMetrics bodies with second timestamps', async () => {
    const source = await openSource();
    const r = await pushMetrics(
      source,
      { body: `m 1 ${T0 / 1000}\n# EOF\n`, contentType: 'application/openmetrics-text; version=1.0.0' },
      { now: T0 },
    );
    expect(r.samples).toBe(1);
    expect([...source.select('m', 0, Infinity)[0].samples.t]).toEqual([T0]);
  });

  it('stores nothing from a body with a malformed line, and names the line', async () => {
    const source = await openSource();
    const e = await caught(pushMetrics(source, { body: 'good 1\nbad{ 2\n' }, { now: T0 }));
    expect(e.code).toBe('METRICS_PARSE');
    expect(e.details[0]).toMatchObject({ file: 'request body', line: 2 });
    expect(source.stats().samples).toBe(0);
    expect(source.select('good', 0, Infinity)).toEqual([]);
  });

  it('refuses oversized bodies and unknown content types', async () => {
    const source = await openSource();
    expect(
      (await caught(pushMetrics(source, { body: 'm 1\n'.repeat(100) }, { now: T0, maxBytes: 100 }))).code,
    ).toBe('REQUEST_TOO_LARGE');
    const e = await caught(pushMetrics(source, { body: '{}', contentType: 'application/json' }, { now: T0 }));
    expect(e.code).toBe('METRICS_CONTENT_TYPE');
    expect(e.status).toBe(415);
  });
});
