import type { ResolvedConfig, ResolvedService } from '../config/resolved-config.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { HoldScope, StoredEvent } from '../events/lifecycle-event.js';
import type { Clock } from '../time/clock.js';
import type { EvaluationRecord, Hold, Store } from '../store/store.js';
import type { Change, Deploy, DeployState, Trigger } from './deploy.js';
import { ACTIVE_STATES } from './deploy.js';
import type { Transition } from './deploy-machine.js';
import * as machine from './deploy-machine.js';
import { deployRef } from './deploy-ref.js';
import { findService } from '../config/find-service.js';
import { holdFor } from './hold-match.js';
import { newId } from './new-id.js';

export interface DeployServiceDeps {
  store: Store;
  config: ResolvedConfig;
  clock: Clock;
  bus?: EventBus;
  /** Asks the scheduler to tick a service soon (a user action should not wait a whole round). */
  nudge?: (service: string) => void;
}

export interface CreateDeployRequest {
  service: string;
  version: string;
  previousVersion?: string | null;
  changes?: Change[];
  trigger: Trigger;
  /** Repeating a request with the same key returns the first deploy instead of creating another. */
  idempotencyKey?: string | null;
  /** Use this id (replays); generated otherwise. */
  id?: string;
}

export interface DeployListFilter {
  service?: string;
  team?: string;
  states?: DeployState[];
  limit?: number;
  before?: number;
  since?: number;
}

export interface DeployDetails {
  deploy: Deploy;
  events: StoredEvent[];
  evaluations: EvaluationRecord[];
}

export interface ServiceSummary {
  name: string;
  team: string | null;
  queue: 'fifo' | 'latest';
  stages: Array<{ name: string; traffic: number; bakeMs: number }>;
  checks: string[];
  currentVersion: string | null;
  active: Deploy | null;
  queued: number;
  hold: Hold | null;
}

export type DeployOperation = 'pause' | 'resume' | 'rollback' | 'abort' | 'promote' | 'advance';

const MAX_CAS_RETRIES = 8;

/**
 * The operations people and other systems perform, shared by the CLI, the HTTP API and Slack. Each operation is
 * a compare-and-set transition recorded with its actor and audited; the engine carries out any deployer action.
 */
export class DeployService {
  constructor(private readonly deps: DeployServiceDeps) {}

  get config(): ResolvedConfig {
    return this.deps.config;
  }

  service(name: string): ResolvedService {
    return findService(this.deps.config, name);
  }

  async createDeploy(req: CreateDeployRequest): Promise<{ deploy: Deploy; created: boolean }> {
    const svc = this.service(req.service);
    const now = this.deps.clock.now();
    const id = req.id ?? newId('d', now);
    const draft: Deploy = {
      id,
      service: svc.name,
      version: req.version,
      previousVersion: req.previousVersion ?? null,
      changes: req.changes ?? [],
      trigger: req.trigger,
      driver: 'releasebot',
      externalTraffic: null,
      state: 'queued',
      stageIndex: -1,
      stageStartedAt: null,
      bakeDoneMs: 0,
      createdAt: now,
      startedAt: null,
      endedAt: null,
      reason: null,
      pauseKind: null,
      idempotencyKey: req.idempotencyKey ?? null,
      supersedes: [],
      pending: null,
      attempt: 0,
      lastEvaluatedAt: null,
      revision: 0,
    };
    const { deploy, created, events } = await this.deps.store.deploys.create(
      {
        service: svc.name,
        version: req.version,
        previousVersion: req.previousVersion ?? null,
        changes: req.changes ?? [],
        trigger: req.trigger,
        idempotencyKey: req.idempotencyKey ?? null,
      },
      now,
      id,
      [
        {
          at: now,
          actor: req.trigger.actor,
          event: { type: 'deploy:queued', deploy: deployRef(draft, svc) },
        },
      ],
    );
    if (
      !created &&
      (deploy.version !== req.version ||
        (req.previousVersion && deploy.previousVersion !== req.previousVersion))
    ) {
      throw new ReleasebotError(
        'DEPLOY_DUPLICATE',
        `idempotency key "${req.idempotencyKey}" was used for ${deploy.service} ${deploy.version} (deploy ${deploy.id})`,
      );
    }
    if (created) {
      await this.deps.store.audit.record({
        at: now,
        actor: req.trigger.actor,
        action: 'deploy.create',
        target: deploy.id,
        details: { service: svc.name, version: req.version, trigger: req.trigger.kind },
      });
      this.deps.bus?.publish(events);
      this.deps.nudge?.(svc.name);
    }
    return { deploy, created };
  }

