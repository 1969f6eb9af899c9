// Regenerates the reference part of docs/configuration.md from the schema: `npx tsx scripts/write-config-docs.ts`.
// Only the text between the two markers is replaced; the prose around it is written by hand. The result is
// formatted with Prettier so `npm run lint` and the sync test (test/config/config-reference.test.ts) agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderConfigReference } from '../src/config/config-reference.js';
import { REFERENCE_START } from '../src/config/reference-markers.js';
import { spliceReference } from '../src/config/splice-reference.js';

const file = new URL('../docs/configuration.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
const next = spliceReference(doc, renderConfigReference());
if (next === undefined) throw new Error(`docs/configuration.md lacks the ${REFERENCE_START} markers`);
const path = fileURLToPath(file);
writeFileSync(file, await format(next, { ...(await resolveConfig(path)), filepath: path }));
