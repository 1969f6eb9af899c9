import { readFileSync } from 'node:fs';
import { ReleasebotError } from '../errors/releasebot-error.js';

/** Reads a config file; CONFIG_NOT_FOUND (with the cause) when it is missing or unreadable. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : `cannot read it (${code})`;
    throw new ReleasebotError('CONFIG_NOT_FOUND', `Config file ${file}: ${why}`, {
      details: [{ file, message: why }],
      cause,
    });
  }
}
