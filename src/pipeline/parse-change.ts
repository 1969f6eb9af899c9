import { ReleasebotError } from '../errors/releasebot-error.js';
import type { Change } from './deploy.js';

const CHANGE_RE = /^\s*([^\s:()]+)\s*(?::\s*(.*?))?\s*(?:\(([^()]+)\))?\s*(?:<(https?:\/\/[^>\s]+)>)?\s*$/;

/**
 * Reads a change written on the command line: `#1234:Fix login (alice)`, `#1234`, `abc123:Bump deps` or
 * `#1234:Fix login (alice) <https://github.com/acme/web/pull/1234>`.
 */
export function parseChange(text: string, where = 'change'): Change {
  const m = CHANGE_RE.exec(text);
  if (!m || !m[1]) {
    throw new ReleasebotError(
      'REQUEST_INVALID',
      `${where}: expected "ID[:TITLE] [(AUTHOR)] [<URL>]", got "${text}"`,
    );
  }
  return {
    id: m[1],
    ...(m[2] ? { title: m[2] } : {}),
    ...(m[3] ? { author: m[3].trim() } : {}),
    ...(m[4] ? { url: m[4] } : {}),
  };
}
