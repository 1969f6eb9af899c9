import type { DeployState } from '../pipeline/deploy.js';
import type { Remediation } from './incident.js';

/** What the safety reports need to know about one deploy, from its record and event log (or its imported history). */
export interface DeployFact {
  id: string;
  service: string;
  state: DeployState;
  /** When it started (its creation time if it never started), ms. */
  startedAt: number;
  endedAt: number | null;
  /** Highest traffic share the new version reached, percent (0 when no traffic shift completed). */
  maxTraffic: number;
  /** How it was rolled back (the first rollback asked for), null when it never was. */
  rollback: Remediation | null;
  /** When the rollback was asked for, ms. */
  rollbackAt: number | null;
}