  async getDeploy(id: string): Promise<Deploy> {
    const d = await this.deps.store.deploys.get(id);
    if (!d) throw new ReleasebotError('DEPLOY_UNKNOWN', `no deploy with id "${id}"`);
    return d;
  }

  async details(id: string): Promise<DeployDetails> {
    const deploy = await this.getDeploy(id);
    const [events, evaluations] = await Promise.all([
      this.deps.store.events.forDeploy(id),
      this.deps.store.evaluations.forDeploy(id),
    ]);
    return { deploy, events, evaluations };
  }

  async listDeploys(filter: DeployListFilter = {}): Promise<Deploy[]> {
    if (filter.service) this.service(filter.service);
    let services: string[] | undefined;
    if (filter.team) {
      services = Object.values(this.deps.config.services)
        .filter((s) => s.team === filter.team)
        .map((s) => s.name);
      if (!services.length) return [];
    }
    return this.deps.store.deploys.list({
      ...(filter.service ? { service: filter.service } : {}),
      ...(services ? { services } : {}),
      ...(filter.states ? { states: filter.states } : {}),
      ...(filter.before !== undefined ? { before: filter.before } : {}),
      ...(filter.since !== undefined ? { since: filter.since } : {}),
      limit: filter.limit ?? 50,
    });
  }

  /** The deploy that `target` names: a deploy id, or a service's active (else newest queued) deploy. */
  async resolveTarget(target: string): Promise<Deploy> {
    if (Object.hasOwn(this.deps.config.services, target)) {
      const [active] = await this.deps.store.deploys.list({
        service: target,
        states: [...ACTIVE_STATES],
        limit: 1,
      });
      if (active) return active;
      const [queued] = await this.deps.store.deploys.list({ service: target, states: ['queued'], limit: 1 });
      if (queued) return queued;
      throw new ReleasebotError(
        'DEPLOY_UNKNOWN',
        `service "${target}" has no running, paused or queued deploy`,
      );
    }
    return this.getDeploy(target);
  }

  /** pause / resume / rollback / abort / promote, by deploy id; audited with the actor. */
  async operate(op: DeployOperation, id: string, actor: string, reason?: string): Promise<Deploy> {
    const now = this.deps.clock.now();
    const why = reason?.trim() || `${op} requested by ${actor}`;
    let deploy: Deploy | undefined;
    for (let attempt = 0; attempt < MAX_CAS_RETRIES && !deploy; attempt++) {
      const d = await this.getDeploy(id);
      const svc = this.service(d.service);
      const t = this.transitionFor(op, d, svc, now, why);
      if (t.next === d) return d; // already in the asked state: idempotent
      const stored = await this.deps.store.deploys.update(
        t.next,
        t.events.map((event) => ({ at: now, actor, event })),
      );
      if (stored) {
        deploy = stored.deploy;
        this.deps.bus?.publish(stored.events);
      }
    }
    if (!deploy)
      throw new ReleasebotError('DEPLOY_CONFLICT', `deploy ${id} kept changing; ${op} not applied`);
    await this.deps.store.audit.record({
      at: now,
      actor,
      action: `deploy.${op}`,
      target: id,
      details: { reason: why },
    });
    this.deps.nudge?.(deploy.service);
    return deploy;
  }

