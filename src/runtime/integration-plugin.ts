import type { AppPlugin } from '../server/build-app.js';
import { integrationRoutes } from '../server/routes/integration-routes.js';
import type { Runtime } from './create-runtime.js';

/**
 * The Argo Rollouts / Flagger routes over a runtime. They judge with the runtime's own analyzer: the engine never
 * evaluates external deploys, so the two never work on the same deploy.
 */
export function integrationPlugin(rt: Runtime): AppPlugin {
  return integrationRoutes({
    config: rt.config,
    store: rt.store,
    clock: rt.clock,
    bus: rt.bus,
    analyzer: rt.analyzer,
  });
}
