import type { DeployFact } from '../../../src/safety/deploy-fact.js';
import type { Incident } from '../../../src/safety/incident.js';

/** `2025-03-03T10:00` (UTC) in ms. */
export const at = (text: string): number => Date.parse(`${text}Z`);

/** An incident with defaults for what a case does not care about. */
export function incident(p: Partial<Incident> & Pick<Incident, 'id' | 'impactStart'>): Incident {
  return {
    title: p.id,
    severity: 'high',
    selected: false,
    detectedAt: null,
    mitigatedAt: null,
    endedAt: null,
    services: ['web-a'],
    deployIds: [],
    exposurePct: 100,
    remediation: 'manual',
    source: 'manual',
    note: '',
    createdBy: 'test',
    createdAt: p.impactStart,
    updatedAt: p.impactStart,
    revision: 0,
    ...p,
  };
}

export function deploy(
  p: Partial<DeployFact> & Pick<DeployFact, 'id' | 'service' | 'startedAt'>,
): DeployFact {
  return { state: 'promoted', endedAt: null, maxTraffic: 100, rollback: null, rollbackAt: null, ...p };
}
