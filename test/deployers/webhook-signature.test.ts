import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '../../src/webhooks/webhook-signature.js';

const body = '{"action":"shift"}';

describe('webhook signatures', () => {
  it('are sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const hex = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
    expect(signPayload('s3cret', '1700000000', body)).toBe(`sha256=${hex}`);
  });

  it('verify only with the same secret, timestamp and body', () => {
    const signature = signPayload('s3cret', '1700000000', body);
    const ok = { secret: 's3cret', timestamp: '1700000000', body, signature };
    expect(verifySignature(ok)).toBe(true);
    expect(verifySignature({ ...ok, body: Buffer.from(body) })).toBe(true);
    expect(verifySignature({ ...ok, secret: 'other' })).toBe(false);
    expect(verifySignature({ ...ok, body: body.replace('shift', 'rollback') })).toBe(false);
    expect(verifySignature({ ...ok, timestamp: '1700000001' })).toBe(false);
    expect(verifySignature({ ...ok, signature: 'sha256=abc' })).toBe(false);
    expect(verifySignature({ ...ok, timestamp: 'soon' })).toBe(false);
  });

  it('reject timestamps outside the tolerance when given the time', () => {
    const signature = signPayload('k', '1700000000', body);
    const base = { secret: 'k', timestamp: '1700000000', body, signature };
    expect(verifySignature({ ...base, nowMs: 1_700_000_000_000 + 299_000 })).toBe(true);
    expect(verifySignature({ ...base, nowMs: 1_700_000_000_000 + 301_000 })).toBe(false);
    expect(verifySignature({ ...base, nowMs: 1_700_000_000_000 + 301_000, toleranceMs: 600_000 })).toBe(true);
  });
});
