import type { DeployerConfig } from '../config/deployer-schema.js';
import type { Env } from '../config/interpolate-env.js';
import type { Clock } from '../time/clock.js';
import { CommandDeployer } from './command/command-deployer.js';
import type { Deployer } from './deployer.js';
import { KubernetesDeployer } from './kubernetes/kubernetes-deployer.js';
import { NoneDeployer } from './none/none-deployer.js';
import { WebhookDeployer, type Sleep } from './webhook/webhook-deployer.js';

/** What deployers may need from the outside; each takes what it uses. */
export interface DeployerDeps {
  /** Environment inherited by command deployers (default process.env). */
  env?: Env;
  /** Directory command deployers run in when their config names none (default process.cwd()). */
  cwd?: string;
  fetch?: typeof fetch;
  sleep?: Sleep;
  clock?: Clock;
  random?: () => number;
}

/** The deployer a service's config names. */
export function createDeployer(config: DeployerConfig, deps: DeployerDeps = {}): Deployer {
  switch (config.type) {
    case 'command':
      return new CommandDeployer(config, {
        ...(deps.env ? { env: deps.env } : {}),
        ...(deps.cwd ? { cwd: deps.cwd } : {}),
      });
    case 'webhook':
      return new WebhookDeployer(config, {
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.random ? { random: deps.random } : {}),
      });
    case 'kubernetes':
      return new KubernetesDeployer(config);
    case 'none':
      return new NoneDeployer();
    default:
      return unknownType(config);
  }
}

function unknownType(config: never): never {
  throw new Error(`unknown deployer type ${JSON.stringify((config as { type?: unknown }).type)}`);
}
