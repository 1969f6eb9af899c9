import { startEventConsumerLoop } from '../events/event-consumer-loop.js';
import type { EventBus } from '../events/event-bus.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import type { Logger } from '../logging/logger.js';
import { newId } from '../pipeline/new-id.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { Incident, Severity } from './incident.js';
import { rollbackTimes } from './rollback-times.js';

/** Where the consumer has read the event log up to: `store.kv` namespace `safety`, key `cursor`, value a seq. */
export const SAFETY_CURSOR_NS = 'safety';
export const SAFETY_CURSOR_KEY = 'cursor';

export interface SafetyConsumerDeps {
  store: Pick<Store, 'events' | 'evaluations' | 'kv' | 'incidents' | 'deploys'>;
  clock: Clock;
  logger: Logger;
  /** Severity of the incidents opened for automatic rollbacks (people can change it); default `high`. */
  severity?: Severity;
  /** Events read per round; default 200. */
  batchSize?: number;
}

export interface SafetyConsumer {
  /** Stops polling and waits for the round in flight. */
  stop(): Promise<void>;
  /** Runs a round now (after the one in flight); resolves with how many incidents it opened. */
  drainOnce(): Promise<number>;
}

const ACTOR = 'releasebot';

/** The events that open or complete a rollback incident. */
function concerns(e: StoredEvent): boolean {
  return (
    (e.event.type === 'deploy:rolling_back' && e.event.automatic) || e.event.type === 'deploy:rolled_back'
  );
}

/** Opens (or completes) the incident of the deploy that event `e` rolled back; true when it opened one. */
async function handle(deps: SafetyConsumerDeps, e: StoredEvent): Promise<boolean> {
  const { store, clock, logger } = deps;
  const deploy = e.deployId ? await store.deploys.get(e.deployId) : null;
  if (!deploy) return false;
  const [events, evaluations] = await Promise.all([
    store.events.forDeploy(deploy.id),
    store.evaluations.forDeploy(deploy.id),
  ]);
  const t = rollbackTimes(events, evaluations, e.seq);
  if (!t) return false;
  const now = clock.now();
  const culprits = t.culprits.length ? ` (${t.culprits.join(', ')})` : '';
  const draft: Incident = {
    id: newId('i', now),
    title: `${deploy.service} ${deploy.version} rolled back automatically${culprits}`,
    severity: deps.severity ?? 'high',
    selected: false,
    impactStart: t.impactStart,
    detectedAt: t.detectedAt,
    mitigatedAt: t.mitigatedAt,
    endedAt: null,
    services: [deploy.service],
    deployIds: [deploy.id],
    exposurePct: t.exposurePct,
    remediation: 'automatic',
    source: 'automatic',
    note: `Opened by releasebot when it rolled the deploy back: ${t.reason}`,
    createdBy: ACTOR,
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
  const { incident, created } = await store.incidents.recordRollback(deploy.id, draft);
  if (created)
    logger.info(
      { service: deploy.service, deployId: deploy.id, incident: incident.id },
      'incident opened for automatic rollback',
    );
  return created;
}

/**
 * One round: reads the event log past the shared cursor, opens an incident for each automatic rollback (and fills
 * in its mitigation when the rollback finishes), then moves the cursor with compare-and-set. Replicas may handle the
 * same events; `recordRollback` keeps one incident per deploy, and only one replica moves the cursor. A failure stops
 * the round before the event that failed, so it is retried on the next round. Returns how many incidents it opened.
 */
export async function drainSafetyEvents(deps: SafetyConsumerDeps): Promise<number> {
  const { store, logger } = deps;
  const batchSize = deps.batchSize ?? 200;
  let opened = 0;
  // Bounded so one round cannot run forever behind a busy log; the next round carries on.
  for (let round = 0; round < 50; round++) {
    const cursor = await store.kv.get<number>(SAFETY_CURSOR_NS, SAFETY_CURSOR_KEY);
    const events = await store.events.after(cursor ?? 0, batchSize);
    if (!events.length) break;
    for (const e of events) if (concerns(e) && (await handle(deps, e))) opened++;
    const last = events[events.length - 1].seq;
    const moved = await store.kv.compareAndSet(SAFETY_CURSOR_NS, SAFETY_CURSOR_KEY, cursor, last);
    if (!moved) logger.debug({ cursor, last }, 'another replica moved the safety cursor; re-reading');
    if (events.length < batchSize && moved) break;
  }
  return opened;
}

/**
 * Runs the consumer in the background: a round every `pollMs` (real time, default 1 s) and soon after the engine
 * publishes on `bus`. Rounds never overlap within a process; store errors are logged and retried on the next poll.
 */
export function startSafetyConsumer(
  deps: SafetyConsumerDeps & { bus?: EventBus; pollMs?: number },
): SafetyConsumer {
  const loop = startEventConsumerLoop({
    name: 'safety consumer',
    round: () => drainSafetyEvents(deps),
    logger: deps.logger,
    wakeOn: concerns,
    ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
    ...(deps.bus ? { bus: deps.bus } : {}),
  });
  return { stop: loop.stop, drainOnce: loop.runOnce };
}
