import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplayCache } from './replay-cache.js';

/** Slack's window for request timestamps; older (or further in the future) is refused. */
export const SLACK_MAX_AGE_SEC = 300;

export type SlackSignatureCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' | 'replayed' };

export interface SlackSignatureInput {
  signingSecret: string;
  /** The body exactly as received, before any parsing. */
  rawBody: string | Buffer;
  /** `X-Slack-Request-Timestamp` (unix seconds). */
  timestamp: string | undefined;
  /** `X-Slack-Signature` (`v0=<hex>`). */
  signature: string | undefined;
  nowMs: number;
  /** Refuses a signature seen before; recorded only once the signature verified. */
  replayCache?: ReplayCache;
}

/** `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

/**
 * Verifies a request from Slack (v0 signing): the timestamp within five minutes of now, the signature equal in
 * constant time, and not seen before. The reason is for logs; tell the caller only that it was refused.
 */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'malformed' };
  const ts = Number(timestamp);
  if (Math.abs(input.nowMs / 1000 - ts) > SLACK_MAX_AGE_SEC) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'mismatch' };
  if (
    input.replayCache &&
    !input.replayCache.add(signature, (ts + SLACK_MAX_AGE_SEC) * 1000 + 1, input.nowMs)
  ) {
    return { ok: false, reason: 'replayed' };
  }
  return { ok: true };
}
