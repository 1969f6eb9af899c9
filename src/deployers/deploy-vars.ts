import type { TemplateVariable } from '../config/template-variables.js';
import type { DeployerCall } from './deployer.js';

/** The values of a deployer's `{{placeholders}}`, as text. */
export type DeployVars = Record<TemplateVariable, string>;

/** Placeholder values for a deployer call; a missing previous version or stage is the empty string. */
export function deployVars(call: DeployerCall): DeployVars {
  return {
    service: call.service.name,
    version: call.deploy.version,
    previousVersion: call.deploy.previousVersion ?? '',
    traffic: String(call.traffic),
    stage: call.stage?.name ?? '',
    deployId: call.deploy.id,
    idempotencyKey: call.idempotencyKey,
  };
}

const ENV_NAMES: Record<TemplateVariable, string> = {
  service: 'RELEASEBOT_SERVICE',
  version: 'RELEASEBOT_VERSION',
  previousVersion: 'RELEASEBOT_PREVIOUS_VERSION',
  traffic: 'RELEASEBOT_TRAFFIC',
  stage: 'RELEASEBOT_STAGE',
  deployId: 'RELEASEBOT_DEPLOY_ID',
  idempotencyKey: 'RELEASEBOT_IDEMPOTENCY_KEY',
};

/** The same values as `RELEASEBOT_*` environment variables, for scripts that prefer them to arguments. */
export function deployEnv(vars: Readonly<Record<string, string>>, fence?: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    if (vars[key] !== undefined) env[name] = vars[key];
  }
  if (fence !== undefined) env.RELEASEBOT_FENCE = String(fence);
  return env;
}
