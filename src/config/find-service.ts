import { ReleasebotError } from '../errors/releasebot-error.js';
import { didYouMean } from './did-you-mean.js';
import type { ResolvedConfig, ResolvedService } from './resolved-config.js';

/** `unknown service "webap"; did you mean "webapp"?` */
export function unknownServiceMessage(name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  return `unknown service "${name}"${hint ? `; did you mean "${hint}"?` : ''}`;
}

/** The configured service of that name, or SERVICE_UNKNOWN with a suggestion. */
export function findService(config: Pick<ResolvedConfig, 'services'>, name: string): ResolvedService {
  // Own keys only: a name such as `constructor` or `toString` (from a URL) must not find Object's methods.
  const svc = Object.hasOwn(config.services, name) ? config.services[name] : undefined;
  if (!svc)
    throw new ReleasebotError('SERVICE_UNKNOWN', unknownServiceMessage(name, Object.keys(config.services)));
  return svc;
}
