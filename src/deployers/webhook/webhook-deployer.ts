import type { WebhookDeployerConfig } from '../../config/deployer-schema.js';
import { systemClock, type Clock } from '../../time/clock.js';
import { formatDuration } from '../../time/duration.js';
import { tailText } from '../../process/output-tail.js';
import type { Deployer, DeployerCall, DeployerResult } from '../deployer.js';
import { backoffDelay, parseRetryAfter } from './retry-delay.js';
import { signPayload } from '../../webhooks/webhook-signature.js';

/** Waits `ms`; resolves early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface WebhookDeployerDeps {
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** Reads the time for `X-Releasebot-Timestamp` and HTTP-date `Retry-After`. */
  clock?: Clock;
  /** For the jitter; Math.random by default. */
  random?: () => number;
  /** First backoff delay (default 500 ms); it doubles per retry. */
  backoffMs?: number;
  /** Longest wait between attempts, also for `Retry-After` (default 60 s). */
  maxDelayMs?: number;
}

export type WebhookAction = 'shift' | 'rollback' | 'promote';

/** The JSON body a webhook deployer POSTs. */
export interface WebhookDeployPayload {
  action: WebhookAction;
  service: string;
  version: string;
  previousVersion: string | null;
  traffic: number;
  stage: string | null;
  deployId: string;
  idempotencyKey: string;
  fence: number;
}

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

type Attempt =
  | { kind: 'response'; status: number; statusText: string; body: string; retryAfterMs?: number }
  | { kind: 'error'; message: string; timedOut: boolean };

/**
 * POSTs each action as JSON to the configured URL, signed when a secret is set. 2xx is success; network errors,
 * timeouts, 5xx and 429 are retried with exponential backoff and jitter (429/503 honour `Retry-After`); other
 * 4xx fail at once. Every attempt carries the same `Idempotency-Key`, so the receiver can drop repeats.
 * Never throws.
 */
export class WebhookDeployer implements Deployer {
  readonly type = 'webhook';
  private readonly fetch: typeof fetch;
  private readonly sleep: Sleep;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(
    private readonly config: WebhookDeployerConfig,
    private readonly deps: WebhookDeployerDeps = {},
  ) {
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.sleep = deps.sleep ?? defaultSleep;
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
  }

  shift(call: DeployerCall): Promise<DeployerResult> {
    return this.send('shift', call);
  }

  rollback(call: DeployerCall): Promise<DeployerResult> {
    return this.send('rollback', call);
  }

  promote(call: DeployerCall): Promise<DeployerResult> {
    return this.send('promote', call);
  }

  private async send(action: WebhookAction, call: DeployerCall): Promise<DeployerResult> {
    const started = performance.now();
    const payload: WebhookDeployPayload = {
      action,
      service: call.service.name,
      version: call.deploy.version,
      previousVersion: call.deploy.previousVersion,
      traffic: call.traffic,
      stage: call.stage?.name ?? null,
      deployId: call.deploy.id,
      idempotencyKey: call.idempotencyKey,
      fence: call.fence,
    };
    const body = JSON.stringify(payload);
    const attempts = this.config.retries + 1;
    const log: string[] = [];
    let last: Attempt | undefined;
    for (let n = 1; n <= attempts; n++) {
      last = await this.attempt(body, call);
      const retryable = last.kind === 'error' || last.status >= 500 || last.status === 429;
      log.push(`attempt ${n} of ${attempts}: ${describe(last)}`);
      if (last.kind === 'response' && last.status >= 200 && last.status < 300) break;
      if (!retryable || n === attempts || call.signal?.aborted) break;
      const backoff = backoffDelay(n, this.deps.backoffMs ?? 500, this.maxDelay(), this.random);
      const wanted =
        last.kind === 'response' && last.retryAfterMs !== undefined ? last.retryAfterMs : backoff;
      await this.sleep(Math.min(wanted, this.maxDelay()), call.signal);
      if (call.signal?.aborted) break;
    }
    const ok = last?.kind === 'response' && last.status >= 200 && last.status < 300;
    const bodyText = last?.kind === 'response' && last.body ? `\n${last.body}` : '';
    return {
      ok,
      output: tailText(log.join('\n') + bodyText),
      durationMs: Math.round(performance.now() - started),
      ...(!ok && last?.kind === 'error' && last.timedOut ? { timedOut: true } : {}),
    };
  }

  private maxDelay(): number {
    return this.deps.maxDelayMs ?? 60_000;
  }

  private async attempt(body: string, call: DeployerCall): Promise<Attempt> {
    const timestamp = String(Math.floor(this.clock.now() / 1000));
    const headers: Record<string, string> = {
      ...this.config.headers,
      'content-type': 'application/json',
      'user-agent': 'releasebot',
      'idempotency-key': call.idempotencyKey,
      'x-releasebot-timestamp': timestamp,
    };
    if (this.config.secret)
      headers['x-releasebot-signature'] = signPayload(this.config.secret, timestamp, body);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.config.timeout);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    try {
      const res = await this.fetch(this.config.url, { method: 'POST', headers, body, signal });
      const text = await res.text();
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.clock.now());
      return {
        kind: 'response',
        status: res.status,
        statusText: res.statusText,
        body: tailText(text, 2048),
        ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
      };
    } catch (e) {
      const timedOut = timeout.signal.aborted;
      const message = timedOut ? `no answer within ${formatDuration(this.config.timeout)}` : errorText(e);
      return { kind: 'error', message, timedOut };
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(a: Attempt): string {
  if (a.kind === 'error') return a.message;
  return `HTTP ${a.status}${a.statusText ? ` ${a.statusText}` : ''}`;
}

function errorText(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
