import { performance } from 'node:perf_hooks';
import type { Env } from '../config/interpolate-env.js';
import type { GateConfig } from '../config/schema.js';
import { renderCommand } from '../deployers/command/render-command.js';
import { describeExit, runProcess } from '../process/run-process.js';
import { deployEnv } from '../deployers/deploy-vars.js';
import { tailText } from '../process/output-tail.js';
import { formatDuration } from '../time/duration.js';

export interface StageGateResult {
  ok: boolean;
  /** What the smoke test printed, or the HTTP status and body; the last 8 KiB. */
  output: string;
  durationMs: number;
}

export interface StageGateDeps {
  /** Environment a gate command inherits (default process.env); `RELEASEBOT_*` go on top. */
  env?: Env;
  /** Shell for gate commands (default /bin/sh). */
  shell?: string;
  cwd?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * Runs a stage's gate before its traffic shifts: a smoke-test command (exit 0 passes; placeholders filled and
 * shell-quoted as for the command deployer) or an HTTP check (passes on `expectStatus`). Never throws: any
 * failure, timeout included, is `{ ok: false }` with the reason in `output`.
 */
export async function runStageGate(
  gate: GateConfig,
  vars: Readonly<Record<string, string>>,
  deps: StageGateDeps = {},
): Promise<StageGateResult> {
  const started = performance.now();
  try {
    if (gate.command) return await commandGate(gate.command, gate.timeout, vars, deps);
    if (gate.http) return await httpGate(gate.http, gate.timeout, vars, deps);
    return { ok: false, output: 'the gate has neither `command` nor `http`', durationMs: 0 };
  } catch (e) {
    const durationMs = Math.round(performance.now() - started);
    return { ok: false, output: `[releasebot] gate failed: ${(e as Error).message}`, durationMs };
  }
}

async function commandGate(
  command: string,
  timeoutMs: number,
  vars: Readonly<Record<string, string>>,
  deps: StageGateDeps,
): Promise<StageGateResult> {
  const r = await runProcess({
    command: renderCommand(command, vars),
    ...(deps.shell ? { shell: deps.shell } : {}),
    ...(deps.cwd ? { cwd: deps.cwd } : {}),
    env: { ...(deps.env ?? process.env), ...deployEnv(vars) },
    timeoutMs,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const ok = r.exitCode === 0 && !r.timedOut && !r.aborted;
  const sep = r.output && !r.output.endsWith('\n') ? '\n' : '';
  const output = ok ? r.output : `${r.output}${sep}[releasebot] gate ${describeExit(r, timeoutMs)}`;
  return { ok, output, durationMs: r.durationMs };
}

async function httpGate(
  http: NonNullable<GateConfig['http']>,
  timeoutMs: number,
  vars: Readonly<Record<string, string>>,
  deps: StageGateDeps,
): Promise<StageGateResult> {
  const started = performance.now();
  const url = http.url.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (m, k: string) =>
    Object.hasOwn(vars, k) ? encodeURIComponent(vars[k]) : m,
  );
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout.signal]) : timeout.signal;
  const elapsed = (): number => Math.round(performance.now() - started);
  // The query string may carry a token: it is left out of the output.
  const shown = `${http.method} ${safeUrl(url)}`;
  try {
    const res = await (deps.fetch ?? globalThis.fetch)(url, { method: http.method, signal });
    const body = http.method === 'HEAD' ? '' : await res.text();
    const ok = res.status === http.expectStatus;
    const line = `${shown}: HTTP ${res.status}${ok ? '' : ` (expected ${http.expectStatus})`}`;
    return { ok, output: tailText(body ? `${line}\n${body}` : line), durationMs: elapsed() };
  } catch (e) {
    const why = timeout.signal.aborted
      ? `no answer within ${formatDuration(timeoutMs)}`
      : (e as Error).message;
    return { ok: false, output: `${shown}: ${why}`, durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
