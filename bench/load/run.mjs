// The load figure of issue 7 for both stores: the embedded store (PGlite, the single-process default) and
// PostgreSQL (a fresh database on $RELEASEBOT_BENCH_PG, else the local server; skipped with a reason when absent).
// Each runs in its own process (node --expose-gc) so memory and CPU figures do not mix.
//   node bench/load/run.mjs [--deploys 1000] [--checks 20] [--rounds 10] [--interval 10s] [--json]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';

const { values: a } = parseArgs({
  options: {
    deploys: { type: 'string', default: '1000' },
    checks: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '10' },
    interval: { type: 'string', default: '10s' },
    json: { type: 'boolean', default: false },
  },
});
const run = promisify(execFile);
const script = new URL('./evaluation-load.mjs', import.meta.url).pathname;
const args = [
  '--deploys',
  a.deploys,
  '--checks',
  a.checks,
  '--rounds',
  a.rounds,
  '--interval',
  a.interval,
  '--json',
];

const engineSrc = new URL('../../src/pipeline/deploy-engine.ts', import.meta.url);
const engineDist = process.env.RELEASEBOT_DIST
  ? `${process.env.RELEASEBOT_DIST.replace(/\/?$/, '/')}pipeline/deploy-engine.js`
  : new URL('../../dist/pipeline/deploy-engine.js', import.meta.url);
try {
  if (statSync(engineSrc).mtimeMs > statSync(engineDist).mtimeMs)
    console.error('warning: dist/ is older than src/ (run npm run build): the figures are of the last build');
} catch {
  console.error('dist/ is missing: run npm run build first');
  process.exit(1);
}

async function once(store) {
  const { stdout } = await run(process.execPath, ['--expose-gc', script, ...args, '--store', store], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

const results = [];
// The embedded store as `serve` and `demo` run it: PGlite in a directory (files on disk), not in memory.
const dir = mkdtempSync(join(tmpdir(), 'releasebot-load-'));
try {
  results.push(await once(dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const admin = process.env.RELEASEBOT_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `rb_bench_${randomBytes(4).toString('hex')}`;
const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
let pgSkip = null;
try {
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
} catch (e) {
  pgSkip = `PostgreSQL not reachable at ${admin}: ${e.message}`;
}
if (!pgSkip) {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  try {
    results.push(await once(url.toString()));
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
await client.end().catch(() => undefined);

if (a.json) {
  console.log(JSON.stringify({ results, ...(pgSkip ? { skipped: { postgres: pgSkip } } : {}) }));
} else {
  const row = (r) =>
    `| ${r.store} | ${r.deploys} × ${r.checks} | ${r.cpuMsPerRound.p50} (max ${r.cpuMsPerRound.max}) | ` +
    `${r.wallMsPerRound.p50} | ${r.decisionMs.judge.p50} / ${r.decisionMs.judge.p99} | ` +
    `${r.decisionMs.afterRoundStart.p50} / ${r.decisionMs.afterRoundStart.p99} | ${r.memoryPerDeployKiB} |`;
  console.log(`Evaluation round every ${a.interval}; target ≤ 250 ms CPU per round of 1,000 × 20.\n`);
  console.log(
    '| store | deploys × checks | CPU ms / round p50 | wall ms / round | decision ms p50 / p99 (judge) | decided after round start ms p50 / p99 | memory KiB / deploy |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) console.log(row(r));
  if (pgSkip) console.log(`\nPostgreSQL skipped: ${pgSkip}`);
}
