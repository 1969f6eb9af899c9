#!/usr/bin/env node
// `npm run bench` (after `npm run build`): every figure side by side from one run, printed and saved to
// .bench/results.{md,json}. Not a test: nothing is asserted.
//   node bench/run.mjs [--seeds 11,12,13] [--days 28] [--weeks 4] [--quick] [--only deploybench,nab,throughput]
// deploybench and NAB live beside this checkout (../shared/…) unless $DEPLOYBENCH_DIR / $NAB_ROOT say otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: a } = parseArgs({
  options: {
    seeds: { type: 'string', default: '11,12,13' },
    days: { type: 'string', default: '28' },
    weeks: { type: 'string', default: '4' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const seeds = (a.quick ? '11' : a.seeds).split(',').map(Number);
const days = a.quick ? 7 : Number(a.days);
const only = new Set((a.only ?? 'deploybench,nab,throughput').split(','));
const DB = process.env.DEPLOYBENCH_DIR ?? path.resolve(root, '../shared/deploybench');
const NAB = process.env.NAB_ROOT ?? path.resolve(root, '../shared/nab');
const out = path.join(root, '.bench');
mkdirSync(out, { recursive: true });
const results = { at: new Date().toISOString(), host: { cpus: os.cpus().length, load: os.loadavg()[0] } };
const md = [];
const log = (s) => process.stderr.write(`${s}\n`);
const node = (args, opts = {}) =>
  spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((p, q) => p - q);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (x) => (x == null ? '-' : `${(100 * x).toFixed(1)}%`);
const num = (x, d = 1) => (x == null ? '-' : x.toFixed(d));
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

if (!existsSync(path.join(root, 'dist', 'cli', 'entry.js'))) {
  log('bench: building first (npm run build)');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

// ---------------------------------------------------------------- deploybench: judgement of deploys --
const section = async (name, fn) => {
  if (!only.has(name)) return;
  try {
    await fn();
  } catch (e) {
    log(`${name}: FAILED: ${e.message}`);
    md.push(`### ${name}`, '', `failed: ${e.message}`, '');
    results[name] = { error: e.message };
  }
  writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
};

await section('deploybench', async () => {
  const perSeed = [];
  for (const seed of seeds) {
    const dir = path.join(out, 'deploybench', `s${seed}-d${days}-w${a.weeks}`);
    if (!existsSync(path.join(dir, 'truth.json'))) {
      log(`deploybench: generating seed ${seed} (${days} days, ${a.weeks} weeks of history)`);
      const g = node([
        path.join(DB, 'gen.mjs'),
        '--seed',
        String(seed),
        '--days',
        String(days),
        '--history-weeks',
        a.weeks,
        '--out',
        dir,
        '--quiet',
      ]);
      if (g.status !== 0) throw new Error(`gen.mjs failed: ${g.stderr}`);
    }
    log(`deploybench: seed ${seed}: reference judges and releasebot replay`);
    const r = node([
      path.join(DB, 'run.mjs'),
      '--dir',
      dir,
      '--json',
      '--judge',
      'zscore3,argo,kayenta,oracle,none',
      '--external',
      `${process.execPath} ${path.join(root, 'bench', 'releasebot-external.mjs')}`,
      '--external-name',
      'releasebot',
    ]);
    if (r.status !== 0) throw new Error(`run.mjs failed: ${r.stderr}`);
    const doc = JSON.parse(r.stdout);
    perSeed.push({
      seed,
      deploys: doc.deploys,
      bad: doc.bad,
      judges: doc.judges.map(({ decisions: _d, ...j }) => j),
    });
  }
  const names = perSeed[0].judges.map((j) => j.name);
  const agg = names.map((name) => {
    const js = perSeed.map((s) => s.judges.find((j) => j.name === name));
    const deploys = perSeed.reduce((n, s) => n + s.deploys, 0);
    return {
      name,
      recall: median(js.map((j) => j.recall)),
      falseStopRate: median(js.map((j) => j.falseStopRate)),
      before10Rate: median(js.map((j) => j.before10Rate)),
      ttdMedianMin: median(js.map((j) => j.ttdMedianMin)),
      impactReductionPct: median(js.map((j) => j.impactReductionPct)),
      msPerDeploy: js.reduce((t, j) => t + j.wallMs, 0) / deploys,
      problems: js.flatMap((j) => j.problems ?? []).length,
    };
  });
  results.deploybench = { seeds, days, weeks: Number(a.weeks), perSeed, median: agg };
  const kay = agg.find((j) => j.name === 'kayenta');
  md.push(
    `### Deploy judgement — deploybench, ${seeds.length} seed(s) × ${days} days (${perSeed.map((s) => `${s.deploys} deploys/${s.bad} bad`).join(', ')}); medians over seeds`,
    '',
    table(
      [
        'judge',
        'recall',
        'false stops',
        'stopped < 10%',
        'TTD median (min)',
        'impact reduction',
        'false stops vs kayenta',
        'time / deploy',
      ],
      agg.map((j) => [
        j.name === 'releasebot' ? '**releasebot**' : j.name,
        pct(j.recall),
        pct(j.falseStopRate),
        pct(j.before10Rate),
        num(j.ttdMedianMin),
        j.impactReductionPct == null ? '-' : `${j.impactReductionPct.toFixed(1)}%`,
        kay && kay.falseStopRate ? `${(j.falseStopRate / kay.falseStopRate).toFixed(2)}×` : '-',
        `${j.msPerDeploy.toFixed(1)} ms`,
      ]),
    ),
    '',
    'Targets (defaults only): recall ≥ 95%, false stops ≤ 1%, ≥ 70% stopped before 10%, TTD median ≤ 3 min, impact reduction ≥ 94%.',
    '',
  );
});

// ---------------------------------------------------------------- NAB: anomaly detection --
await section('nab', async () => {
  log('nab: releasebot detect over the development subset');
  const json = path.join(out, 'nab', 'scores.json');
  const r = node([
    path.join(root, 'bench', 'nab', 'run.mjs'),
    '--nab',
    NAB,
    '--out',
    path.join(out, 'nab'),
    '--json',
    json,
  ]);
  if (r.status !== 0) throw new Error(`NAB run failed: ${r.stderr}${r.stdout}`);
  const s = (await import(`file://${json}`, { with: { type: 'json' } })).default.releasebot;
  results.nab = {
    standard: s.standard.score,
    lowFP: s.reward_low_FP_rate.score,
    lowFN: s.reward_low_FN_rate.score,
  };
  md.push(
    '### Anomaly detection — NAB development subset (35 files) through `releasebot detect`',
    '',
    table(
      ['detector', 'standard', 'low FP', 'low FN', 'standard vs plain z-score'],
      [
        [
          '**releasebot detect**',
          num(results.nab.standard, 2),
          num(results.nab.lowFP, 2),
          num(results.nab.lowFN, 2),
          `${(results.nab.standard / 37).toFixed(2)}×`,
        ],
        ['plain windowed z-score (reference)', '37', '-', '-', '1.00×'],
        ['Twitter ADVec (reference)', '46', '-', '-', `${(46 / 37).toFixed(2)}×`],
      ],
    ),
    '',
    'Not comparable with the NAB scoreboard (35 of 58 files). Target: standard ≥ 55.',
    '',
  );
});

// ---------------------------------------------------------------- throughput --
await section('throughput', async () => {
  const rows = [];
  // detect: a long series, minus the start-up measured on a tiny one.
  const csv = (n) => {
    let s = 'timestamp,value\n';
    let v = 100;
    for (let i = 0; i < n; i++) {
      v += Math.sin(i / 50) + ((i * 7919) % 13) / 13 - 0.5;
      s += `${new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()},${v.toFixed(3)}\n`;
    }
    return s;
  };
  const big = path.join(out, 'detect-500k.csv');
  const small = path.join(out, 'detect-10.csv');
  writeFileSync(big, csv(500_000));
  writeFileSync(small, csv(10));
  const time = (file) => {
    const t = process.hrtime.bigint();
    const r = node([
      path.join(root, 'bin', 'releasebot.js'),
      'detect',
      '--input',
      file,
      '--output',
      '/dev/null',
    ]);
    if (r.status !== 0) throw new Error(`detect failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const startup = Math.min(time(small), time(small));
  const whole = Math.min(time(big), time(big));
  const pps = 500_000 / Math.max(1e-3, whole - startup);
  rows.push([
    '`detect` points per second (500k rows, start-up excluded)',
    `${Math.round(pps).toLocaleString('en')}`,
    '≥ 500,000',
  ]);
  rows.push(['`detect` start-up', `${(startup * 1000).toFixed(0)} ms`, '']);
  results.throughput = {
    detectPointsPerSecond: Math.round(pps),
    detectStartupMs: Math.round(startup * 1000),
  };

  if (results.deploybench) {
    const rb = results.deploybench.median.find((j) => j.name === 'releasebot');
    rows.push([
      '`replay` time per deploy (deploybench, all checks, load included)',
      `${rb.msPerDeploy.toFixed(1)} ms`,
      '',
    ]);
  }
  log('throughput: evaluation rounds of 1,000 deploys x 20 checks, on the embedded store and on PostgreSQL');
  const lr = node([path.join(root, 'bench', 'load', 'run.mjs'), '--json']);
  if (lr.status !== 0) throw new Error(`load bench failed: ${lr.stderr}`);
  const loadDoc = JSON.parse(lr.stdout.trim().split('\n').pop());
  results.throughput.rounds = loadDoc;
  for (const r of loadDoc.results) {
    const where =
      r.store === 'postgres' ? 'PostgreSQL (releasebot’s CPU only)' : 'embedded store (PGlite, in-process)';
    rows.push([
      `evaluation round, ${r.deploys} deploys × ${r.checks} checks, built-in metrics, ${where}: CPU`,
      `${r.cpuMsPerRound.p50} ms`,
      '≤ 250 ms',
    ]);
    rows.push([
      `  decision latency after the round starts, p50 / p99 (${r.store})`,
      `${r.decisionMs.afterRoundStart.p50} / ${r.decisionMs.afterRoundStart.p99} ms`,
      '',
    ]);
    rows.push([`  memory per running deploy (${r.store})`, `${r.memoryPerDeployKiB} KiB`, '']);
  }
  if (loadDoc.skipped?.postgres)
    rows.push(['evaluation round on PostgreSQL', `skipped: ${loadDoc.skipped.postgres}`, '']);
  const load = node([path.join(root, 'bench', 'metrics-load.mjs'), '--json']);
  if (load.status === 0) {
    const m = JSON.parse(load.stdout);
    results.throughput.metricsLoad = m;
    const rate = m.load?.samplesPerSecond ?? m.samplesPerSecond;
    const bps = m.memory?.bytesPerSample ?? m.bytesPerSample;
    if (rate)
      rows.push([
        'built-in store: OpenMetrics load',
        `${Math.round(rate).toLocaleString('en')} samples/s`,
        '',
      ]);
    if (bps) rows.push(['built-in store: memory per sample', `${Number(bps).toFixed(2)} B`, '']);
  }
  md.push('### Throughput', '', table(['figure', 'measured', 'target'], rows), '');
});

md.unshift(
  `Measured ${results.at} on ${results.host.cpus} cores (load average ${results.host.load.toFixed(1)} at the start).`,
  '',
);
writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
writeFileSync(path.join(out, 'results.md'), md.join('\n'));
process.stdout.write(`${md.join('\n')}\n`);
log(`bench: saved ${path.join(out, 'results.md')} and results.json`);
