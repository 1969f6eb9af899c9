#!/usr/bin/env node
// `releasebot detect` straight from the TypeScript sources (run with `node --import tsx`), for benchmarking before
// the CLI is built. Same arguments and output as the real command.
import { parseArgs } from 'node:util';
import { runDetect } from '../../src/cli/detect-command.js';

const { values } = parseArgs({
  options: { input: { type: 'string' }, output: { type: 'string' }, direction: { type: 'string' } },
});
process.exitCode = await runDetect({
  ...(values.input ? { input: values.input } : {}),
  ...(values.output ? { output: values.output } : {}),
  ...(values.direction ? { direction: values.direction } : {}),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
