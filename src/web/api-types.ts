/**
 * The API's answers as the dashboard reads them, named from the server's own types so that a change on one side
 * fails the type check on the other. Type-only imports: nothing of the server reaches the bundle.
 */
import type { ResolvedService } from '../config/resolved-config.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import type { DeployDetails, ServiceSummary } from '../pipeline/deploy-service.js';
import type { presentDeploy } from '../server/present-deploy.js';
import type { DeployCharts, DeploySeries } from '../server/routes/dashboard-deploy-series.js';
import type { ServiceHistory } from '../server/routes/dashboard-service-history.js';

export type { DeployState } from '../pipeline/deploy.js';
export type { StoredEvent, DeployCharts, DeploySeries, ServiceHistory };
export type { EvaluationPoint, ChartMarker } from '../server/routes/dashboard-deploy-series.js';

/** Timestamps travel as numbers (ms); JSON has no typed arrays. */
export type PresentedDeploy = ReturnType<typeof presentDeploy>;

export interface DeployList {
  deploys: PresentedDeploy[];
}

export type DeployDetailsAnswer = Omit<DeployDetails, 'deploy'> & { deploy: PresentedDeploy };

export type PresentedService = Omit<ServiceSummary, 'active'> & { active: PresentedDeploy | null };

export interface ServiceList {
  services: PresentedService[];
}

export interface ServiceAnswer {
  service: PresentedService;
  config: ResolvedService;
  deploys: PresentedDeploy[];
}

export interface Whoami {
  name: string;
  scopes: Array<'read' | 'deploy' | 'admin'>;
  services: string[];
  teams: string[];
  anonymous: boolean;
  /** The server's clock, ms (it may run simulated, as in the demo). */
  now: number;
}
