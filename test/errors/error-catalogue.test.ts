import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/errors/error-catalogue.js';
import { ReleasebotError } from '../../src/errors/releasebot-error.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [
    m[1],
    { status: Number(m[2]), hint: m[3] },
  ]),
);

describe('error catalogue', () => {
  it('documents every code with its status and hint, and nothing else', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(errorCatalogue).sort());
    for (const [code, { status, hint }] of Object.entries(errorCatalogue)) {
      expect(documented.get(code), code).toEqual({ status, hint: hint.replace(/\|/g, '\\|') });
    }
  });

  it('gives every error its code, status, hint and cause', () => {
    const cause = new Error('boom');
    const e = new ReleasebotError('DEPLOY_UNKNOWN', 'no deploy d1', { cause });
    expect(e).toMatchObject({ code: 'DEPLOY_UNKNOWN', status: 404, cause });
    expect(e.toJSON()).toEqual({
      code: 'DEPLOY_UNKNOWN',
      message: 'no deploy d1',
      hint: errorCatalogue.DEPLOY_UNKNOWN.hint,
    });
  });
});
