import type { DeployFact } from './deploy-fact.js';
import type { Incident, Remediation } from './incident.js';
import { isChangeTriggered } from './incident.js';

/** A traffic share a bad deploy should never reach, percent (the North Star goal). */
export const STOP_BEFORE_TRAFFIC = 10;

/** What the reports conclude about one deploy. */
export interface DeployOutcome {
  fact: DeployFact;
  /** Rolled back (asked for), or linked to a change-triggered incident of any severity. */
  bad: boolean;
  /** Bad and stopped before STOP_BEFORE_TRAFFIC percent: its highest traffic stayed below it. */
  stoppedEarly: boolean;
  /** How it was remediated: its rollback's kind, else that of its first mitigated incident; null when not yet. */
  remediation: Remediation | null;
  /** Failed-deploy recovery time, ms (see recoveryOf); null when unknown or not bad. */
  recoveryMs: number | null;
}

/** Incidents by linked deploy id. */
export function incidentsByDeploy(incidents: readonly Incident[]): Map<string, Incident[]> {
  const map = new Map<string, Incident[]>();
  for (const i of incidents) {
    if (!isChangeTriggered(i)) continue;
    for (const id of i.deployIds) (map.get(id) ?? map.set(id, []).get(id)!).push(i);
  }
  return map;
}

/**
 * Recovery time of a bad deploy: from the impact start of its earliest linked incident to that incident's
 * mitigation; without a mitigated incident, from asking for the rollback to the rollback finishing; else unknown.
 */
function recoveryOf(d: DeployFact, linked: readonly Incident[]): number | null {
  const first = [...linked]
    .filter((i) => i.mitigatedAt !== null)
    .sort((a, b) => a.impactStart - b.impactStart)[0];
  if (first) return first.mitigatedAt! - first.impactStart;
  if (d.state === 'rolled_back' && d.endedAt !== null && d.rollbackAt !== null)
    return d.endedAt - d.rollbackAt;
  return null;
}

export function deployOutcome(d: DeployFact, linked: readonly Incident[]): DeployOutcome {
  const bad = d.rollback !== null || linked.length > 0;
  const mitigated = [...linked]
    .filter((i) => i.mitigatedAt !== null)
    .sort((a, b) => a.mitigatedAt! - b.mitigatedAt!);
  return {
    fact: d,
    bad,
    stoppedEarly: bad && d.maxTraffic < STOP_BEFORE_TRAFFIC,
    remediation: bad ? (d.rollback ?? mitigated[0]?.remediation ?? null) : null,
    recoveryMs: bad ? recoveryOf(d, linked) : null,
  };
}
