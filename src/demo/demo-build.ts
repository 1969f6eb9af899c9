import type { Change } from '../pipeline/deploy.js';
import type { Regression } from './regression.js';

/** One build the demo deploys: what it carries, and (known to the simulation only) whether it is bad. */
export interface DemoBuild {
  version: string;
  changes: Change[];
  regression?: Regression;
  /** Simulated time to wait after the previous deploy ended before this one is requested, ms. */
  gapMs: number;
}
