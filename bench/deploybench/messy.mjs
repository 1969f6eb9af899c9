#!/usr/bin/env node
// Makes a deploybench scenario messier than its generator, to check the judge does not depend on its neatness:
//   node bench/deploybench/messy.mjs --in DIR --out DIR [--seed N] [--only warmup,hardware,gaps,late]
// - warmup:   the first minute after every traffic shift, the canary runs cold: latency x1.3, CPU +5 points
// - hardware: every canary runs on slightly different hosts: latency x1.03, CPU +1.5 points
// - gaps:     1% of all samples are dropped and 0.3% become NaN
// - late:     bad deploys' regressions (error, latency, logs, cpu) grow linearly over the first 15 minutes instead
//             of starting at full size (a leak); crashes unchanged
// truth.json is copied unchanged (a bad deploy stays bad).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lib } from './deploybench-root.mjs';

const { Rng } = lib;

const { values: a } = parseArgs({
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string', default: 'warmup,hardware,gaps,late' },
  },
});
if (!a.in || !a.out) {
  console.error('usage: messy.mjs --in DIR --out DIR [--seed N] [--only warmup,hardware,gaps,late]');
  process.exit(2);
}
const on = new Set(a.only.split(','));
const truth = JSON.parse(fs.readFileSync(path.join(a.in, 'truth.json'), 'utf8'));
const rng = new Rng(Number(a.seed), 'messy');
fs.mkdirSync(a.out, { recursive: true });
for (const f of ['deploys.json', 'scenario.json', 'truth.json'])
  fs.copyFileSync(path.join(a.in, f), path.join(a.out, f));

// Per minute (sample timestamp, seconds) -> { deploy, minute since start, stage start }.
const at = new Map();
for (const d of truth.deploys) {
  for (let ts = d.startTs + 60; ts <= d.endTs; ts += 60) {
    const st = d.stages.find((s) => ts - 60 >= s.startTs && ts - 60 < s.endTs);
    at.set(ts, {
      d,
      minute: (ts - d.startTs) / 60,
      shiftMinute: (ts - st.startTs) / 60,
      traffic: st.traffic,
    });
  }
}
// How far a bad deploy's regression has grown by minute k (late onset), as a fraction of its full size.
const grown = (k) => Math.min(1, k / 15);

const text = fs.readFileSync(path.join(a.in, 'metrics.om'), 'utf8');
const out = [];
for (const line of text.split('\n')) {
  if (!line || line.startsWith('#')) {
    out.push(line);
    continue;
  }
  const br = line.indexOf('}');
  const name = line.slice(0, line.indexOf('{'));
  const cohort = /cohort="([^"]*)"/.exec(line)[1];
  const [vs, tss] = line.slice(br + 2).split(' ');
  let v = Number(vs);
  const ts = Number(tss);
  if (on.has('gaps')) {
    const u = rng.u();
    if (u < 0.01) continue;
    if (u < 0.013) {
      out.push(`${line.slice(0, br + 1)} NaN ${tss}`);
      continue;
    }
  }
  const info = at.get(ts);
  if (info && cohort === 'canary') {
    const { d } = info;
    if (on.has('late') && d.bad && d.type !== 'crash' && info.minute < 15) {
      const g = grown(info.minute);
      if (d.type === 'error' && name === 'http_error_ratio') v *= (1 + (d.magnitude - 1) * g) / d.magnitude;
      if (d.type === 'latency' && name === 'http_latency_p95_seconds')
        v *= (1 + d.magnitude * g) / (1 + d.magnitude);
      if (d.type === 'logs' && name === 'log_lines_per_minute')
        v *= (1 + (d.magnitude - 1) * g) / d.magnitude;
      if (d.type === 'cpu' && name === 'cpu_utilization') v -= d.magnitude * (1 - g);
    }
    if (on.has('hardware') && info.traffic < 100) {
      if (name === 'http_latency_p95_seconds') v *= 1.03;
      if (name === 'cpu_utilization') v = Math.min(100, v + 1.5);
    }
    if (on.has('warmup') && info.shiftMinute === 1 && info.traffic < 100) {
      if (name === 'http_latency_p95_seconds') v *= 1.3;
      if (name === 'cpu_utilization') v = Math.min(100, v + 5);
    }
  }
  const dec = name === 'log_lines_per_minute' || name === 'http_requests_per_minute' ? 0 : 7;
  out.push(`${line.slice(0, br + 1)} ${Number(v.toFixed(dec))} ${tss}`);
}
fs.writeFileSync(path.join(a.out, 'metrics.om'), out.join('\n'));
console.error(`messy: ${a.in} -> ${a.out} (${[...on].join(', ')})`);
