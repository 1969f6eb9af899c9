// Signatures are compared in constant time. Behaviourally: each verifier reaches crypto.timingSafeEqual for a
// well-formed signature, right or wrong (the real function runs; it is only counted). Statically: no source file
// compares a signature, digest, HMAC or secret with ===, !==, == or != (lengths aside).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ n: 0, lengths: [] as Array<[number, number]> }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.n++;
      calls.lengths.push([a.byteLength, b.byteLength]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const { signPayload, verifySignature } = await import('../../src/webhooks/webhook-signature.js');
const { slackSignature, verifySlackSignature } =
  await import('../../src/notify/slack/verify-slack-signature.js');

const SECRET = 'shared-secret-for-the-test';
const BODY = '{"action":"shift"}';
const NOW = 1_900_000_000_000;
const TS = String(NOW / 1000);

/** The same signature with its last hex digit changed: equal length, different bytes. */
const flip = (s: string) => s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');

describe('signature checks run in constant time', () => {
  beforeEach(() => {
    calls.n = 0;
    calls.lengths = [];
  });

  it('the webhook signature of deployers and notifiers (receivers verify releasebot)', () => {
    const good = signPayload(SECRET, TS, BODY);
    expect(verifySignature({ secret: SECRET, timestamp: TS, body: BODY, signature: good, nowMs: NOW })).toBe(
      true,
    );
    expect(
      verifySignature({ secret: SECRET, timestamp: TS, body: BODY, signature: flip(good), nowMs: NOW }),
    ).toBe(false);
    expect(calls.n).toBe(2);
    expect(calls.lengths.every(([a, b]) => a === b)).toBe(true);
  });

  it("Slack's request signature (interactive buttons and slash commands)", () => {
    const good = slackSignature(SECRET, TS, BODY);
    const check = (signature: string) =>
      verifySlackSignature({ signingSecret: SECRET, rawBody: BODY, timestamp: TS, signature, nowMs: NOW });
    expect(check(good)).toEqual({ ok: true });
    expect(check(flip(good))).toEqual({ ok: false, reason: 'mismatch' });
    expect(calls.n).toBe(2);
  });

  it('no source file compares secrets or signatures with an ordinary equality', () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);
    const sensitive = /\b\w*(signature|digest|hmac|secret|expectedSig|mac)\w*\b/i;
    const equality = /(!==?|===?)/;
    // Comparisons that look sensitive but are not credentials, each with the reason.
    const notSecret = [
      // A hash of a Slack message's content, to skip an update that would change nothing.
      'notify/slack/slack-notifier.ts: if (ref.digest === digest)',
    ];
    const offenders: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
          if (!equality.test(code)) return;
          // Each side of each comparison: flag it when a side names a secret-like value and is not its length,
          // its presence, or its type.
          for (const m of code.matchAll(/([\w.$[\]()!?]+)\s*(!==?|===?)\s*([\w.$[\]()!?'"]+)/g)) {
            const sides = [m[1], m[3]];
            if (!sides.some((s) => sensitive.test(s))) continue;
            if (
              sides.some((s) =>
                /\.length$|\.byteLength$|^typeof|^(undefined|null|''|true|false|\d+)$/.test(s),
              )
            )
              continue;
            const where = `${relative(root, file)}: ${line.trim()}`;
            if (notSecret.some((ok) => where.startsWith(ok))) continue;
            offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(offenders).toEqual([]);
  });
});
