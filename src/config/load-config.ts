import { ReleasebotError, formatDetail, type ErrorDetail } from '../errors/releasebot-error.js';
import type { Env } from './interpolate-env.js';
import { readConfigText } from './read-config-text.js';
import type { ResolvedConfig } from './resolved-config.js';
import { validateConfigText, type ConfigErrorCode } from './validate-config-text.js';

export interface LoadConfigOptions {
  /** Path of releasebot.yaml; read unless `text` is given, and named in every problem. */
  file: string;
  /** Environment for `${VAR}` interpolation (the CLI passes process.env). */
  env: Env;
  /** The file's content, when already at hand. */
  text?: string;
}

/**
 * Reads, validates and resolves a config. Throws ReleasebotError CONFIG_NOT_FOUND, CONFIG_PARSE,
 * CONFIG_ENV_MISSING or CONFIG_INVALID whose `details` hold every problem with file, line, column and key path.
 * The returned config is deeply frozen.
 */
export function loadConfig(opts: LoadConfigOptions): ResolvedConfig {
  const text = opts.text ?? readConfigText(opts.file);
  const result = validateConfigText(text, { file: opts.file, env: opts.env });
  if (result.ok) return result.config;
  throw configError(result.code, result.problems);
}

const HEADLINES: Record<ConfigErrorCode, string> = {
  CONFIG_PARSE: 'Config is not valid YAML',
  CONFIG_ENV_MISSING: 'Config uses an environment variable that is not set',
  CONFIG_INVALID: 'Config is invalid',
};

/** One error for all problems; its message names the first so it helps even where details are not printed. */
export function configError(code: ConfigErrorCode, problems: ErrorDetail[]): ReleasebotError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  const first = problems[0] ? `: ${formatDetail(problems[0])}` : '';
  return new ReleasebotError(code, `${HEADLINES[code]}${first}${more}`, { details: problems });
}
