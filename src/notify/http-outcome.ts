import type { DeliveryOutcome } from './notifier.js';

/** `fetch` as the notifiers use it; passed in so tests and proxies can supply their own. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Per-request timeout of the HTTP notifiers, ms: well under the pump's claim lease. */
export const HTTP_TIMEOUT_MS = 10_000;

/**
 * Reads a Retry-After header (delta seconds or an HTTP date) as milliseconds from `now`; undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A response as an outcome: 2xx delivered; 408, 425, 429 and 5xx pass (retry, honouring Retry-After); any other
 * status will not get better by repeating the same request.
 */
export async function outcomeOfResponse(
  res: Response,
  now: number,
  scrub: (s: string) => string,
): Promise<DeliveryOutcome> {
  if (res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return { status: 'delivered', note: `HTTP ${res.status}` };
  }
  const text = scrub((await res.text().catch(() => '')).slice(0, 300));
  const error = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
  if ([408, 425, 429].includes(res.status) || res.status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now);
    return retryAfterMs === undefined ? { status: 'retry', error } : { status: 'retry', error, retryAfterMs };
  }
  return { status: 'failed', error };
}

/** A request that got no response (refused, reset, timed out) may work next time. */
export function outcomeOfFetchError(err: unknown, scrub: (s: string) => string): DeliveryOutcome {
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return { status: 'retry', error: scrub(`${err instanceof Error ? err.message : String(err)}${cause}`) };
}

/** Replaces each secret (token, webhook URL, routing key) in a text with `[redacted]` before it is stored or logged. */
export function scrubber(secrets: Array<string | undefined>): (text: string) => string {
  const list = secrets.filter((s): s is string => !!s && s.length >= 6);
  return (text) => list.reduce((t, s) => t.split(s).join('[redacted]'), text);
}
