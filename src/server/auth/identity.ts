import type { ResolvedConfig } from '../../config/resolved-config.js';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Scope } from '../../store/store.js';

/** Who is calling, after authentication. */
export interface Identity {
  name: string;
  tokenId: string | null;
  scopes: Scope[];
  /** Limits (empty = all). */
  services: string[];
  teams: string[];
}

export const ANONYMOUS_READER: Identity = {
  name: 'anonymous',
  tokenId: null,
  scopes: ['read'],
  services: [],
  teams: [],
};

const RANK: Record<Scope, number> = { read: 1, deploy: 2, admin: 3 };

/** True when the identity has `scope` (admin implies deploy implies read). */
export function hasScope(id: Identity, scope: Scope): boolean {
  return id.scopes.some((s) => RANK[s] >= RANK[scope]);
}

/** Throws AUTH_FORBIDDEN unless the identity may do `scope` on `service` (when given). */
export function authorize(id: Identity, scope: Scope, service: string | null, config: ResolvedConfig): void {
  if (!hasScope(id, scope)) {
    throw new ReleasebotError('AUTH_FORBIDDEN', `token "${id.name}" lacks the ${scope} scope`);
  }
  if (service && !mayTouchService(id, service, config)) {
    throw new ReleasebotError(
      'AUTH_FORBIDDEN',
      `token "${id.name}" is not allowed to act on service "${service}"`,
    );
  }
}

/** Service and team limits: none means every service. */
export function mayTouchService(id: Identity, service: string, config: ResolvedConfig): boolean {
  if (!id.services.length && !id.teams.length) return true;
  if (id.services.includes(service)) return true;
  const team = config.services[service]?.team;
  return !!team && id.teams.includes(team);
}
