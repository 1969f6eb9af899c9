import type { CheckHistory, CheckWindow, CohortSamples, QueryProblem } from '../analysis/check-data.js';
import type { CheckModel } from '../analysis/check-model.js';
import { evaluateRound } from '../analysis/evaluate-round.js';
import { historyRanges } from '../analysis/history-ranges.js';
import { prepareCheck } from '../analysis/prepare-check.js';
import { priorOf, updatePrior, type Decision, type PriorResult } from '../analysis/verdict.js';
import type { ResolvedService } from '../config/resolved-config.js';
import type { Logger } from '../logging/logger.js';
import type { MetricSource } from '../metrics/metric-source.js';
import type { Samples } from '../metrics/samples.js';
import type { Store } from '../store/store.js';
import type { AnalysisOutcome, AnalysisRequest, Analyzer } from './analyzer.js';
import type { Deploy } from './deploy.js';
import { concatSamples, fetchOne, fetchOneSync, type Fetched } from './fetch-series.js';
import { fetchPlan, type Cohort, type CohortSlots, type FetchPlan } from './fetch-plan.js';

export interface AnalysisRunnerDeps {
  /** The metric source a service reads, by its configured name. */
  sourceFor: (service: ResolvedService) => MetricSource;
  store: Store;
  logger: Logger;
  onSourceError?: (source: string) => void;
}

interface DeployAnalysis {
  models: Record<string, CheckModel>;
  /** The previous round's persistence and grace state (small objects: they live until the next round). */
  prior: PriorResult[];
  /** The source failed while fetching history: prepare again at the next evaluation. */
  degraded: boolean;
}

const NO_CHECKS: Decision = {
  action: 'continue',
  reason: 'no checks configured',
  alerts: [],
  culprits: [],
  blind: false,
};

/**
 * The analysis step's I/O: fetches each check's history once per deploy (to prepare its model) and its window at
 * every evaluation, then hands them to the pure judge (`evaluateRound`). Models live in memory; after a restart or
 * a takeover they are prepared again from the source, and the previous round's results come from the store.
 */
export class AnalysisRunner implements Analyzer {
  private readonly deploys = new Map<string, Promise<DeployAnalysis>>();
  /** By service object: a new config (a new object) gets a new plan. */
  private readonly plans = new WeakMap<ResolvedService, FetchPlan>();

  constructor(private readonly deps: AnalysisRunnerDeps) {}

  async evaluate(req: AnalysisRequest): Promise<AnalysisOutcome> {
    const { deploy, service } = req;
    if (!service.checks.length) return { results: [], decision: NO_CHECKS };
    const source = this.deps.sourceFor(service);
    let prepared = this.deploys.get(deploy.id);
    if (!prepared) {
      prepared = this.prepare(deploy, service, source);
      this.deploys.set(deploy.id, prepared);
      prepared.catch(() => this.deploys.delete(deploy.id));
    }
    const ctx = await prepared;
    if (ctx.degraded) this.deploys.delete(deploy.id);
    const windows = await this.fetchWindows(deploy, service, source, req);
    const out = evaluateRound({
      service,
      models: ctx.models,
      windows,
      prior: ctx.prior,
      stageIndex: deploy.stageIndex,
    });
    ctx.prior = updatePrior(ctx.prior, out.results);
    return out;
  }

  forget(deployId: string): void {
    this.deploys.delete(deployId);
  }

  inMemory(service: ResolvedService): boolean {
    return !!this.deps.sourceFor(service).prepareSync;
  }

  private async prepare(
    deploy: Deploy,
    service: ResolvedService,
    source: MetricSource,
  ): Promise<DeployAnalysis> {
    const start = deploy.startedAt ?? deploy.createdAt;
    const fetchRanges = this.cachedFetcher(source, service.intervalMs);
    const models: Record<string, CheckModel> = {};
    let degraded = false;
    for (const check of service.checks) {
      const ranges = historyRanges(service, start, check);
      const load = async (query: string | undefined): Promise<Samples | undefined> => {
        if (!query || !ranges.length) return undefined;
        const parts: Samples[] = [];
        for (const r of ranges) {
          const got = await fetchRanges(query, r.from, r.to);
          if ('samples' in got) parts.push(got.samples);
          else if (got.problem.kind === 'source_error') degraded = true;
        }
        return parts.length ? concatSamples(parts) : undefined;
      };
      const t = service.traffic;
      const [metric, traffic, canary, baseline, canaryTraffic, baselineTraffic] = await Promise.all([
        load(check.queries.all),
        load(t?.all),
        load(check.queries.canary),
        load(check.queries.baseline),
        load(t?.canary),
        load(t?.baseline),
      ]);
      const history: CheckHistory = {
        deployStart: start,
        from: ranges[0]?.from ?? start,
        to: ranges.at(-1)?.to ?? start,
        ...(metric ? { metric } : {}),
        ...(traffic ? { traffic } : {}),
        ...(canary ? { canary } : {}),
        ...(baseline ? { baseline } : {}),
        ...(canaryTraffic ? { canaryTraffic } : {}),
        ...(baselineTraffic ? { baselineTraffic } : {}),
      };
      models[check.name] = prepareCheck(check, service, history);
    }
    const [last] = await this.deps.store.evaluations.forDeploy(deploy.id, { limit: 1 });
    return { models, prior: (last?.results ?? []).map(priorOf), degraded };
  }

