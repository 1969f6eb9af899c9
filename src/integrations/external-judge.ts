import type { ExposureStep } from '../analysis/check-data.js';
import type { ResolvedService } from '../config/resolved-config.js';
import type { Analyzer } from '../pipeline/analyzer.js';
import { formatDuration } from '../time/duration.js';
import type { Deploy } from '../pipeline/deploy.js';
import { deployRef } from '../pipeline/deploy-ref.js';
import type { EvaluationRecord, Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { type ExternalDeploys, type ExternalRef } from './external-deploys.js';
import { exposeExternal, promoteExternal, rollBackExternal } from './external-transitions.js';
import { type JudgeResult, verdictChecks, verdictOf, verdictOfState } from './external-verdict.js';
import { judgeEvidence } from './judge-evidence.js';

export interface JudgeRequest extends ExternalRef {
  /** Create the deploy when it does not exist; false answers from what exists (a rollback gate before any traffic). */
  create?: boolean;
}

/**
 * releasebot as the judge of a rollout someone else drives (Argo Rollouts, Flagger): finds or creates the deploy of
 * the key, records a changed canary weight as exposure, evaluates with the same Analyzer the engine uses and stores
 * the evaluation. A rollback decision marks the deploy rolled back with the engine's events (the caller rolls back
 * on `fail`). Evaluations run at most once per service interval, as in the engine (the judge's persistence and
 * false-alarm budget count evaluations); calls in between get the latest one. Never returns `pass` without an
 * evaluation that passed.
 */
export class ExternalJudge {
  constructor(
    private readonly deploys: ExternalDeploys,
    private readonly analyzer: Analyzer,
    private readonly deps: { store: Store; clock: Clock },
  ) {}

  async judge(req: JudgeRequest): Promise<JudgeResult> {
    const svc = this.deploys.service(req.service);
    return this.deploys.serial(req.key.key, async () => {
      let d = req.create === false ? await this.deploys.find(req, svc) : await this.deploys.ensure(req, svc);
      if (!d) {
        return {
          verdict: 'no_data',
          reason: `no deploy of ${req.key.key} yet`,
          deployId: null,
          state: null,
          weight: null,
          evaluatedAt: null,
          checks: [],
        };
      }
      d = await this.settleRequests(d, svc);
      const [last] = await this.deps.store.evaluations.forDeploy(d.id, { limit: 1 });
      const standing = verdictOfState(d);
      if (standing) return answer(d, standing, d.reason ?? d.state, last);
      if (req.weight !== undefined) {
        const weight = req.weight;
        d = await this.deploys.apply(
          d,
          svc,
          (x) => (x.state === 'running' ? exposeExternal(x, svc, this.deps.clock.now(), weight) : null),
          req.trigger.actor,
        );
        const after = verdictOfState(d);
        if (after) return answer(d, after, d.reason ?? d.state, last);
      }
      const now = this.deps.clock.now();
      if (now - (d.startedAt ?? now) < svc.intervalMs) {
        // Nothing of the new version to judge yet (the judge would see no sample since the start).
        return answer(
          d,
          'no_data',
          `no verdict yet: ${d.version} started less than one interval (${formatDuration(svc.intervalMs)}) ago`,
          last,
        );
      }
      const fresh = last && now - last.at < svc.intervalMs && last.at >= (d.stageStartedAt ?? 0);
      if (fresh) return answer(d, verdictOf(last.decision), last.decision.reason, last);
      return this.evaluate(d, svc, now, last ?? null);
    });
  }

  /** Operations people did in releasebot on an external deploy take effect through the next verdict. */
  private async settleRequests(d: Deploy, svc: ResolvedService): Promise<Deploy> {
    const now = this.deps.clock.now();
    if (d.state === 'rolling_back') {
      // A rollback asked for in releasebot (Slack, CLI): answered `fail`, so the external system rolls back.
      return this.deploys.apply(d, svc, (x) =>
        x.state === 'rolling_back'
          ? rollBackExternal(x, svc, now, x.reason ?? 'rolled back', { automatic: false })
          : null,
      );
    }
    if (d.state === 'running' && d.pending) {
      // "promote now" in releasebot: judgement is waived; the external system finishes the rollout.
      return this.deploys.apply(d, svc, (x) =>
        x.state === 'running' && x.pending
          ? promoteExternal(x, svc, now, 'promoted in releasebot: judgement skipped')
          : null,
      );
    }
    return d;
  }

  private async evaluate(
    d: Deploy,
    svc: ResolvedService,
    now: number,
    last: EvaluationRecord | null,
  ): Promise<JudgeResult> {
    const exposure = await this.exposure(d);
    const { results, decision } = await this.analyzer.evaluate({ deploy: d, service: svc, now, exposure });
    const record: EvaluationRecord = { deployId: d.id, at: now, stageIndex: d.stageIndex, results, decision };
    await this.deps.store.evaluations.insert([record]);
    const verdict = verdictOf(decision);
    const evidence = judgeEvidence(deployRef(d, svc), results, decision, last?.decision ?? null);
    let after = d;
    if (verdict === 'fail') {
      after = await this.deploys.apply(d, svc, (x) =>
        x.state === 'running'
          ? rollBackExternal(x, svc, now, decision.reason, { automatic: true, evidence })
          : null,
      );
    } else if (evidence.length) {
      after = await this.deploys.apply(d, svc, (x) =>
        x.state === 'running' ? { next: x, events: evidence } : null,
      );
    }
    return answer(after, verdictOfState(after) ?? verdict, decision.reason, record);
  }

  /** When the canary's share changed, from the deploy's `stage:advanced` events (as the engine reads them). */
  private async exposure(d: Deploy): Promise<ExposureStep[]> {
    const events = await this.deps.store.events.forDeploy(d.id);
    return events.flatMap((e) =>
      e.event.type === 'stage:advanced' ? [{ at: e.at, traffic: e.event.traffic }] : [],
    );
  }
}

function answer(
  d: Deploy,
  verdict: JudgeResult['verdict'],
  reason: string,
  evaluation: EvaluationRecord | undefined | null,
): JudgeResult {
  return {
    verdict,
    reason,
    deployId: d.id,
    state: d.state,
    weight: d.externalTraffic,
    evaluatedAt: evaluation?.at ?? null,
    checks: evaluation ? verdictChecks(evaluation.results) : [],
  };
}
