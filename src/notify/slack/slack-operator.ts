import type { SlackOperator } from '../../config/notifier-schema.js';
import type { ResolvedService } from '../../config/resolved-config.js';
import type { Scope } from '../../store/store.js';

/** `admin` may do everything, `deploy` also read; `read` only read. */
export function hasScope(op: SlackOperator, needed: Scope): boolean {
  if (op.scopes.includes('admin')) return true;
  if (needed === 'read') return op.scopes.length > 0;
  return op.scopes.includes(needed);
}

/** Whether the operator may act on a service: no `services`/`teams` limit, or the service (or its team) is listed. */
export function mayActOn(
  op: SlackOperator,
  service: Pick<ResolvedService, 'name' | 'team'> | undefined,
): boolean {
  if (!op.services && !op.teams) return true;
  if (!service) return false;
  if (op.services?.includes(service.name)) return true;
  return !!service.team && !!op.teams?.includes(service.team);
}
