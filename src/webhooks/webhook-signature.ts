import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `X-Releasebot-Signature` value for a request: `sha256=` and the hex HMAC-SHA256, keyed with the shared
 * secret, of `"<timestamp>.<body>"` (timestamp = the `X-Releasebot-Timestamp` header, Unix seconds).
 * Signing the timestamp lets receivers reject replays of old requests.
 */
export function signPayload(secret: string, timestamp: string, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `sha256=${hmac.digest('hex')}`;
}

export interface VerifySignatureOptions {
  secret: string;
  /** The `X-Releasebot-Timestamp` header. */
  timestamp: string;
  /** The raw request body, exactly as received. */
  body: string | Buffer;
  /** The `X-Releasebot-Signature` header. */
  signature: string;
  /** With `nowMs`, a timestamp further than `toleranceMs` (default 5 min) from now fails. */
  nowMs?: number;
  toleranceMs?: number;
}

/** Checks a signed releasebot request in constant time; false for any mismatch or malformed input. */
export function verifySignature(opts: VerifySignatureOptions): boolean {
  if (!/^\d+$/.test(opts.timestamp)) return false;
  if (opts.nowMs !== undefined) {
    const skew = Math.abs(opts.nowMs - Number(opts.timestamp) * 1000);
    if (skew > (opts.toleranceMs ?? 300_000)) return false;
  }
  const expected = Buffer.from(signPayload(opts.secret, opts.timestamp, opts.body));
  const given = Buffer.from(opts.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