  private async fetchWindows(
    deploy: Deploy,
    service: ResolvedService,
    source: MetricSource,
    req: AnalysisRequest,
  ): Promise<Record<string, CheckWindow>> {
    const deployStart = deploy.startedAt ?? deploy.createdAt;
    const windowStart = deployStart - service.baselineMs;
    let plan = this.plans.get(service);
    if (!plan) this.plans.set(service, (plan = fetchPlan(service)));
    // The whole service's series from before the deploy (the baseline); cohorts exist only since its start.
    const got = await this.fetchAll(source, plan, windowStart, deployStart, req.now, service.intervalMs);

    const found: QueryProblem[] = [];
    const traffic = service.traffic ? cohortSamples(got, plan.traffic, 'traffic', found) : undefined;
    const trafficProblems = found.length ? found.splice(0) : undefined;
    const stageStart = deploy.stageStartedAt ?? deployStart;
    const windows: Record<string, CheckWindow> = {};
    for (const check of plan.checks) {
      const metric = cohortSamples(got, check.slots, 'metric', found);
      const problems =
        found.length || trafficProblems ? [...found.splice(0), ...(trafficProblems ?? [])] : undefined;
      // One shape for every window (absent fields undefined): spreads would build a temporary object each.
      windows[check.name] = {
        now: req.now,
        deployStart,
        windowStart,
        stageStart,
        exposure: req.exposure,
        metric,
        traffic,
        problems,
      };
    }
    return windows;
  }

  /** Each query of the plan: synchronously from an in-memory source, concurrently from a remote one. */
  private async fetchAll(
    source: MetricSource,
    plan: FetchPlan,
    windowStart: number,
    deployStart: number,
    now: number,
    step: number,
  ): Promise<Fetched[]> {
    const onError = () => this.deps.onSourceError?.(source.name);
    const { queries } = plan;
    if (source.prepareSync) {
      // Prepared once per plan and source: each round then reads without parsing or looking up the query.
      if (plan.prepared?.source !== source) {
        plan.prepared = { source, readers: queries.map((q) => source.prepareSync!(q.query)) };
      }
      const readers = plan.prepared.readers;
      const got = new Array<Fetched>(queries.length);
      for (let i = 0; i < queries.length; i++) {
        const { query, cohort } = queries[i];
        got[i] = fetchOneSync(readers[i], query, cohort === 'all' ? windowStart : deployStart, now, onError);
      }
      return got;
    }
    return Promise.all(
      queries.map(({ query, cohort }) =>
        fetchOne(
          source,
          { query, start: cohort === 'all' ? windowStart : deployStart, end: now, step },
          onError,
        ),
      ),
    );
  }

  /** Fetches each (query, range) once per evaluation: checks share the traffic series. */
  private cachedFetcher(source: MetricSource, step: number) {
    const cache = new Map<string, Promise<Fetched>>();
    return (query: string, from: number, to: number): Promise<Fetched> => {
      const key = `${query}\u0000${from}\u0000${to}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = fetchOne(source, { query, start: from, end: to, step }, () =>
          this.deps.onSourceError?.(source.name),
        );
        cache.set(key, hit);
      }
      return hit;
    };
  }
}

/** A check's (or the traffic's) series per cohort, in one object shape; what could not be fetched goes to `problems`. */
function cohortSamples(
  got: Fetched[],
  slots: CohortSlots | undefined,
  target: QueryProblem['target'],
  problems: QueryProblem[],
): CohortSamples {
  return {
    all: pick(got, slots?.all, target, 'all', problems),
    canary: pick(got, slots?.canary, target, 'canary', problems),
    baseline: pick(got, slots?.baseline, target, 'baseline', problems),
  };
}

function pick(
  got: Fetched[],
  slot: number | undefined,
  target: QueryProblem['target'],
  cohort: Cohort,
  problems: QueryProblem[],
): Samples | undefined {
  if (slot === undefined) return undefined;
  const f = got[slot];
  if ('samples' in f) return f.samples;
  problems.push({ ...f.problem, target, cohort });
  return undefined;
}
