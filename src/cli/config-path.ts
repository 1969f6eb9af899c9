import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { CliIo } from './cli-io.js';

/** The config file: --config, else $RELEASEBOT_CONFIG, else ./releasebot.yaml (or .yml). */
export function configPath(io: CliIo, flag: string | undefined): string {
  const given = flag ?? io.env.RELEASEBOT_CONFIG;
  if (given) return resolve(io.cwd, given);
  for (const name of ['releasebot.yaml', 'releasebot.yml']) {
    const p = resolve(io.cwd, name);
    if (existsSync(p)) return p;
  }
  throw new ReleasebotError('CONFIG_NOT_FOUND', `no releasebot.yaml in ${io.cwd}`);
}
