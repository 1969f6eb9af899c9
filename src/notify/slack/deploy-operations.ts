import type { Deploy } from '../../pipeline/deploy.js';

/** A service's deploys as `/releasebot status` shows them. */
export interface ServiceStatus {
  service: string;
  /** The running, paused or rolling-back deploy, if any. */
  active: Deploy | null;
  /** Waiting deploys, next first. */
  queued: Deploy[];
  /** Latest finished deploys, newest first (a few are enough). */
  recent: Deploy[];
}

/**
 * What Slack may do to deploys; the pipeline provides it. Each call stores the decision and returns at once
 * (Slack waits three seconds for an answer): it must not wait for the deployer. Failures throw ReleasebotError
 * (DEPLOY_UNKNOWN, DEPLOY_FINISHED, DEPLOY_STATE, SERVICE_UNKNOWN, …); the message is shown to the user.
 * `actor` is the releasebot identity the Slack user maps to (`operators:` in the Slack notifier's config).
 */
export interface DeployOperations {
  pause(deployId: string, actor: string, reason: string): Promise<Deploy>;
  resume(deployId: string, actor: string, reason: string): Promise<Deploy>;
  rollback(deployId: string, actor: string, reason: string): Promise<Deploy>;
  /** Throws SERVICE_UNKNOWN for a service not in the config. */
  status(service: string): Promise<ServiceStatus>;
}
