// Regenerates docs/errors.md from the catalogue: `npx tsx scripts/write-error-docs.ts`.
import { writeFileSync } from 'node:fs';
import { errorCatalogue } from '../src/errors/error-catalogue.js';

let out =
  '# Error codes\n\nEvery error releasebot reports has a stable code. The HTTP API answers with the status shown and a JSON body\n' +
  '`{"error": {"code", "message", "hint", "details"?}}`; the CLI prints `error CODE: message` and the hint.\n\n' +
  '| code | HTTP | hint |\n| --- | --- | --- |\n';
for (const [code, v] of Object.entries(errorCatalogue))
  out += `| \`${code}\` | ${v.status} | ${v.hint.replace(/\|/g, '\\|')} |\n`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), out);
