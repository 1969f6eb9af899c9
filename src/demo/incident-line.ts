import type { Runtime } from '../runtime/create-runtime.js';

const MINUTE_MS = 60_000;

/**
 * What deploy safety recorded for an automatic rollback, in one line: the incident the safety consumer opened, its
 * time to detect and to remediate, and the exposed traffic. Null when there is none (yet). Lets a newcomer see the
 * rollback counted in the deploy-safety report.
 */
export async function incidentLine(rt: Runtime, deployId: string): Promise<string | null> {
  await rt.drain();
  const [incident] = (await rt.store.incidents.list()).filter((i) => i.deployIds.includes(deployId));
  if (!incident) return null;
  const minutes = (to: number | null): string =>
    to === null ? '?' : `${Math.max(0, Math.round((to - incident.impactStart) / MINUTE_MS))}m`;
  return (
    `deploy safety: incident ${incident.id} (${incident.severity}, ${incident.remediation}) for the rollback: ` +
    `detected ${minutes(incident.detectedAt)} and remediated ${minutes(incident.mitigatedAt)} after the impact ` +
    `began, at ${incident.exposurePct}% of traffic`
  );
}
