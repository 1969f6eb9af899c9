import type { ExposureStep } from '../analysis/check-data.js';
import type { CheckResult, Decision, DecisionAction } from '../analysis/verdict.js';
import type { GateConfig } from '../config/schema.js';
import type { ResolvedConfig, ResolvedService } from '../config/resolved-config.js';
import type { Deployer, DeployerResult } from '../deployers/deployer.js';
import type { EventBus } from '../events/event-bus.js';
import type { LifecycleEvent } from '../events/lifecycle-event.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../time/clock.js';
import type { DeployFilter, EncodedResults, Fence, Hold, Store } from '../store/store.js';
import type { Analyzer } from './analyzer.js';
import type { Deploy } from './deploy.js';
import { ACTIVE_STATES, isTerminal } from './deploy.js';
import { deployRef } from './deploy-ref.js';
import * as machine from './deploy-machine.js';
import { inDeployWindow } from './deploy-window.js';
import { describeHold, holdFor } from './hold-match.js';
import { scrubDeployerOutput } from './scrub-deployer-output.js';

export type GateRunner = (
  gate: GateConfig,
  vars: Record<string, string>,
) => Promise<{ ok: boolean; output: string; durationMs: number }>;

export interface EngineDeps {
  store: Store;
  config: ResolvedConfig;
  clock: Clock;
  logger: Logger;
  deployerFor: (service: ResolvedService) => Deployer;
  runGate: GateRunner;
  analyzer: Analyzer;
  bus?: EventBus;
  /** Counters for /metrics; optional. */
  observe?: EngineObserver;
}

export interface EngineObserver {
  evaluation(service: string, decision: DecisionAction, durationMs: number): void;
  transition(service: string, type: string): void;
  deployerCall(service: string, action: string, ok: boolean): void;
}

/** What the engine remembers about a running deploy between ticks; rebuilt from the store after a takeover. */
interface DeployRuntime {
  exposure: ExposureStep[] | null;
  lastEvaluatedAt: number;
  lastDecision: DecisionAction | null;
  breaching: Set<string>;
}

export interface TickResult {
  changed: boolean;
  /** When the service next needs a tick (ms), null when it waits for people or has nothing to do. */
  nextDueAt: number | null;
}

/** Raised inside a tick when a write lost its compare-and-set or its lease: stop, re-read on the next tick. */
class StaleWrite extends Error {}

const ENGINE = 'releasebot';
const MAX_STEPS_PER_TICK = 64;
/** Deploys judged at once in a round when their metrics come from a remote source. */
const BATCH_CONCURRENCY = 64;

/**
 * Walks each service's deploys through their stages. A tick of a service does everything due at `clock.now()`:
 * starts the next queued deploy, runs a pending deployer action, evaluates checks, advances or finishes a stage.
 * Every transition is stored (with its events) before its side effect; a pending action carries an idempotency key
 * and is executed again after a crash, so no action is lost and deployers can drop repeats.
 */
