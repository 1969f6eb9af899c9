import { parse } from 'yaml';
import { resolveConfig } from '../../src/config/resolve-config.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { configSchema } from '../../src/config/schema.js';

/** A resolved config from YAML text, for tests that are not about config loading. */
export function configFrom(yamlText: string): ResolvedConfig {
  const parsed = configSchema.parse(parse(yamlText));
  const r = resolveConfig(parsed);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.config;
}
