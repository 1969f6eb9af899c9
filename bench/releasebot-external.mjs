#!/usr/bin/env node
// deploybench external judge: `node run.mjs --external 'node bench/releasebot-external.mjs'`.
// Writes releasebot.yaml for the scenario in the directory it is given, runs `releasebot replay`, prints its JSON.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioConfigYaml } from './deploybench/scenario-service.mjs';

const dir = process.argv[2] ?? process.env.DEPLOYBENCH_DIR;
if (!dir) {
  console.error('usage: releasebot-external.mjs <scenario dir>');
  process.exit(2);
}
const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
writeFileSync(join(dir, 'releasebot.yaml'), scenarioConfigYaml(scenario));
const bin = fileURLToPath(new URL('../bin/releasebot.js', import.meta.url));
const args = [
  'replay',
  '--config',
  join(dir, 'releasebot.yaml'),
  '--metrics',
  join(dir, 'metrics.om'),
  '--deploys',
  join(dir, 'deploys.json'),
];
const r = spawnSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
process.exit(r.status ?? 1);
