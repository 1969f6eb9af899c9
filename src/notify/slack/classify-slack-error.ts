import { ErrorCode, type WebAPICallResult } from '@slack/web-api';
import type { DeliveryOutcome } from '../notifier.js';

/** Platform errors (`ok: false`) that are Slack's own trouble and pass. Everything else (bad channel, auth) stays. */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

interface SlackErrorShape {
  code?: string;
  message?: string;
  retryAfter?: number;
  statusCode?: number;
  headers?: Record<string, string>;
  data?: WebAPICallResult & { error?: string };
  original?: Error;
}

/** The Slack error `error` of a platform error (`channel_not_found`), or undefined for other failures. */
export function platformError(err: unknown): string | undefined {
  const e = err as SlackErrorShape;
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

/**
 * Turns what the WebClient threw into an outcome. The client is set to throw on 429 at once (its own retries are
 * off), so Retry-After reaches the pump, which keeps a message's order and its place in the store across restarts.
 */
export function classifySlackError(err: unknown, scrub: (s: string) => string): DeliveryOutcome {
  const e = err as SlackErrorShape;
  const message = scrub(e?.message ?? String(err));
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return {
        status: 'retry',
        error: `rate limited by Slack (Retry-After ${e.retryAfter}s)`,
        retryAfterMs: (e.retryAfter ?? 1) * 1000,
      };
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      const error = `Slack answered HTTP ${status}`;
      if (status >= 500 || status === 408 || status === 429) {
        const ra = Number(e.headers?.['retry-after']);
        return Number.isFinite(ra) && ra >= 0
          ? { status: 'retry', error, retryAfterMs: ra * 1000 }
          : { status: 'retry', error };
      }
      return { status: 'failed', error };
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      const error = `Slack error ${code}`;
      if (!TRANSIENT.has(code)) return { status: 'failed', error };
      const ra = e.data?.response_metadata?.retryAfter;
      return ra !== undefined
        ? { status: 'retry', error, retryAfterMs: ra * 1000 }
        : { status: 'retry', error };
    }
    case ErrorCode.RequestError:
      return { status: 'retry', error: scrub(`cannot reach Slack: ${e.original?.message ?? message}`) };
    default:
      // Includes a 429 without a usable Retry-After, which the client reports as a plain error.
      return { status: 'retry', error: message };
  }
}
