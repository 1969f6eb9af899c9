import type { ResolvedConfig, ResolvedService } from '../config/resolved-config.js';
import { findService } from '../config/find-service.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Analyzer } from '../pipeline/analyzer.js';
import type { Deploy, Trigger } from '../pipeline/deploy.js';
import { ACTIVE_STATES, isTerminal } from '../pipeline/deploy.js';
import type { Transition } from '../pipeline/deploy-machine.js';
import * as machine from '../pipeline/deploy-machine.js';
import { newId } from '../pipeline/new-id.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { type ExternalKey, revisionOf } from './external-key.js';
import { promoteExternal, startExternal } from './external-transitions.js';

export interface ExternalDeploysDeps {
  config: ResolvedConfig;
  store: Store;
  clock: Clock;
  /** Told when a deploy ends, so it drops what it prepared for it. */
  analyzer: Pick<Analyzer, 'forget'>;
  bus?: EventBus;
}

/** Which deploy a call from Argo Rollouts or Flagger is about. */
export interface ExternalRef {
  service: string;
  key: ExternalKey;
  /** Defaults to the key's revision (pod template hash, Flagger checksum). */
  version?: string;
  /** Canary traffic percent now; absent when the caller does not say (Flagger's gates). */
  weight?: number;
  trigger: Trigger;
  /**
   * Argo Rollouts: the stable revision. When a new revision starts, an older open deploy of the same rollout whose
   * revision became the stable one was promoted; any other is superseded.
   */
  stable?: string;
}

const MAX_CAS_RETRIES = 8;
/** Actor of the transitions releasebot decides itself (as the engine's). */
export const JUDGE_ACTOR = 'releasebot';

/**
 * The store side of externally driven deploys: finds or creates the deploy of a key (started at once: the external
 * system already shifts traffic), and applies transitions with compare-and-set retries, publishing their events.
 * Calls about one key are serialised in this process; replicas are kept apart by the compare-and-set.
 */
export class ExternalDeploys {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ExternalDeploysDeps) {}

  service(name: string): ResolvedService {
    return findService(this.deps.config, name);
  }

  /** Runs `fn` after every earlier call about the same key has finished. */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(key) ?? Promise.resolve()).then(fn);
    const settled = run.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return run;
  }

  /** The deploy of the key, or null. */
  async find(ref: ExternalRef, svc: ResolvedService): Promise<Deploy | null> {
    const d = await this.deps.store.deploys.byKey(svc.name, ref.key.key);
    if (d && d.driver !== 'external') {
      throw new ReleasebotError(
        'DEPLOY_DUPLICATE',
        `key "${ref.key.key}" belongs to deploy ${d.id}, which releasebot drives itself`,
      );
    }
    return d;
  }

  /** The deploy of the key, created and started when missing (then older deploys of the workload are closed). */
  async ensure(ref: ExternalRef, svc: ResolvedService): Promise<Deploy> {
    let d = await this.find(ref, svc);
    if (!d) {
      const now = this.deps.clock.now();
      const version = ref.version ?? ref.key.revision;
      const created = await this.deps.store.deploys.create(
        {
          service: svc.name,
          version,
          changes: [],
          trigger: ref.trigger,
          idempotencyKey: ref.key.key,
          driver: 'external',
        },
        now,
        newId('d', now),
      );
      d = created.deploy;
      if (created.created) {
        await this.deps.store.audit.record({
          at: now,
          actor: ref.trigger.actor,
          action: 'deploy.create',
          target: d.id,
          details: { service: svc.name, version, trigger: ref.trigger.kind, key: ref.key.key },
        });
      }
    }
    if (d.state !== 'queued') return d;
    // Created here, or created by a call that crashed before starting it. Older revisions end first, so the one
    // that became stable is the previous version.
    await this.closeOlder(d, svc, ref);
    const previous = (await this.deps.store.deploys.lastPromotedVersion(svc.name)) ?? ref.stable ?? null;
    return this.apply(
      d,
      svc,
      (x) =>
        x.state === 'queued' ? startExternal(x, svc, this.deps.clock.now(), ref.weight ?? 0, previous) : null,
      ref.trigger.actor,
    );
  }

  /**
   * Stores `step(d)` (re-reading the deploy and re-deciding after a lost compare-and-set) and publishes its events.
   * `step` returns null when the deploy as read needs nothing (e.g. it ended meanwhile); the deploy is returned as is.
   */
  async apply(
    d: Deploy,
    svc: ResolvedService,
    step: (d: Deploy) => Transition | null,
    actor = JUDGE_ACTOR,
  ): Promise<Deploy> {
    let current = d;
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      const t = step(current);
      if (!t || (t.next === current && !t.events.length)) return current;
      const now = this.deps.clock.now();
      const stored = await this.deps.store.deploys.update(
        t.next,
        t.events.map((event) => ({ at: now, actor, event })),
      );
      if (stored) {
        this.deps.bus?.publish(stored.events);
        if (isTerminal(stored.deploy.state)) this.deps.analyzer.forget(stored.deploy.id);
        return stored.deploy;
      }
      const fresh = await this.deps.store.deploys.get(current.id);
      if (!fresh) throw new ReleasebotError('DEPLOY_UNKNOWN', `deploy ${current.id} disappeared`);
      current = fresh;
    }
    throw new ReleasebotError('DEPLOY_CONFLICT', `deploy ${d.id} of ${svc.name} kept changing; not recorded`);
  }

  /** The newest open deploy of the workload (for callers that cannot name the revision). */
  async openOf(svc: ResolvedService, workload: string): Promise<Deploy | null> {
    const open = await this.deps.store.deploys.list({
      service: svc.name,
      states: ['queued', ...ACTIVE_STATES],
      driver: 'external',
      limit: 1000,
    });
    return open.find((d) => revisionOf(d.idempotencyKey, workload) !== null) ?? null;
  }

  /** A new revision started: older open deploys of the workload were promoted (now stable) or superseded. */
  private async closeOlder(current: Deploy, svc: ResolvedService, ref: ExternalRef): Promise<void> {
    const open = await this.deps.store.deploys.list({
      service: svc.name,
      states: ['queued', ...ACTIVE_STATES],
      driver: 'external',
      limit: 1000,
    });
    for (const old of open) {
      const revision = revisionOf(old.idempotencyKey, ref.key.workload);
      if (old.id === current.id || revision === null) continue;
      const now = this.deps.clock.now();
      await this.apply(old, svc, (x) => {
        if (isTerminal(x.state)) return null;
        return revision === ref.stable
          ? promoteExternal(x, svc, now, `${ref.trigger.kind}: ${revision} became the stable revision`)
          : machine.supersede(x, svc, now, current.id);
      });
    }
  }
}
