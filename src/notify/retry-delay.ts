/** How the pump spaces out attempts of one message. */
export interface RetryPolicy {
  /** Delay after the first failed attempt, ms; doubles per attempt. */
  baseMs: number;
  /** Longest backoff between two attempts, ms. */
  maxMs: number;
  /** Attempts before a message is given up for good (failures stay visible in the outbox and the log). */
  maxAttempts: number;
  /** A Retry-After longer than this is cut to it, ms. */
  maxRetryAfterMs: number;
}

/** Twelve attempts over about an hour: a Slack outage of that length still gets its messages through. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  maxMs: 600_000,
  maxAttempts: 12,
  maxRetryAfterMs: 3_600_000,
};

/**
 * Delay before attempt `failed + 1`, given `failed` attempts so far (>= 1). The server's Retry-After wins when it
 * gave one; otherwise exponential backoff with ±20% jitter (`random` in [0, 1), 0.5 = none) so replicas that
 * failed together do not retry together.
 */
export function retryDelay(
  failed: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0)
    return Math.min(Math.max(retryAfterMs, 1_000), policy.maxRetryAfterMs);
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failed - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
