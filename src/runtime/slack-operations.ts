import { ACTIVE_STATES } from '../pipeline/deploy.js';
import type { DeployService } from '../pipeline/deploy-service.js';
import type { DeployOperations } from '../notify/slack/deploy-operations.js';

/** What Slack buttons and commands may do, over the same service functions as the API and the CLI. */
export function slackOperations(deploys: DeployService): DeployOperations {
  return {
    pause: (id, actor, reason) => deploys.operate('pause', id, actor, reason),
    resume: (id, actor, reason) => deploys.operate('resume', id, actor, reason),
    rollback: (id, actor, reason) => deploys.operate('rollback', id, actor, reason),
    async status(service) {
      deploys.service(service);
      const [open, recent] = await Promise.all([
        deploys.listDeploys({ service, states: ['queued', ...ACTIVE_STATES], limit: 100 }),
        deploys.listDeploys({
          service,
          states: ['promoted', 'rolled_back', 'aborted', 'failed', 'superseded'],
          limit: 5,
        }),
      ]);
      return {
        service,
        active: open.find((d) => d.state !== 'queued') ?? null,
        queued: open.filter((d) => d.state === 'queued').reverse(),
        recent,
      };
    },
  };
}
