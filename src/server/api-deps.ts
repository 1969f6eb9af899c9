import type { ResolvedConfig } from '../config/resolved-config.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { DeployService } from '../pipeline/deploy-service.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';

/** What the HTTP routes call. Routes hold no logic of their own. */
export interface ApiDeps {
  config: ResolvedConfig;
  store: Store;
  deploys: DeployService;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
}
