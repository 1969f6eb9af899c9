import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../src/process/run-process.js';
import { isRunning, waitUntilGone } from '../deployers/process-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'releasebot-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH };

describe('runProcess', () => {
  it('returns the exit code and stdout and stderr interleaved', async () => {
    const r = await runProcess({
      command: 'echo out; echo err >&2; echo more; exit 3',
      env,
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ exitCode: 3, signal: null, timedOut: false, aborted: false });
    expect(r.output).toBe('out\nerr\nmore\n');
  });

  it('keeps only the last 8 KiB of output and says how much was dropped', async () => {
    const r = await runProcess({
      command: "head -c 100000 /dev/zero | tr '\\0' a; echo; echo THE-END",
      env,
      timeoutMs: 10_000,
    });
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/^\[\.\.\. 91\d\d\d earlier bytes not kept\]\n/);
    expect(r.output.endsWith('a\nTHE-END\n')).toBe(true);
    const kept = r.output.slice(r.output.indexOf('\n') + 1);
    expect(Buffer.byteLength(kept)).toBe(8192);
  });

  it('on timeout kills the whole process group, a hung child too', async () => {
    const pidFile = join(dir, 'sleep.pid');
    const r = await runProcess({
      command: `sleep 1000 & echo $! > ${pidFile}; echo started; wait`,
      env,
      timeoutMs: 300,
    });
    expect(r).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
    expect(r.output).toBe('started\n');
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitUntilGone(child)).toBe(true);
  });

  it('escalates to SIGKILL for processes that ignore SIGTERM', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const r = await runProcess({
      command: `trap '' TERM; echo $$ > ${pidFile}; while :; do sleep 0.05; done`,
      env,
      timeoutMs: 200,
      killGraceMs: 100,
    });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(await waitUntilGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('kills the group when aborted', async () => {
    const controller = new AbortController();
    const running = runProcess({
      command: 'echo go; sleep 1000',
      env,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const r = await running;
    expect(r).toMatchObject({ aborted: true, timedOut: false });
  });

  it('does not wait for a background process that keeps the output open', async () => {
    const pidFile = join(dir, 'daemon.pid');
    const r = await runProcess({
      command: `sleep 30 & echo $! > ${pidFile}; echo started`,
      env,
      timeoutMs: 20_000,
    });
    const daemon = Number(readFileSync(pidFile, 'utf8'));
    try {
      expect(r).toMatchObject({ exitCode: 0, timedOut: false, output: 'started\n' });
      expect(isRunning(daemon)).toBe(true); // returned while it still ran: not waited for, not killed
    } finally {
      process.kill(daemon, 'SIGKILL');
    }
  });

  it('reports a process that cannot start instead of throwing', async () => {
    const r = await runProcess({ command: 'true', cwd: join(dir, 'no-such-dir'), env, timeoutMs: 5_000 });
    expect(r.exitCode).toBeNull();
    expect(r.startError).toMatch(/ENOENT/);
  });
});