  private transitionFor(
    op: DeployOperation,
    d: Deploy,
    svc: ResolvedService,
    now: number,
    why: string,
  ): Transition {
    switch (op) {
      case 'pause':
        if (d.state === 'queued')
          throw new ReleasebotError(
            'DEPLOY_STATE',
            `deploy ${d.id} has not started; hold the service instead`,
          );
        return machine.pause(d, svc, now, 'manual', why);
      case 'resume':
        return machine.resume(d, svc, now, why, false);
      case 'rollback':
        return machine.requestRollback(d, svc, now, why, false);
      case 'abort':
        return machine.abort(d, svc, now, why);
      case 'promote':
        return machine.promoteNow(d, svc);
      case 'advance':
        return machine.advanceNow(d, svc);
    }
  }

  async setHold(req: {
    scope: HoldScope;
    target?: string | null;
    reason: string;
    actor: string;
  }): Promise<Hold> {
    const target = req.scope === 'all' ? null : (req.target ?? null);
    if (req.scope === 'service') this.service(target ?? '');
    if (req.scope === 'team' && !Object.values(this.deps.config.services).some((s) => s.team === target)) {
      throw new ReleasebotError('REQUEST_INVALID', `no service belongs to team "${target}"`);
    }
    if (!req.reason.trim()) throw new ReleasebotError('REQUEST_INVALID', 'a hold needs a reason');
    const now = this.deps.clock.now();
    const hold = await this.deps.store.holds.create({
      id: newId('h', now),
      scope: req.scope,
      target,
      reason: req.reason.trim(),
      actor: req.actor,
      createdAt: now,
    });
    const events = await this.deps.store.events.append([
      {
        at: now,
        actor: req.actor,
        event: { type: 'hold:set', hold: { id: hold.id, scope: hold.scope, target, reason: hold.reason } },
      },
    ]);
    this.deps.bus?.publish(events);
    await this.deps.store.audit.record({
      at: now,
      actor: req.actor,
      action: 'hold.set',
      target: hold.id,
      details: { scope: req.scope, target, reason: hold.reason },
    });
    return hold;
  }

  async releaseHold(id: string, actor: string): Promise<Hold> {
    const now = this.deps.clock.now();
    const hold = await this.deps.store.holds.release(id, actor, now);
    if (!hold) {
      const existing = await this.deps.store.holds.get(id);
      if (!existing) throw new ReleasebotError('HOLD_UNKNOWN', `no hold with id "${id}"`);
      return existing; // already released
    }
    const events = await this.deps.store.events.append([
      {
        at: now,
        actor,
        event: {
          type: 'hold:released',
          hold: { id, scope: hold.scope, target: hold.target, reason: hold.reason },
        },
      },
    ]);
    this.deps.bus?.publish(events);
    await this.deps.store.audit.record({ at: now, actor, action: 'hold.release', target: id, details: {} });
    for (const s of Object.values(this.deps.config.services)) this.deps.nudge?.(s.name);
    return hold;
  }

  listHolds(): Promise<Hold[]> {
    return this.deps.store.holds.active();
  }

  async listServices(): Promise<ServiceSummary[]> {
    const [holds, open, versions] = await Promise.all([
      this.deps.store.holds.active(),
      this.deps.store.deploys.list({ states: ['queued', ...ACTIVE_STATES], limit: 10_000 }),
      this.deps.store.deploys.lastPromotedVersions(),
    ]);
    return Object.values(this.deps.config.services).map((svc) => {
      const mine = open.filter((d) => d.service === svc.name);
      return {
        name: svc.name,
        team: svc.team ?? null,
        queue: svc.queue,
        stages: svc.stages.map((s) => ({ name: s.name, traffic: s.traffic, bakeMs: s.bakeMs })),
        checks: svc.checks.map((c) => c.name),
        currentVersion: versions.get(svc.name) ?? null,
        active: mine.find((d) => d.state !== 'queued') ?? null,
        queued: mine.filter((d) => d.state === 'queued').length,
        hold: holdFor(holds, svc) ?? null,
      };
    });
  }
}
