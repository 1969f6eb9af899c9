import { ReleasebotError } from '../../errors/releasebot-error.js';
import { newId } from '../../pipeline/new-id.js';
import type { ApiToken, Scope, Store } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';
import type { Identity } from './identity.js';
import { generateTokenSecret, hashToken } from './token-secret.js';

export interface NewTokenRequest {
  name: string;
  scopes: Scope[];
  services?: string[];
  teams?: string[];
}

/** Creates a token; the secret is returned once and only its hash is stored. */
export async function createApiToken(
  store: Store,
  clock: Clock,
  req: NewTokenRequest,
): Promise<{ token: ApiToken; secret: string }> {
  if (!req.name.trim()) throw new ReleasebotError('REQUEST_INVALID', 'a token needs a name');
  if (!req.scopes.length) throw new ReleasebotError('REQUEST_INVALID', 'a token needs at least one scope');
  const secret = generateTokenSecret();
  const token: ApiToken = {
    id: newId('t', clock.now()),
    name: req.name.trim(),
    scopes: [...new Set(req.scopes)],
    services: req.services ?? [],
    teams: req.teams ?? [],
    createdAt: clock.now(),
    revokedAt: null,
  };
  await store.tokens.create(token, hashToken(secret));
  return { token, secret };
}

/** The identity behind a bearer secret; AUTH_INVALID for unknown or revoked tokens. */
export async function identify(store: Store, secret: string): Promise<Identity> {
  const token = await store.tokens.findByHash(hashToken(secret));
  if (!token || token.revokedAt !== null) {
    throw new ReleasebotError('AUTH_INVALID', token ? `token "${token.name}" was revoked` : 'unknown token');
  }
  return {
    name: token.name,
    tokenId: token.id,
    scopes: token.scopes,
    services: token.services,
    teams: token.teams,
  };
}