export class DeployEngine {
  private readonly runtime = new Map<string, DeployRuntime>();
  private readonly serviceChains = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: EngineDeps) {}

  /**
   * Moves one service forward as far as now allows. Ticks of one service never overlap. Returns whether anything
   * changed and when the service is next due (see nextDueAt), from what the tick already read.
   */
  tickService(service: string, opts: { fence?: Fence; holds?: Hold[] } = {}): Promise<TickResult> {
    const prev = this.serviceChains.get(service) ?? Promise.resolve();
    const run = prev.then(() => this.runTick(service, opts));
    const settled = run.catch(() => undefined);
    this.serviceChains.set(service, settled);
    void settled.then(() => {
      if (this.serviceChains.get(service) === settled) this.serviceChains.delete(service);
    });
    return run;
  }

  /** Waits for ticks in flight (graceful shutdown: finish the transition in flight). */
  async idle(): Promise<void> {
    await Promise.all([...this.serviceChains.values()]);
  }

  /**
   * When the service next needs a tick, for simulated clocks: now for pending work, the next evaluation or bake end
   * for a running deploy, null when it waits for people (a paused deploy, an empty or held queue).
   */
  async nextDueAt(service: string): Promise<number | null> {
    const svc = this.deps.config.services[service];
    if (!svc) return null;
    const [active] = await this.ownDeploys({ service, states: [...ACTIVE_STATES], limit: 1 });
    const holds = await this.deps.store.holds.active();
    if (active) return this.dueAt(active, svc, holds);
    const queued = await this.ownDeploys({ service, states: ['queued'], limit: 1 });
    return queued.length ? this.queueDueAt(svc, holds) : null;
  }

  private queueDueAt(svc: ResolvedService, holds: Hold[]): number | null {
    const now = this.deps.clock.now();
    if (holdFor(holds, svc)) return null;
    return inDeployWindow(svc.deployWindows, now) ? now : now + svc.intervalMs;
  }

  /** When `d` is next due, judged at `now` (one reading of the clock per decision: it may move meanwhile). */
  private dueAt(d: Deploy, svc: ResolvedService, holds: Hold[], now = this.deps.clock.now()): number | null {
    if (d.pending && d.state !== 'paused') return now;
    const rt = this.runtimeOf(d);
    const nextEval = rt.lastEvaluatedAt + svc.intervalMs;
    if (d.state === 'running' && d.stageStartedAt !== null) {
      const bakeEnd = d.stageStartedAt + svc.stages[d.stageIndex].bakeMs;
      // Before the bake ends the final evaluation at its end is due too; after it, a deploy still here is
      // waiting for data (hold) and is next due at its next evaluation.
      return rt.lastEvaluatedAt < bakeEnd ? Math.min(nextEval, bakeEnd) : nextEval;
    }
    if (d.state === 'paused' && d.pauseKind === 'no_data') return nextEval;
    if (d.state === 'paused' && d.pauseKind === 'hold')
      return holdFor(holds, svc) ? null : now + svc.intervalMs;
    return null;
  }

  private async runTick(service: string, opts: { fence?: Fence; holds?: Hold[] }): Promise<TickResult> {
    const svc = this.deps.config.services[service];
    if (!svc) {
      this.deps.logger.warn(
        { service },
        'deploys exist for a service that is not in the configuration; skipping',
      );
      return { changed: false, nextDueAt: null };
    }
    const holds = opts.holds ?? (await this.deps.store.holds.active());
    let changed = false;
    let active: Deploy | undefined = (
      await this.ownDeploys({ service, states: [...ACTIVE_STATES], limit: 1 })
    )[0];
    try {
      for (let i = 0; i < MAX_STEPS_PER_TICK; i++) {
        const next: Deploy | null = active
          ? await this.step(active, svc, holds, opts.fence)
          : await this.startNext(svc, holds, opts.fence);
        if (!next) break;
        changed = true;
        active = isTerminal(next.state) ? undefined : next;
      }
    } catch (e) {
      if (e instanceof StaleWrite) return { changed, nextDueAt: this.deps.clock.now() };
      throw e;
    }
    if (active) return { changed, nextDueAt: this.dueAt(active, svc, holds) };
    // Nothing active: startNext found no queued deploy, or the queue is held or outside its windows.
    const queued = await this.ownDeploys({ service, states: ['queued'], limit: 1 });
    return { changed, nextDueAt: queued.length ? this.queueDueAt(svc, holds) : null };
  }

  /** Starts the next queued deploy when the service is free, not held and inside its deploy windows. */
  private async startNext(svc: ResolvedService, holds: Hold[], fence?: Fence): Promise<Deploy | null> {
    const now = this.deps.clock.now();
    if (holdFor(holds, svc) || !inDeployWindow(svc.deployWindows, now)) return null;
    const queued = await this.ownDeploys({ service: svc.name, states: ['queued'], limit: 1000 });
    if (!queued.length) return null;
    let next = queued[queued.length - 1]; // oldest first
    if (svc.queue === 'latest' && queued.length > 1) {
      // The train: the newest build goes next and carries the changes of every build it supersedes.
      next = queued[0];
      const older = queued.slice(1);
      const seen = new Set(next.changes.map((c) => c.id));
      const carried = older.flatMap((d) => d.changes).filter((c) => !seen.has(c.id) && seen.add(c.id));
      const supersedes = [...new Set([...next.supersedes, ...older.map((d) => d.id)])];
      next = await this.commit(
        svc,
        { next: { ...next, changes: [...next.changes, ...carried], supersedes }, events: [] },
        fence,
      );
      for (const d of older) await this.commit(svc, machine.supersede(d, svc, now, next.id), fence);
    }
    const previous = await this.deps.store.deploys.lastPromotedVersion(svc.name);
    return this.commit(svc, machine.startDeploy(next, svc, now, previous), fence);
  }

  /** One step of an active deploy; returns it as stored after a transition, or null when nothing was due. */
  private async step(d: Deploy, svc: ResolvedService, holds: Hold[], fence?: Fence): Promise<Deploy | null> {
    const now = this.deps.clock.now();
    if (d.state === 'rolling_back') return this.runPending(d, svc, fence);
    if (d.state === 'running' && d.pending) return this.runPending(d, svc, fence);
    if (d.state === 'running') return this.runStage(d, svc, holds, now, fence);
    // paused
    if (d.pauseKind === 'hold') {
      if (holdFor(holds, svc) || !inDeployWindow(svc.deployWindows, now)) return null;
      return this.commit(svc, machine.resume(d, svc, now, 'hold released', true), fence);
    }
    if (d.pauseKind === 'no_data' && d.stageStartedAt !== null) {
      const rt = this.runtimeOf(d);
      if (now < rt.lastEvaluatedAt + svc.intervalMs) return null;
      const { decision } = await this.evaluate(d, svc, now);
      if (decision.action === 'rollback') {
        return this.commit(
          svc,
          this.withBreaches(machine.requestRollback(d, svc, now, decision.reason, true), d, svc, decision),
          fence,
        );
      }
      if (decision.action === 'continue')
        return this.commit(svc, machine.resume(d, svc, now, 'metrics are back', true), fence);
    }
    return null;
  }

  /** A running deploy in a stage: evaluate when due, then advance when the bake is over. */
  private async runStage(
    d: Deploy,
    svc: ResolvedService,
    holds: Hold[],
    now: number,
    fence?: Fence,
  ): Promise<Deploy | null> {
    if (d.stageStartedAt === null) return null; // shift not done yet: it is pending (handled) or paused
    const bakeEnd = d.stageStartedAt + svc.stages[d.stageIndex].bakeMs;
    const rt = this.runtimeOf(d);
    let current = d;
    if (this.evaluationDue(d, svc, now)) {
      const { decision } = await this.evaluate(d, svc, now);
      const after = await this.applyDecision(d, svc, decision, now, fence);
      if (after && after.state !== 'running') return after;
      if (after) current = after;
    }
    if (now < bakeEnd || rt.lastDecision === 'hold') return current === d ? null : current;
    if (rt.lastDecision === null && svc.checks.length > 0) return current === d ? null : current;
    const hold = holdFor(holds, svc);
    if (hold || !inDeployWindow(svc.deployWindows, now)) {
      const reason = hold ? describeHold(hold) : 'outside the deploy windows';
      return this.commit(svc, machine.pause(current, svc, now, 'hold', reason), fence);
    }
    return this.commit(svc, machine.advance(current, svc), fence);
  }

  private evaluationDue(d: Deploy, svc: ResolvedService, now: number): boolean {
    if (d.stageStartedAt === null) return false;
    const bakeEnd = d.stageStartedAt + svc.stages[d.stageIndex].bakeMs;
    const rt = this.runtimeOf(d);
    return now >= rt.lastEvaluatedAt + svc.intervalMs || (now >= bakeEnd && rt.lastEvaluatedAt < bakeEnd);
  }

  /** Turns a running deploy's decision into its transition: rollback, pause, or alert events; null if none. */
  private async applyDecision(
    d: Deploy,
    svc: ResolvedService,
    decision: Decision,
    now: number,
    fence?: Fence,
  ): Promise<Deploy | null> {
    if (decision.action === 'rollback') {
      return this.commit(
        svc,
        this.withBreaches(machine.requestRollback(d, svc, now, decision.reason, true), d, svc, decision),
        fence,
      );
    }
    if (decision.action === 'pause') {
      const kind = decision.blind ? 'no_data' : 'check';
      return this.commit(
        svc,
        this.withBreaches(machine.pause(d, svc, now, kind, decision.reason), d, svc, decision),
        fence,
      );
    }
    const alerts = this.newAlerts(d, svc, decision);
    return alerts.length ? this.commit(svc, { next: d, events: alerts }, fence) : null;
  }

  /**
   * One scheduler round over many services. Deploys whose only due work is an evaluation are judged together: one
   * read of the active deploys, their evaluations concurrently, one write of all evaluation records. Deploys
   * with nothing due are left alone. Returns the services that need an individual tick (pending deployer actions,
   * stage ends, queued deploys, holds), which the caller runs with tickService.
   */
  async tickRound(
    claims: Array<{ service: string; fence?: Fence }>,
    holds: Hold[],
  ): Promise<Array<{ service: string; fence?: Fence }>> {
    const fences = new Map(claims.map((c) => [c.service, c.fence]));
    const names = claims
      .map((c) => c.service)
      .filter((s) => this.deps.config.services[s] && !this.serviceChains.has(s));
    if (!names.length) return [];
    // The same deploys every round, mostly unchanged: only those with a new revision are read whole.
    const active = await this.ownDeploys(
      { services: names, states: [...ACTIVE_STATES], limit: 100_000 },
      this.lastActive,
    );
    this.lastActive = new Map(active.map((d) => [d.id, d]));
    const now = this.deps.clock.now();
    const withActive = new Set(active.map((d) => d.service));
    const single = names.filter((s) => !withActive.has(s)); // queued work: startNext
    const batch: Deploy[] = [];
    for (const d of active) {
      const svc = this.deps.config.services[d.service];
      if (d.state === 'running' && !d.pending && d.stageStartedAt !== null) {
        const bakeEnd = d.stageStartedAt + svc.stages[d.stageIndex].bakeMs;
        if (now >= bakeEnd) single.push(d.service);
        else if (this.evaluationDue(d, svc, now)) batch.push(d);
      } else {
        const due = this.dueAt(d, svc, holds, now);
        if (due !== null && due <= now) single.push(d.service);
      }
    }
    if (batch.length) {
      const work = this.evaluateBatch(batch, now, fences);
      // Individual ticks of these services wait for the batch, as for any tick.
      const settled = work.catch(() => undefined);
      for (const d of batch) this.serviceChains.set(d.service, settled);
      try {
        await work;
      } finally {
        for (const d of batch)
          if (this.serviceChains.get(d.service) === settled) this.serviceChains.delete(d.service);
      }
    }
    return single.map((service) => ({
      service,
      ...(fences.get(service) ? { fence: fences.get(service) } : {}),
    }));
  }

  private async evaluateBatch(
    batch: Deploy[],
    now: number,
    fences: Map<string, Fence | undefined>,
  ): Promise<void> {
    const outcomes = new Array<{
      results: EncodedResults;
      decision: Decision;
      kept: CheckResult[] | undefined;
    } | null>(batch.length);
    // Bounded concurrency: a remote source (Prometheus) must not receive thousands of queries at once. Deploys
    // judged from memory go one at a time: interleaved, each would hold its windows and results across the others'
    // work, and the young generation's collections would copy them all (most of a round's cost, measured).
    const remote: number[] = [];
    const local: number[] = [];
    const analyzer = this.deps.analyzer;
    batch.forEach((d, i) =>
      (analyzer.inMemory?.(this.deps.config.services[d.service]) ? local : remote).push(i),
    );
    const pool = (indexes: number[], width: number) => {
      let next = 0;
      const worker = async () => {
        for (let k = next++; k < indexes.length; k = next++)
          outcomes[indexes[k]] = await judgeOne(indexes[k]);
      };
      return Promise.all(Array.from({ length: Math.min(width, indexes.length) }, worker));
    };
    const judgeOne = async (i: number) => {
      const d = batch[i];
      try {
        const o = await this.judge(d, this.deps.config.services[d.service], now);
        // Held until the round's write in stored form: thousands of result objects held that long would all
        // survive young-generation collections, and copying them is most of what the collector costs.
        return {
          results: this.deps.store.evaluations.encode(o.results),
          decision: o.decision,
          kept: resultsNeeded(o.decision) ? o.results : undefined,
        };
      } catch (e) {
        this.deps.logger.error(
          { service: d.service, deployId: d.id, err: (e as Error).message },
          'evaluation failed',
        );
        return null;
      }
    };
    await Promise.all([pool(remote, BATCH_CONCURRENCY), pool(local, 1)]);
    const records = batch.flatMap((d, i) => {
      const o = outcomes[i];
      return o
        ? [{ deployId: d.id, at: now, stageIndex: d.stageIndex, results: o.results, decision: o.decision }]
        : [];
    });
    await this.deps.store.evaluations.insert(records);
    for (let i = 0; i < batch.length; i++) {
      const o = outcomes[i];
      if (!o) continue;
      const d = batch[i];
      this.remember(d, now, { results: o.kept ?? [], decision: o.decision });
      if (o.decision.action === 'continue' || o.decision.action === 'hold') {
        if (!o.decision.alerts.length) continue;
      }
      try {
        await this.applyDecision(
          d,
          this.deps.config.services[d.service],
          o.decision,
          now,
          fences.get(d.service),
        );
      } catch (e) {
        if (!(e instanceof StaleWrite)) throw e;
      }
    }
  }

  /** Executes the stored pending action, then stores its outcome. */
  private async runPending(d: Deploy, svc: ResolvedService, fence?: Fence): Promise<Deploy | null> {
    const p = d.pending;
    if (!p) return null;
    const deployer = this.deps.deployerFor(svc);
    const stageIndex = p.kind === 'shift' || p.kind === 'gate' ? p.stageIndex : d.stageIndex;
    const stage = svc.stages[stageIndex] ?? null;
    const traffic = p.kind === 'shift' ? p.traffic : p.kind === 'rollback' ? 0 : 100;
    const call = {
      service: svc,
      deploy: d,
      stage,
      traffic,
      idempotencyKey: p.key,
      fence: fence?.token ?? 0,
    };
    const log = this.deps.logger.child({ service: svc.name, deployId: d.id, action: p.kind, key: p.key });
    let result: DeployerResult;
    if (p.kind === 'gate') {
      result = await this.deps.runGate(stage!.gate!, {
        service: svc.name,
        version: d.version,
        previousVersion: d.previousVersion ?? '',
        traffic: String(stage!.traffic),
        stage: stage!.name,
        deployId: d.id,
        idempotencyKey: p.key,
      });
    } else if (p.kind === 'shift') {
      result = await deployer.shift(call);
    } else if (p.kind === 'rollback') {
      result = await deployer.rollback(call);
    } else {
      result = await deployer.promote(call);
    }
    // The output is stored and shown (API, dashboard, Slack): a receiver that echoes its request must not leak.
    result = { ...result, output: scrubDeployerOutput(result.output, svc.deployer) };
    this.deps.observe?.deployerCall(svc.name, p.kind, result.ok);
    log[result.ok ? 'info' : 'warn'](
      { ok: result.ok, durationMs: result.durationMs, timedOut: result.timedOut },
      `${p.kind} ${result.ok ? 'done' : 'failed'}`,
    );
    const now = this.deps.clock.now();
    let t: machine.Transition;
    switch (p.kind) {
      case 'gate':
        t = result.ok ? machine.gatePassed(d, svc) : machine.gateFailed(d, svc, result.output);
        break;
      case 'shift':
        t = result.ok
          ? machine.shiftDone(d, svc, now, result.output)
          : machine.actionFailed(d, svc, `shift to ${stage?.name}`, result.output, result.timedOut);
        if (result.ok) this.noteExposure(d, now, p.traffic);
        break;
      case 'rollback':
        t = result.ok
          ? machine.rollbackDone(d, svc, now, result.output)
          : machine.rollbackFailed(d, svc, now, result.output, result.timedOut);
        break;
      case 'promote':
        t = result.ok
          ? machine.promoteDone(d, svc, now, p.skipped ?? false)
          : machine.actionFailed(d, svc, 'promote', result.output, result.timedOut);
        break;
    }
    return this.commit(svc, t, fence);
  }

  private async evaluate(
    d: Deploy,
    svc: ResolvedService,
    now: number,
  ): Promise<{ results: CheckResult[]; decision: Decision }> {
    const outcome = await this.judge(d, svc, now);
    await this.deps.store.evaluations.insert([
      {
        deployId: d.id,
        at: now,
        stageIndex: d.stageIndex,
        results: outcome.results,
        decision: outcome.decision,
      },
    ]);
    this.remember(d, now, outcome);
    return outcome;
  }

  /** Fetches and judges; stores nothing. */
  private async judge(
    d: Deploy,
    svc: ResolvedService,
    now: number,
  ): Promise<{ results: CheckResult[]; decision: Decision }> {
    const rt = this.runtimeOf(d);
    const exposure = rt.exposure ?? (rt.exposure = await this.loadExposure(d));
    const started = performance.now();
    const outcome = await this.deps.analyzer.evaluate({ deploy: d, service: svc, now, exposure });
    this.deps.observe?.evaluation(svc.name, outcome.decision.action, performance.now() - started);
    return outcome;
  }

  private remember(d: Deploy, now: number, outcome: { results: CheckResult[]; decision: Decision }): void {
    const rt = this.runtimeOf(d);
    rt.lastEvaluatedAt = now;
    rt.lastDecision = outcome.decision.action;
    if (resultsNeeded(outcome.decision)) this.lastResults.set(d.id, outcome.results);
    else this.lastResults.delete(d.id);
  }

  /** Adds the breach / missing-data evidence to a pause or rollback. */
  private withBreaches(
    t: machine.Transition,
    d: Deploy,
    svc: ResolvedService,
    decision: Decision,
  ): machine.Transition {
    const ref = deployRef(d, svc);
    const results = this.lastResults.get(d.id) ?? [];
    const events: LifecycleEvent[] = decision.blind
      ? [
          {
            type: 'check:no_data',
            deploy: ref,
            checks: results.filter((r) => r.verdict === 'no_data' || r.verdict === 'error'),
          },
        ]
      : results
          .filter((r) => decision.culprits.includes(r.name))
          .map((check) => ({ type: 'check:breached' as const, deploy: ref, check, decision }));
    return { next: t.next, events: [...events, ...t.events] };
  }

  private readonly lastResults = new Map<string, CheckResult[]>();
  /** The active deploys the last round read (listKnown reuses those whose revision is unchanged). */
  private lastActive: ReadonlyMap<string, Deploy> = new Map();

  /** `alert` checks that started breaching in this evaluation (not every minute they stay breached). */
  private newAlerts(d: Deploy, svc: ResolvedService, decision: Decision): LifecycleEvent[] {
    const rt = this.runtimeOf(d);
    const results = this.lastResults.get(d.id) ?? [];
    const now = new Set(decision.alerts);
    const fresh = results.filter((r) => now.has(r.name) && !rt.breaching.has(r.name));
    rt.breaching = now;
    const ref = deployRef(d, svc);
    return fresh.map((check) => ({ type: 'check:breached' as const, deploy: ref, check, decision }));
  }

  private async commit(svc: ResolvedService, t: machine.Transition, fence?: Fence): Promise<Deploy> {
    const now = this.deps.clock.now();
    const rt = this.runtime.get(t.next.id);
    // Evaluations are not written to the deploy row each time; the latest one travels with the next transition.
    const lastEvaluatedAt = Math.max(t.next.lastEvaluatedAt ?? 0, rt?.lastEvaluatedAt ?? 0) || null;
    const drafts = t.events.map((event) => ({ at: now, actor: ENGINE, event }));
    const stored = await this.deps.store.deploys.update({ ...t.next, lastEvaluatedAt }, drafts, fence);
    if (!stored) throw new StaleWrite(`deploy ${t.next.id} changed under us`);
    for (const e of stored.events) this.deps.observe?.transition(svc.name, e.event.type);
    this.deps.bus?.publish(stored.events);
    const d = stored.deploy;
    if (isTerminal(d.state)) {
      this.runtime.delete(d.id);
      this.lastResults.delete(d.id);
      this.deps.analyzer.forget(d.id);
    } else if (rt && t.events.some((e) => e.type === 'deploy:resumed')) {
      // After a resume the judgement starts afresh from the resume time.
      rt.lastEvaluatedAt = d.lastEvaluatedAt ?? now;
      rt.lastDecision = null;
    }
    return d;
  }

  /**
   * The deploys this engine walks: those releasebot drives. External ones (Argo Rollouts, Flagger) are judged on
   * their controller's request (src/integrations/), never ticked, and never hold up the service's queue.
   */
  private ownDeploys(filter: DeployFilter, known?: ReadonlyMap<string, Deploy>): Promise<Deploy[]> {
    const own = { ...filter, driver: 'releasebot' as const };
    return known ? this.deps.store.deploys.listKnown(own, known) : this.deps.store.deploys.list(own);
  }

  private runtimeOf(d: Deploy): DeployRuntime {
    let rt = this.runtime.get(d.id);
    if (!rt) {
      rt = {
        exposure: null,
        lastEvaluatedAt: d.lastEvaluatedAt ?? d.stageStartedAt ?? 0,
        lastDecision: null,
        breaching: new Set(),
      };
      this.runtime.set(d.id, rt);
    }
    return rt;
  }

  private noteExposure(d: Deploy, at: number, traffic: number): void {
    const rt = this.runtimeOf(d);
    rt.exposure?.push({ at, traffic });
    rt.lastEvaluatedAt = at;
    rt.lastDecision = null;
  }

  private async loadExposure(d: Deploy): Promise<ExposureStep[]> {
    const events = await this.deps.store.events.forDeploy(d.id);
    return events.flatMap((e) =>
      e.event.type === 'stage:advanced' ? [{ at: e.at, traffic: e.event.traffic }] : [],
    );
  }
}

/** Whether a decision makes a transition or alerts that name its checks (withBreaches, newAlerts read them). */
function resultsNeeded(decision: Decision): boolean {
  return decision.alerts.length > 0 || (decision.action !== 'continue' && decision.action !== 'hold');
}
