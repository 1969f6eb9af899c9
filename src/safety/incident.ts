export type Severity = 'high' | 'medium' | 'low';
export type Remediation = 'automatic' | 'manual';
/** How the incident was recorded: by a person, by the safety consumer after an automatic rollback, or imported. */
export type IncidentSource = 'manual' | 'automatic' | 'import';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
export const REMEDIATIONS: readonly Remediation[] = ['automatic', 'manual'];

/**
 * A period of customer impact. Times are ms since the epoch; the order is impactStart ≤ detectedAt ≤ mitigatedAt ≤
 * endedAt for those that are set. Customer impact lasts from `impactStart` to `mitigatedAt` (the remediation took
 * effect), else to `endedAt`, else it is still going on. `endedAt` set = resolved.
 */
export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  /** Whether a medium incident counts toward customer-impact hours; ignored for high (always) and low (never). */
  selected: boolean;
  impactStart: number;
  detectedAt: number | null;
  mitigatedAt: number | null;
  endedAt: number | null;
  /** Affected services, at least one. */
  services: string[];
  /** Linked deploys; an incident with any is change-triggered. */
  deployIds: string[];
  /** Share of traffic exposed over the impact, percent 0–100: an incident at 1% counts 1% of its minutes. */
  exposurePct: number;
  remediation: Remediation;
  source: IncidentSource;
  note: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Bumped on every write; updates compare-and-set on it. */
  revision: number;
}

export const isChangeTriggered = (i: Incident): boolean => i.deployIds.length > 0;

/** The "high and selected medium" rule: whether the incident counts in customer-impact hours and response times. */
export function isCounted(i: Incident): boolean {
  if (!isChangeTriggered(i)) return false;
  return i.severity === 'high' || (i.severity === 'medium' && i.selected);
}

/** When the customer impact ended, or `now` while it goes on (never before the start). */
export function impactEndOf(i: Incident, now: number): number {
  return i.mitigatedAt ?? i.endedAt ?? Math.max(now, i.impactStart);
}
