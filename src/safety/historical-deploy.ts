import type { DeployState } from '../pipeline/deploy.js';
import type { Remediation } from './incident.js';

/** A past deploy brought in by an import: a finished record the engine never acts on. */
export interface HistoricalDeploy {
  id: string;
  service: string;
  version: string;
  previousVersion: string | null;
  /** A terminal state. */
  state: DeployState;
  startedAt: number;
  endedAt: number;
  maxTraffic: number;
  rollback: Remediation | null;
  rollbackAt: number | null;
}
