#!/usr/bin/env node
// NAB benchmark for `releasebot detect`: runs it over the NAB development subset through the subset's own runner
// (<nab>/run-detector.mjs, which also checks causality) and prints standard / low_FP / low_FN.
//   node bench/nab/run.mjs [--nab DIR] [--out DIR] [--json FILE] [-j N]
// Uses the built CLI (bin/releasebot.js detect) when it has the command, else the sources through tsx.
// run-detector wants one score per line: the detect CSV's third column is cut out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: a } = parseArgs({
  options: {
    nab: { type: 'string', default: process.env.NAB_ROOT ?? path.resolve(root, '../shared/nab') },
    out: { type: 'string', default: path.join(os.tmpdir(), 'releasebot-nab') },
    json: { type: 'string' },
    j: { type: 'string', default: String(Math.max(1, os.cpus().length)) },
  },
});

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const bin = path.join(root, 'bin', 'releasebot.js');
const help = spawnSync(process.execPath, [bin, 'detect', '--help'], { encoding: 'utf8' });
const built = help.status === 0 && /--direction/.test(help.stdout);
const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const detect = built
  ? `${q(process.execPath)} ${q(bin)} detect`
  : `${q(process.execPath)} --import ${q(tsx)} ${q(path.join(root, 'bench', 'nab', 'detect-dev.mjs'))}`;
const cmd = `${detect} | cut -d, -f3`;
const jsonFile = a.json ?? path.join(a.out, 'releasebot_scores.json');
const t0 = process.hrtime.bigint();
const r = spawnSync(
  process.execPath,
  [
    path.join(a.nab, 'run-detector.mjs'),
    '--nab',
    a.nab,
    '--out',
    a.out,
    '--name',
    'releasebot',
    '--check-causal',
    '-j',
    a.j,
    '--json',
    jsonFile,
    '--cmd',
    cmd,
  ],
  { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
);
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
process.stderr.write(r.stderr);
if (r.status !== 0) {
  process.stdout.write(r.stdout);
  process.exit(r.status ?? 1);
}
const scores = JSON.parse(fs.readFileSync(jsonFile, 'utf8')).releasebot;
const row = (k) =>
  `${k.padEnd(20)} ${scores[k].score.toFixed(2).padStart(6)}   windows ${scores[k].counts.windowsDetected}/${scores[k].counts.windows}, FP rows ${scores[k].counts.fpRows}`;
console.log(
  `NAB development subset (${a.nab}), releasebot detect ${built ? '(built CLI)' : '(sources via tsx)'}, ${wall.toFixed(1)} s`,
);
console.log(row('standard'));
console.log(row('reward_low_FP_rate'));
console.log(row('reward_low_FN_rate'));
console.log(
  'reference on this subset: plain windowed z-score 37, Twitter ADVec 46 (standard); scores are not comparable with the NAB scoreboard (35 of 58 files)',
);
