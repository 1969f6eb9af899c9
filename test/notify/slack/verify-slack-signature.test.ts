import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../../../src/notify/slack/replay-cache.js';
import { verifySlackSignature } from '../../../src/notify/slack/verify-slack-signature.js';

// The worked example of Slack's "Verifying requests from Slack" documentation: secret, timestamp, body, signature.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TS = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
  '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
  '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIG = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const DOC_NOW = Number(DOC_TS) * 1000 + 10_000;

// A second vector, computed outside Node: printf 'v0:1700000000:payload=%%7B%%7D' | openssl dgst -sha256 -hmac releasebot-test
const OPENSSL_SIG = 'v0=f1c5805ece19b58d9d4a180ab5f413cf5feafbde97dfe23c929bd8491b0f1464';

const check = (over: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
  verifySlackSignature({
    signingSecret: DOC_SECRET,
    rawBody: DOC_BODY,
    timestamp: DOC_TS,
    signature: DOC_SIG,
    nowMs: DOC_NOW,
    ...over,
  });

describe('verifySlackSignature', () => {
  it('accepts Slack’s documented example', () => {
    expect(check()).toEqual({ ok: true });
    expect(check({ rawBody: Buffer.from(DOC_BODY) })).toEqual({ ok: true });
  });

  it('accepts a request signed with the same secret over the same bytes', () => {
    expect(
      verifySlackSignature({
        signingSecret: 'releasebot-test',
        rawBody: 'payload=%7B%7D',
        timestamp: '1700000000',
        signature: OPENSSL_SIG,
        nowMs: 1700000000_000,
      }),
    ).toEqual({ ok: true });
  });

  it('refuses a wrong secret', () => {
    expect(check({ signingSecret: '8f742231b10e8888abcd99yyyzzz85a6' })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a tampered body and a changed timestamp', () => {
    expect(check({ rawBody: DOC_BODY.replace('text=', 'text=rollback') })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check({ timestamp: '1531420619', nowMs: DOC_NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses timestamps more than five minutes away', () => {
    const ts = Number(DOC_TS) * 1000;
    expect(check({ nowMs: ts + 300_000 })).toEqual({ ok: true });
    expect(check({ nowMs: ts + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(check({ nowMs: ts - 301_000 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a replay of an accepted request, but not a first try after a refused one', () => {
    const cache = new ReplayCache();
    expect(check({ replayCache: cache, signingSecret: 'wrong-secret' })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check({ replayCache: cache })).toEqual({ ok: true });
    expect(check({ replayCache: cache, nowMs: DOC_NOW + 60_000 })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses missing and malformed headers', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(check({ signature: DOC_SIG.replace('v0=', 'v1=') })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ signature: DOC_SIG.slice(0, -2) })).toEqual({ ok: false, reason: 'malformed' });
    expect(check({ timestamp: '1531420618.5' })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('ReplayCache', () => {
  it('stays bounded, dropping the oldest first', () => {
    const cache = new ReplayCache(3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(cache.add(k, 10_000, 0)).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.add('e', 10_000, 1)).toBe(false);
    expect(cache.add('a', 10_000, 1)).toBe(true);
  });

  it('forgets entries once they expire', () => {
    const cache = new ReplayCache();
    expect(cache.add('sig', 1_000, 0)).toBe(true);
    expect(cache.add('sig', 2_000, 999)).toBe(false);
    expect(cache.add('sig', 2_000, 1_000)).toBe(true);
  });
});
