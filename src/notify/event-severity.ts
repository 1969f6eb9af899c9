import type { Severity } from '../config/notifier-schema.js';
import type { LifecycleEvent } from '../events/lifecycle-event.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** True when `severity` is at least `min` (unset = everything). */
export function atLeast(severity: Severity, min: Severity | undefined): boolean {
  return RANK[severity] >= RANK[min ?? 'info'];
}

/**
 * How loud an event is. Progress is `info` (quiet: thread replies only); what needs a person is `warning`; a check
 * that stopped the deploy and every rollback is `critical` (alert channel, paging).
 */
export function eventSeverity(event: LifecycleEvent): Severity {
  switch (event.type) {
    case 'deploy:queued':
    case 'deploy:started':
    case 'deploy:superseded':
    case 'stage:advanced':
    case 'deploy:resumed':
    case 'deploy:promoted':
    case 'hold:released':
      return 'info';
    case 'check:breached':
      return event.decision.action === 'pause' || event.decision.action === 'rollback'
        ? 'critical'
        : 'warning';
    case 'check:no_data':
    case 'deploy:aborted':
    case 'deployer:failed':
    case 'gate:failed':
    case 'hold:set':
      return 'warning';
    case 'deploy:paused':
      return event.kind === 'check' ? 'critical' : 'warning';
    case 'deploy:rolling_back':
    case 'deploy:rolled_back':
    case 'deploy:failed':
      return 'critical';
  }
}
