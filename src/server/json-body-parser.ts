import type { FastifyInstance } from 'fastify';
import { ReleasebotError } from '../errors/releasebot-error.js';

const MAX_DEPTH = 32;

/** Rejects nesting deeper than MAX_DEPTH before parsing: JSON.parse recurses, and a deep body must not crash us. */
function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH)
        throw new ReleasebotError('REQUEST_INVALID', `JSON nested deeper than ${MAX_DEPTH} levels`);
    } else if (c === 125 || c === 93) depth--;
  }
}

/** JSON bodies: depth-limited, prototype-poisoning keys refused, errors as REQUEST_INVALID. */
export function registerJsonParser(app: FastifyInstance): void {
  // JSON only: any other body type is refused with 415 (plugins that need one, e.g. Slack forms, add it in scope).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(/^application\/(.+\+)?json$/, { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (!text.trim()) return done(null, undefined);
    try {
      checkDepth(text);
      const value: unknown = JSON.parse(text, (key, v: unknown) => {
        if (key === '__proto__' || key === 'constructor')
          throw new ReleasebotError('REQUEST_INVALID', `forbidden key "${key}"`);
        return v;
      });
      done(null, value);
    } catch (e) {
      done(
        e instanceof ReleasebotError
          ? e
          : new ReleasebotError('REQUEST_INVALID', `malformed JSON: ${(e as Error).message}`),
        undefined,
      );
    }
  });
}
