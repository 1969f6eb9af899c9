import type { DeployState } from '../pipeline/deploy.js';
import { isTerminal } from '../pipeline/deploy.js';
import type { Clock } from '../time/clock.js';
import type { ExternalDeploys, ExternalRef } from './external-deploys.js';
import { exposeExternal, promoteExternal, rollBackExternal } from './external-transitions.js';

/** What an external system reported about its rollout. */
export type ExternalOutcome = 'progressing' | 'promoted' | 'rolled_back';

export interface RecordedEvent {
  /** False when there was nothing to record it on (an end reported for a rollout releasebot never saw). */
  recorded: boolean;
  deployId: string | null;
  state: DeployState | null;
}

/**
 * Records rollout events an external system sends (Flagger's `event` webhook): a progressing rollout creates or
 * moves its deploy (a new weight is exposure), a finished one promotes it or marks it rolled back. An end that
 * arrives for a deploy that already ended changes nothing (the first word stands, e.g. releasebot's own `fail`).
 */
export class ExternalEvents {
  constructor(
    private readonly deploys: ExternalDeploys,
    private readonly clock: Clock,
  ) {}

  async record(ref: ExternalRef, outcome: ExternalOutcome, reason: string): Promise<RecordedEvent> {
    const svc = this.deploys.service(ref.service);
    return this.deploys.serial(ref.key.key, async () => {
      const actor = ref.trigger.actor;
      if (outcome === 'progressing') {
        let d = await this.deploys.ensure(ref, svc);
        const weight = ref.weight;
        if (weight !== undefined) {
          d = await this.deploys.apply(
            d,
            svc,
            (x) => (x.state === 'running' ? exposeExternal(x, svc, this.clock.now(), weight) : null),
            actor,
          );
        }
        return { recorded: true, deployId: d.id, state: d.state };
      }
      const found = await this.deploys.find(ref, svc);
      if (!found) return { recorded: false, deployId: null, state: null };
      const now = this.clock.now();
      const d = await this.deploys.apply(
        found,
        svc,
        (x) => {
          if (isTerminal(x.state) || x.state === 'queued') return null;
          return outcome === 'promoted'
            ? promoteExternal(x, svc, now, reason)
            : rollBackExternal(x, svc, now, reason, { automatic: true, output: reason });
        },
        actor,
      );
      return { recorded: true, deployId: d.id, state: d.state };
    });
  }
}
