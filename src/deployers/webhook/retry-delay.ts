/**
 * Exponential backoff with jitter before retry `attempt` (1 = the first retry): `baseMs · 2^(attempt-1)`,
 * capped at `maxMs`, then scaled by a random factor in [0.5, 1) so many replicas retrying the same endpoint
 * spread out.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random() / 2));
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delay-seconds or an HTTP date (relative to `nowMs`);
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
