import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token: `rb_` and 32 random bytes. Shown once; only its hash is stored. */
export function generateTokenSecret(): string {
  return `rb_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of the token: tokens are long and random, so a fast hash is enough to make the stored value useless. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
