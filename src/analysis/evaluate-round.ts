import type { ResolvedService } from '../config/resolved-config.js';
import type { CheckWindow } from './check-data.js';
import type { CheckModel } from './check-model.js';
import { decide } from './decide.js';
import { evaluateCheck } from './evaluate-check.js';
import type { CheckResult, Decision, PriorResult } from './verdict.js';

export interface RoundInput {
  service: ResolvedService;
  /** prepareCheck() of each check of the service, by check name, made when the deploy started. */
  models: Readonly<Record<string, CheckModel>>;
  /** This evaluation's data per check name. A check without a window gets `no_data`. */
  windows: Readonly<Record<string, CheckWindow>>;
  /**
   * Earlier results of this deploy, oldest first: the previous round's results suffice (persistence and grace
   * state travel in their evidence); all earlier rounds may be passed too (the latest per check is used).
   */
  prior: readonly PriorResult[];
  /** Index of the running stage in service.stages. */
  stageIndex: number;
}

export interface RoundOutput {
  /** One result per check, in the service's check order. */
  results: CheckResult[];
  decision: Decision;
}

/**
 * One evaluation of a running deploy: judges every check of the service (evaluateCheck) and decides (decide).
 * The single code path of live deploys and replay. Pure and allocation-light: a few microseconds per check.
 */
export function evaluateRound(input: RoundInput): RoundOutput {
  const { service, models, windows, prior, stageIndex } = input;
  const results: CheckResult[] = [];
  const grace: Record<string, number> = {};
  const checks = service.checks;
  // Usually `prior` is the previous round's results, one per check in check order: then no search is needed.
  const aligned = prior.length === checks.length && checks.every((check, c) => prior[c].name === check.name);
  for (let c = 0; c < checks.length; c++) {
    const check = checks[c];
    const model = models[check.name];
    const last = aligned ? prior[c] : latest(prior, check.name);
    const window = windows[check.name];
    grace[check.name] = model?.settings.grace ?? 2;
    if (!model || !window) {
      const missing = (last?.evidence.missing ?? 0) + 1;
      results.push({
        name: check.name,
        verdict: 'no_data',
        action: check.action,
        reason: `${check.name}: no data: ${model ? 'no window was fetched' : 'the check was not prepared for this deploy'}`,
        evidence: { detector: 'none', missing, note: 'no window' },
      });
      continue;
    }
    results.push(evaluateCheck(model, window, last, stageIndex));
  }
  return { results, decision: decide(results, grace) };
}

function latest(prior: readonly PriorResult[], name: string): PriorResult | undefined {
  for (let i = prior.length - 1; i >= 0; i--) if (prior[i].name === name) return prior[i];
  return undefined;
}
