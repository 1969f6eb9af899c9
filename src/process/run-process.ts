import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../time/duration.js';
import { OutputTail } from './output-tail.js';

export interface RunProcessOptions {
  /** Shell command line, run as `<shell> -c <command>` (a POSIX shell: stderr is joined to stdout). */
  command: string;
  /** Default `/bin/sh`. */
  shell?: string;
  cwd?: string;
  /** The child's whole environment (nothing is inherited implicitly). */
  env: NodeJS.ProcessEnv;
  /** After this long the whole process group is killed. */
  timeoutMs: number;
  /** Aborting kills the process group, like a timeout. */
  signal?: AbortSignal;
  /** Output kept (stdout and stderr interleaved), from the end. Default 8 KiB. */
  maxOutputBytes?: number;
  /** How long SIGTERM has before SIGKILL. Default 5 s. */
  killGraceMs?: number;
}

export interface ProcessResult {
  /** Exit code; null when killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** Why the process could not start (bad shell, bad cwd). */
  startError?: string;
  /** Combined stdout and stderr, the last `maxOutputBytes`. */
  output: string;
  durationMs: number;
}

// Once the shell has exited, output still held open by a background child (`server &`) is not waited for.
const DRAIN_AFTER_EXIT_MS = 250;

/**
 * Runs a shell command in its own process group and never throws: on timeout or abort the whole group is
 * killed (SIGTERM, then SIGKILL), so a child such as a hung `sleep` dies with the shell.
 */
export function runProcess(opts: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const tail = new OutputTail(opts.maxOutputBytes);
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let startError: string | undefined;
    const timers: NodeJS.Timeout[] = [];

    // One pipe for both streams keeps stdout and stderr in the order they were written.
    const child = spawn(opts.shell ?? '/bin/sh', ['-c', `exec 2>&1; ${opts.command}`], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true, // a new process group, so one kill reaches every descendant
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => tail.push(c));
    child.stderr.on('data', (c: Buffer) => tail.push(c));

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (): void => {
      killGroup('SIGTERM');
      const escalate = setTimeout(() => killGroup('SIGKILL'), opts.killGraceMs ?? 5000);
      escalate.unref();
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        exitCode,
        signal: exitSignal,
        timedOut,
        aborted,
        ...(startError ? { startError } : {}),
        output: tail.text(),
        durationMs: Math.round(performance.now() - started),
      });
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };

    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, opts.timeoutMs),
    );
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (e) => {
      startError = e.message;
      finish();
    });
    child.on('exit', (code, sig) => {
      exitCode = code;
      exitSignal = sig;
      if (timedOut || aborted) killGroup('SIGKILL'); // stragglers that ignored SIGTERM
      timers.push(setTimeout(finish, DRAIN_AFTER_EXIT_MS));
    });
    child.on('close', finish);
  });
}

/** One line saying how a failed process ended, for the end of its output. */
export function describeExit(r: ProcessResult, timeoutMs: number): string {
  if (r.startError) return `could not start: ${r.startError}`;
  if (r.timedOut) return `timed out after ${formatDuration(timeoutMs)}; the process group was killed`;
  if (r.aborted) return 'aborted; the process group was killed';
  if (r.signal) return `killed by ${r.signal}`;
  return `exited with code ${r.exitCode}`;
}
