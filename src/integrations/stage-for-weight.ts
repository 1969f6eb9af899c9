import type { ResolvedStage } from '../config/resolved-config.js';

/**
 * The stage of the service's plan an external canary weight corresponds to: the last stage whose traffic is at most
 * `weight` (the first stage below it). The judge spends its false-alarm budget per stage, so a service judged for
 * Argo Rollouts or Flagger should list stages that mirror the rollout's weights.
 */
export function stageForWeight(stages: readonly ResolvedStage[], weight: number): number {
  let index = 0;
  for (let i = 0; i < stages.length; i++) if (stages[i].traffic <= weight) index = i;
  return index;
}
