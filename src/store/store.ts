import type { HoldScope, LifecycleEvent, StoredEvent } from '../events/lifecycle-event.js';
import type { CheckResult, Decision } from '../analysis/verdict.js';
import type { Deploy, DeployDriver, DeployState, NewDeploy } from '../pipeline/deploy.js';
import type { DeployFact } from '../safety/deploy-fact.js';
import type { HistoricalDeploy } from '../safety/historical-deploy.js';
import type { Incident } from '../safety/incident.js';

/** Who is writing, and the fencing token that proves it still owns the service's work. */
export interface Fence {
  owner: string;
  token: number;
}

/** An event to append in the same transaction as a deploy write. */
export interface EventDraft {
  at: number;
  actor: string;
  event: LifecycleEvent;
}

export interface DeployFilter {
  service?: string;
  services?: string[];
  states?: DeployState[];
  /** Only deploys with this driver (the engine ticks `releasebot` deploys only). */
  driver?: DeployDriver;
  /** Only deploys created before this id's creation (paging, newest first). */
  before?: number;
  since?: number;
  limit?: number;
}

export interface DeployRepo {
  /** Creates a queued deploy. Idempotent on (service, idempotencyKey): a repeat returns the first, `created: false`. */
  create(
    input: NewDeploy,
    at: number,
    id: string,
    events?: EventDraft[],
  ): Promise<{ deploy: Deploy; created: boolean; events: StoredEvent[] }>;
  get(id: string): Promise<Deploy | null>;
  /** The deploy created with this idempotency key for the service, if any. */
  byKey(service: string, idempotencyKey: string): Promise<Deploy | null>;
  /** Newest first. */
  list(filter?: DeployFilter): Promise<Deploy[]>;
  /**
   * The same as list, reading only the id and revision of each row first: a deploy whose revision matches one in
   * `known` is that object (deploys are never modified in place), the others are read whole. For a caller that lists
   * the same deploys again and again (the scheduler, every round), where most have not changed.
   */
  listKnown(filter: DeployFilter, known: ReadonlyMap<string, Deploy>): Promise<Deploy[]>;
  /**
   * Compare-and-set: writes `next` (its revision must be `prev.revision`) and appends `events`, in one transaction;
   * with a fence, only while that owner still holds the service's lease with that token. Returns the stored
   * deploy (revision + 1) with the stored events, or null when someone else wrote first or the lease was lost.
   */
  update(
    next: Deploy,
    events: EventDraft[],
    fence?: Fence,
  ): Promise<{ deploy: Deploy; events: StoredEvent[] } | null>;
  /** Services with queued or active deploys that releasebot drives (the work to spread across replicas). */
  servicesWithWork(): Promise<string[]>;
  /** The last promoted version of a service, for `previousVersion`. */
  lastPromotedVersion(service: string): Promise<string | null>;
  /** The last promoted version of every service that has one, in one query. */
  lastPromotedVersions(): Promise<Map<string, string>>;
}

