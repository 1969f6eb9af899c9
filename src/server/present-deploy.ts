import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Deploy } from '../pipeline/deploy.js';
import { currentTraffic } from '../pipeline/deploy-ref.js';

/** A deploy as the API shows it: the stored record plus its stage name, live traffic and team. */
export function presentDeploy(d: Deploy, config: ResolvedConfig) {
  const svc = config.services[d.service];
  return {
    ...d,
    stage: d.stageIndex >= 0 ? (svc?.stages[d.stageIndex]?.name ?? null) : null,
    traffic: currentTraffic(d, svc),
    team: svc?.team ?? null,
  };
}
