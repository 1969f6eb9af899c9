import type { ResolvedService } from '../config/resolved-config.js';
import type { Hold } from '../store/store.js';

/** The first active hold that covers this service (itself, its team, or everything), if any. */
export function holdFor(holds: readonly Hold[], svc: ResolvedService): Hold | undefined {
  return holds.find(
    (h) =>
      h.releasedAt === null &&
      (h.scope === 'all' ||
        (h.scope === 'service' && h.target === svc.name) ||
        (h.scope === 'team' && !!svc.team && h.target === svc.team)),
  );
}

export function describeHold(h: Hold): string {
  const what = h.scope === 'all' ? 'all deploys' : `${h.scope} ${h.target}`;
  return `hold on ${what} by ${h.actor}: ${h.reason}`;
}
