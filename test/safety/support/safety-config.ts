import type { ResolvedConfig } from '../../../src/config/resolved-config.js';
import { configFrom } from '../../support/config.js';

/**
 * Services shaped like the engine harness's webapp (canary 1% 10m, 10% 10m, 50% 10m, 100% 10m; evaluated every
 * minute; one rollback check), one per test so tests can share one store: `web-a` … `web-f` in team `web`, `pay` in
 * team `payments`, `search` without a team.
 */
export function safetyConfig(): ResolvedConfig {
  const service = (name: string, team?: string) => `
  ${name}:${team ? `\n    team: ${team}` : ''}
    interval: 1m
    stages:
      - { name: canary, traffic: 1, bake: 10m }
      - { name: ten, traffic: 10, bake: 10m }
      - { name: half, traffic: 50, bake: 10m }
      - { name: full, traffic: 100, bake: 10m }
    checks:
      - { name: error-ratio, query: 'http_error_ratio{service="${name}"}', action: rollback }`;
  const names = ['web-a', 'web-b', 'web-c', 'web-d', 'web-e', 'web-f'];
  return configFrom(
    `services:${names.map((n) => service(n, 'web')).join('')}${service('pay', 'payments')}${service('search')}\n`,
  );
}
