import type { ResolvedConfig } from '../config/resolved-config.js';
import type { EventBus } from '../events/event-bus.js';
import type { Analyzer } from '../pipeline/analyzer.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { type RecordedEvent, ExternalEvents, type ExternalOutcome } from './external-events.js';
import { ExternalDeploys } from './external-deploys.js';
import { ExternalJudge } from './external-judge.js';
import { type ExternalKey, externalKey, revisionOf } from './external-key.js';
import type { JudgeResult } from './external-verdict.js';
import { type FlaggerPayload, flaggerAnalysing, flaggerOutcome, flaggerWeight } from './flagger-payload.js';

export interface IntegrationDeps {
  config: ResolvedConfig;
  store: Store;
  clock: Clock;
  /** The same kind of Analyzer the engine uses (an AnalysisRunner over the configured sources). */
  analyzer: Analyzer;
  bus?: EventBus;
}

/** Argo Rollouts' web-metric request, from the AnalysisTemplate's URL. */
export interface ArgoVerdictQuery {
  /** releasebot service; default the rollout's name. */
  service?: string;
  rollout: string;
  namespace: string;
  /** The canary's pod template hash (`podTemplateHashValue: Latest`). */
  revision: string;
  /** Canary traffic percent of the step. */
  weight?: number;
  version?: string;
  /** The stable pod template hash (`podTemplateHashValue: Stable`). */
  stable?: string;
}

/** Flagger's gating webhooks releasebot answers. */
export type FlaggerGate = 'confirm-traffic-increase' | 'confirm-promotion' | 'rollback';

/** A gate's answer: Flagger proceeds (confirm-*) or rolls back (rollback) on 200 only. */
export interface GateAnswer {
  status: 200 | 409;
  result: JudgeResult;
}

/** The releasebot service an Argo request is about: `service=`, else the rollout's name. */
export function argoServiceName(q: Pick<ArgoVerdictQuery, 'service' | 'rollout'>): string {
  return q.service ?? q.rollout;
}

/** The releasebot service a Flagger webhook is about: the webhook's `metadata.service`, else the canary's name. */
export function flaggerServiceName(p: Pick<FlaggerPayload, 'metadata' | 'name'>): string {
  return p.metadata?.service ?? p.name;
}

/**
 * What the integration routes call: Argo Rollouts' web metric, Flagger's gates and events, each turned into a
 * call of the external judge or the event recorder with the deploy's key.
 */
export class IntegrationService {
  private readonly deploys: ExternalDeploys;
  private readonly judge: ExternalJudge;
  private readonly events: ExternalEvents;

  constructor(private readonly deps: IntegrationDeps) {
    this.deploys = new ExternalDeploys(deps);
    this.judge = new ExternalJudge(this.deploys, deps.analyzer, deps);
    this.events = new ExternalEvents(this.deploys, deps.clock);
  }

  argoVerdict(q: ArgoVerdictQuery, actor: string): Promise<JudgeResult> {
    return this.judge.judge({
      service: argoServiceName(q),
      key: externalKey('argo', q.namespace, q.rollout, q.revision),
      ...(q.version ? { version: q.version } : {}),
      ...(q.weight !== undefined ? { weight: q.weight } : {}),
      ...(q.stable ? { stable: q.stable } : {}),
      trigger: { kind: 'argo', actor },
    });
  }

  /** `confirm-*`: 200 only on `pass`. `rollback`: 200 only on `fail`. Anything else holds (409). */
  async flaggerGate(gate: FlaggerGate, p: FlaggerPayload, actor: string): Promise<GateAnswer> {
    const service = flaggerServiceName(p);
    const key = await this.flaggerKey(p, service);
    const weight = flaggerWeight(p);
    const result = await this.judge.judge({
      service,
      key,
      ...(weight !== undefined ? { weight } : {}),
      trigger: { kind: 'flagger', actor },
      // Before the analysis (Waiting) there is no rollout to judge yet: answer from what exists.
      create: flaggerAnalysing(p.phase),
    });
    const yes = gate === 'rollback' ? result.verdict === 'fail' : result.verdict === 'pass';
    return { status: yes ? 200 : 409, result };
  }

  async flaggerEvent(
    p: FlaggerPayload,
    actor: string,
  ): Promise<RecordedEvent & { outcome: ExternalOutcome | null }> {
    const outcome = flaggerOutcome(p.phase);
    if (!outcome) return { outcome, recorded: false, deployId: null, state: null };
    const service = flaggerServiceName(p);
    const key = await this.flaggerKey(p, service);
    const weight = flaggerWeight(p);
    const message = p.metadata?.eventMessage ?? `Flagger: ${p.name}.${p.namespace} ${p.phase}`;
    const recorded = await this.events.record(
      { service, key, ...(weight !== undefined ? { weight } : {}), trigger: { kind: 'flagger', actor } },
      outcome,
      message,
    );
    return { outcome, ...recorded };
  }

  /**
   * The key of a Flagger canary's revision: its checksum. Flagger versions without checksums get the open deploy of
   * the canary, or a new revision named for the time it was first seen.
   */
  private async flaggerKey(p: FlaggerPayload, service: string): Promise<ExternalKey> {
    if (p.checksum) return externalKey('flagger', p.namespace, p.name, p.checksum);
    const { workload } = externalKey('flagger', p.namespace, p.name, '');
    const open = await this.deploys.openOf(this.deploys.service(service), workload);
    const revision = open ? revisionOf(open.idempotencyKey, workload) : null;
    return externalKey('flagger', p.namespace, p.name, revision ?? `seen-${this.deps.clock.now()}`);
  }
}
