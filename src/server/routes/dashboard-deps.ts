import type { ResolvedConfig } from '../../config/resolved-config.js';
import type { Logger } from '../../logging/logger.js';
import type { MetricSource } from '../../metrics/metric-source.js';
import type { DeployService } from '../../pipeline/deploy-service.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';

/**
 * What the dashboard needs from the runtime. A `Runtime` satisfies it as it is; naming only these parts keeps the
 * server from importing the composition root that imports it.
 */
export interface DashboardDeps {
  config: ResolvedConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  sources: Map<string, MetricSource>;
  deploys: DeployService;
}