export interface EventRepo {
  append(
    events: Array<EventDraft & { deployId?: string | null; service?: string | null }>,
  ): Promise<StoredEvent[]>;
  /** Events with seq > afterSeq, oldest first. */
  after(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  forDeploy(deployId: string): Promise<StoredEvent[]>;
  latestSeq(): Promise<number>;
}

export interface EvaluationRecord {
  deployId: string;
  at: number;
  stageIndex: number;
  results: CheckResult[];
  decision: Decision;
}

/** Results in their stored form (EvaluationRepo.encode): what a round holds until its write. */
export interface EncodedResults {
  readonly encoded: string;
}

/** An evaluation to store; its results may already be encoded. */
export interface EvaluationDraft extends Omit<EvaluationRecord, 'results'> {
  results: CheckResult[] | EncodedResults;
}

export interface EvaluationRepo {
  /** Many at once: one round of the scheduler writes every deploy's evaluation together. */
  insert(records: EvaluationDraft[]): Promise<void>;
  /** Results in stored form, for a caller that holds many until it inserts them. */
  encode(results: readonly CheckResult[]): EncodedResults;
  forDeploy(deployId: string, opts?: { limit?: number }): Promise<EvaluationRecord[]>;
}

export interface Hold {
  id: string;
  scope: HoldScope;
  /** Service or team name; null for `all`. */
  target: string | null;
  reason: string;
  actor: string;
  createdAt: number;
  releasedAt: number | null;
  releasedBy: string | null;
}

export interface HoldRepo {
  create(hold: Omit<Hold, 'releasedAt' | 'releasedBy'>): Promise<Hold>;
  release(id: string, actor: string, at: number): Promise<Hold | null>;
  active(): Promise<Hold[]>;
  get(id: string): Promise<Hold | null>;
}

export interface LeaseRepo {
  /** Registers or refreshes a replica's heartbeat; returns how many replicas are alive. */
  heartbeat(owner: string, ttlMs: number): Promise<number>;
  /** Takes the service's lease if free, expired or already ours. Returns the fencing token, or null. */
  acquire(service: string, owner: string, ttlMs: number): Promise<number | null>;
  /** Extends a lease we still hold; false when it was lost. */
  renew(service: string, owner: string, token: number, ttlMs: number): Promise<boolean>;
  release(service: string, owner: string, token: number): Promise<void>;
  /** Services whose lease this owner holds. */
  owned(owner: string): Promise<Array<{ service: string; token: number }>>;
  /** Drops a replica's registration (graceful shutdown). */
  leave(owner: string): Promise<void>;
}

export type Scope = 'read' | 'deploy' | 'admin';

export interface ApiToken {
  id: string;
  name: string;
  scopes: Scope[];
  /** Limits to these services / teams; empty = all. */
  services: string[];
  teams: string[];
  createdAt: number;
  revokedAt: number | null;
}

export interface TokenRepo {
  /** Stores only `hash` (SHA-256 of the secret). */
  create(token: ApiToken, hash: string): Promise<void>;
  findByHash(hash: string): Promise<ApiToken | null>;
  list(): Promise<ApiToken[]>;
  revoke(id: string, at: number): Promise<boolean>;
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditRepo {
  record(entry: AuditEntry): Promise<void>;
  list(opts?: { target?: string; limit?: number }): Promise<AuditEntry[]>;
}

/** A notification waiting for delivery; `dedupKey` makes enqueueing the same message twice a no-op. */
export interface OutboxItem {
  id: number;
  notifier: string;
  dedupKey: string;
  deployId: string | null;
  payload: unknown;
  attempts: number;
  availableAt: number;
  lastError: string | null;
  deliveredAt: number | null;
  failedAt: number | null;
}

export interface OutboxRepo {
  enqueue(
    items: Array<{
      notifier: string;
      dedupKey: string;
      deployId?: string | null;
      payload: unknown;
      availableAt: number;
    }>,
  ): Promise<number>;
  /** Claims up to `limit` due items for `leaseMs` (skipping those claimed by others). */
  claim(owner: string, now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  delivered(id: number, at: number): Promise<void>;
  /** Records a failed attempt; `retryAt` null gives up for good. */
  failed(id: number, error: string, retryAt: number | null, at: number): Promise<void>;
  stats(): Promise<{ pending: number; failed: number; delivered: number }>;
  forDeploy(deployId: string): Promise<OutboxItem[]>;
}

/** Small named values: event-log cursors, Slack message ids per deploy. */
export interface KvRepo {
  get<T = unknown>(ns: string, key: string): Promise<T | null>;
  set(ns: string, key: string, value: unknown): Promise<void>;
  /** Sets only if absent or equal to `expected`; returns whether it was written. */
  compareAndSet(ns: string, key: string, expected: unknown, value: unknown): Promise<boolean>;
}

export interface IncidentFilter {
  /** Incidents whose impact overlaps [from, to) (ongoing ones reach forever). */
  from?: number;
  to?: number;
  /** Affecting any of these services. */
  services?: string[];
  /** Linked to any of these deploys. */
  deployIds?: string[];
  /** true: not ended; false: ended. */
  open?: boolean;
  limit?: number;
}

export interface IncidentRepo {
  /** Inserts an incident with its deploy links. */
  create(incident: Incident): Promise<Incident>;
  get(id: string): Promise<Incident | null>;
  /** Compare-and-set on `revision` (must be the stored one); returns it with revision + 1, or null when changed. */
  update(next: Incident): Promise<Incident | null>;
  /** Newest impact first. */
  list(filter?: IncidentFilter): Promise<Incident[]>;
  /**
   * Records the incident of a deploy's automatic rollback, at most once per deploy even with racing replicas: inserts
   * `draft` unless an incident already links the deploy; when the rollback's own incident exists, only fills in a
   * mitigation (and the exposure measured up to it) not set before. `created` tells whether it was inserted.
   */
  recordRollback(deployId: string, draft: Incident): Promise<{ incident: Incident; created: boolean }>;
  /** Writes imported deploys (with their history facts) and incidents in one transaction: all or nothing. */
  importHistory(batch: {
    deploys: HistoricalDeploy[];
    incidents: Incident[];
    at: number;
    actor: string;
  }): Promise<void>;
  /** Which of these deploy ids exist. */
  existingDeploys(ids: string[]): Promise<Array<{ id: string; service: string }>>;
  /** Facts of the deploys started in [from, to), for the reports. */
  deployFacts(from: number, to: number): Promise<DeployFact[]>;
}

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly deploys: DeployRepo;
  readonly events: EventRepo;
  readonly evaluations: EvaluationRepo;
  readonly holds: HoldRepo;
  readonly leases: LeaseRepo;
  readonly tokens: TokenRepo;
  readonly audit: AuditRepo;
  readonly outbox: OutboxRepo;
  readonly kv: KvRepo;
  readonly incidents: IncidentRepo;
  close(): Promise<void>;
}
