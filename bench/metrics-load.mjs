// Built-in metric store figures: OpenMetrics load throughput, bytes per sample for weeks of per-minute history,
// read latency on the evaluation hot path, and restart time. Not a test: prints numbers, asserts nothing.
//   node bench/metrics-load.mjs [--file metrics.om] [--series 500] [--weeks 5] [--json]
// Imports the built code (dist/); run `npm run build` first. Run with --expose-gc for steadier memory figures.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'metrics', 'builtin');
if (!existsSync(join(dist, 'builtin-source.js'))) {
  console.error('bench/metrics-load: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
const { BuiltinSource } = await import(join(dist, 'builtin-source.js'));
const { SeriesStore } = await import(join(dist, 'series-store.js'));
const { silentLogger } = await import(join(root, 'dist', 'logging', 'logger.js'));

const { values: args } = parseArgs({
  options: {
    file: { type: 'string' },
    series: { type: 'string', default: '500' },
    weeks: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const clock = { now: () => Date.now() };
const cpuMs = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const scratch = await mkdtemp(join(tmpdir(), 'rb-bench-metrics-'));
const results = {};

try {
  // 1. Load a realistic OpenMetrics file (deploybench, seed 1, 28 days + 4 weeks of history) into memory.
  let file = args.file;
  if (!file) {
    const gen = join(root, '..', 'shared', 'deploybench', 'gen.mjs');
    execFileSync(process.execPath, [
      gen,
      '--seed',
      '1',
      '--days',
      '28',
      '--history-weeks',
      '4',
      '--out',
      join(scratch, 'db'),
      '--quiet',
    ]);
    file = join(scratch, 'db', 'metrics.om');
  }
  const bytes = (await stat(file)).size;
  const runs = [];
  let loaded;
  for (let i = 0; i < 3; i++) {
    const source = await BuiltinSource.open({ clock, logger: silentLogger, retention: Infinity });
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    loaded = await source.loadOpenMetricsFile(file);
    runs.push({ wall: performance.now() - w0, cpu: cpuMs(c0) });
    await source.close();
  }
  const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a));
  results.load = {
    file,
    megabytes: +(bytes / 1e6).toFixed(1),
    samples: loaded.samples,
    wallMs: Math.round(best.wall),
    cpuMs: Math.round(best.cpu),
    samplesPerSecond: Math.round(loaded.samples / (best.wall / 1000)),
    megabytesPerSecond: +(bytes / 1e6 / (best.wall / 1000)).toFixed(1),
  };

  // 2. Memory: weeks of per-minute history for many series with values shaped like real ones.
  const nSeries = Number(args.series);
  const minutes = Number(args.weeks) * 7 * 1440;
  const shapes = [
    (i, s) => Number((0.001 + 0.0004 * Math.sin(i / 200 + s) + 0.0001 * ((i * 7919) % 11)).toFixed(7)), // ratio
    (i, s) => Number((0.2 + 0.05 * Math.sin(i / 300 + s) + 0.001 * ((i * 104729) % 17)).toFixed(5)), // latency
    (i, s) => Math.round(12000 + 5000 * Math.sin(i / 229 + s) + ((i * 31) % 400)), // per-minute count
    (i, s) => 1e9 + i * 20000 + ((i * 17 + s) % 900), // counter
  ];
  globalThis.gc?.();
  const heap0 = process.memoryUsage();
  const store = new SeriesStore({ retention: Infinity });
  const t0 = Date.UTC(2025, 0, 6);
  const ids = Array.from({ length: nSeries }, (_, s) =>
    store.seriesId({ __name__: `metric_${s % 4}`, series: String(s), service: `svc${s % 50}` }),
  );
  const c0 = process.cpuUsage();
  for (let i = 0; i < minutes; i++) {
    const t = t0 + i * 60_000;
    for (let s = 0; s < nSeries; s++) store.append(ids[s], t, shapes[s % 4](i, s));
  }
  const appendCpu = cpuMs(c0);
  globalThis.gc?.();
  const heap1 = process.memoryUsage();
  const st = store.stats();
  const measured = heap1.heapUsed + heap1.arrayBuffers - heap0.heapUsed - heap0.arrayBuffers;
  results.memory = {
    series: st.series,
    samples: st.samples,
    bytesPerSample: +(st.bytes / st.samples).toFixed(2),
    processBytesPerSample: globalThis.gc ? +(measured / st.samples).toFixed(2) : 'run with --expose-gc',
    appendNsPerSample: +((appendCpu * 1e6) / st.samples).toFixed(0),
  };

  // 3. Hot-path reads: the last hour of a series by selector, as one evaluation round of 1,000 deploys x 20 checks does.
  const source = await BuiltinSource.open({ clock, logger: silentLogger, retention: Infinity });
  const lines = [];
  for (let s = 0; s < 200; s++)
    for (let i = 0; i < 3 * 1440; i++)
      lines.push(
        `m{check="c${s % 20}",deploy="d${Math.floor(s / 20)}"} ${(i % 97) / 1000} ${t0 + i * 60_000}`,
      );
  await source.ingestExposition(lines.join('\n'));
  const end = t0 + (3 * 1440 - 1) * 60_000;
  const queries = Array.from(
    { length: 200 },
    (_, s) => `m{check="c${s % 20}",deploy="d${Math.floor(s / 20)}"}`,
  );
  for (let i = 0; i < 20_000; i++) source.select(queries[i % 200], end - 3_600_000, end); // warm up
  const rounds = 5;
  const r0 = process.cpuUsage();
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 20_000; i++)
      n += source.select(queries[i % 200], end - 3_600_000 - (i % 7) * 60_000, end)[0].samples.t.length;
  }
  const readCpu = cpuMs(r0);
  results.reads = {
    perRound: 20_000,
    samplesPerRead: Math.round(n / (rounds * 20_000)),
    cpuMsPerRound: +(readCpu / rounds).toFixed(1),
    microsecondsPerRead: +((readCpu * 1000) / (rounds * 20_000)).toFixed(2),
  };
  await source.close();

  // 4. Restart: persist the deploybench file, then time reopening from the log, and from a snapshot.
  const dir = join(scratch, 'store');
  const persisted = await BuiltinSource.open({
    clock,
    logger: silentLogger,
    retention: Infinity,
    dir,
    compactBytes: Number.MAX_SAFE_INTEGER,
  });
  const p0 = performance.now();
  await persisted.loadOpenMetricsFile(file);
  const persistMs = performance.now() - p0;
  await persisted.close();
  const o0 = performance.now();
  const fromLog = await BuiltinSource.open({
    clock,
    logger: silentLogger,
    retention: Infinity,
    dir,
    compactBytes: Number.MAX_SAFE_INTEGER,
  });
  const reopenLogMs = performance.now() - o0;
  await fromLog.compact();
  await fromLog.close();
  const snapBytes = (await stat(join(dir, 'snapshot.bin'))).size;
  const s0 = performance.now();
  const fromSnap = await BuiltinSource.open({ clock, logger: silentLogger, retention: Infinity, dir });
  const reopenSnapMs = performance.now() - s0;
  const restored = fromSnap.stats().samples;
  await fromSnap.close();
  results.persistence = {
    loadWithLogMs: Math.round(persistMs),
    reopenFromLogMs: Math.round(reopenLogMs),
    reopenFromSnapshotMs: Math.round(reopenSnapMs),
    snapshotBytesPerSample: +(snapBytes / restored).toFixed(2),
  };
} finally {
  await rm(scratch, { recursive: true, force: true });
}

if (args.json) console.log(JSON.stringify(results, null, 2));
else {
  const { load: l, memory: m, reads: r, persistence: p } = results;
  console.log('built-in metric store');
  console.log(
    `  load      ${l.megabytes} MB, ${l.samples} samples: ${l.wallMs} ms wall (${l.cpuMs} ms CPU), ${(l.samplesPerSecond / 1e6).toFixed(2)} M samples/s, ${l.megabytesPerSecond} MB/s`,
  );
  console.log(
    `  memory    ${m.series} series x ${(m.samples / m.series).toFixed(0)} samples = ${(m.samples / 1e6).toFixed(1)} M: ${m.bytesPerSample} B/sample (store estimate), ${m.processBytesPerSample} B/sample (measured heap + array buffers), generate+append ${m.appendNsPerSample} ns/sample`,
  );
  console.log(
    `  reads     ${r.perRound} selector reads of ~${r.samplesPerRead} samples: ${r.cpuMsPerRound} ms CPU per round, ${r.microsecondsPerRead} us/read`,
  );
  console.log(
    `  restart   load+log ${p.loadWithLogMs} ms; reopen from log ${p.reopenFromLogMs} ms, from snapshot ${p.reopenFromSnapshotMs} ms (${p.snapshotBytesPerSample} B/sample on disk)`,
  );
}
