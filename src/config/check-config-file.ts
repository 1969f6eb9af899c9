import { isReleasebotError, type ErrorDetail } from '../errors/releasebot-error.js';
import type { Env } from './interpolate-env.js';
import { readConfigText } from './read-config-text.js';
import type { ResolvedConfig } from './resolved-config.js';
import { validateConfigText } from './validate-config-text.js';

/** What `releasebot config check` reports. */
export interface ConfigCheckReport {
  ok: boolean;
  /** Every problem, in file order; empty when ok. */
  problems: ErrorDetail[];
  /** One line: what was found, or how many problems. */
  summary: string;
  /** The resolved config, when ok. */
  config?: ResolvedConfig;
  /** The file's text, for showing the lines of problems (see formatProblems). */
  source?: string;
}

/** Checks a config file without throwing: for the CLI and anyone who wants the whole list. */
export function checkConfigFile(file: string, env: Env): ConfigCheckReport {
  let source: string;
  try {
    source = readConfigText(file);
  } catch (e) {
    if (!isReleasebotError(e)) throw e;
    return { ok: false, problems: e.details, summary: e.message };
  }
  const result = validateConfigText(source, { file, env });
  if (!result.ok) {
    const n = result.problems.length;
    return {
      ok: false,
      problems: result.problems,
      summary: `${file}: ${n} problem${n === 1 ? '' : 's'}`,
      source,
    };
  }
  const services = Object.values(result.config.services);
  const stages = services.reduce((sum, s) => sum + s.stages.length, 0);
  const checks = services.reduce((sum, s) => sum + s.checks.length, 0);
  const names = services.map((s) => s.name).join(', ');
  const summary =
    `${file}: OK: ${plural(services.length, 'service')} (${names}), ` +
    `${plural(stages, 'stage')}, ${plural(checks, 'check')}`;
  return { ok: true, problems: [], summary, config: result.config, source };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
