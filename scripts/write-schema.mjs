// Writes schema/releasebot.schema.json, the JSON Schema editors use for releasebot.yaml.
// Run by `npm run build` after tsc, so it imports the compiled module from dist/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config/json-schema.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('releasebot.schema.json', dir), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
