import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { configDescriptions } from '../../src/config/config-descriptions.js';
import { renderConfigReference } from '../../src/config/config-reference.js';
import {
  configJsonSchema,
  ROOT_SECTION,
  sectionKeys,
  type JsonSchema,
} from '../../src/config/json-schema.js';
import { spliceReference } from '../../src/config/splice-reference.js';

const schema = configJsonSchema();
const sections: Array<[string, JsonSchema]> = [
  [ROOT_SECTION, schema],
  ...Object.entries(schema.$defs as Record<string, JsonSchema>),
];

describe('configuration reference', () => {
  it('has a description for every key the schema accepts, and none for keys it does not', () => {
    const missing: string[] = [];
    const stale: string[] = [];
    for (const [name, section] of sections) {
      const texts = configDescriptions[name] ?? {};
      const keys = sectionKeys(section).map((k) => k.path);
      if (!texts['']) missing.push(`${name} (the section itself)`);
      for (const k of keys) if (!texts[k]) missing.push(`${name}.${k}`);
      for (const k of Object.keys(texts)) if (k && !keys.includes(k)) stale.push(`${name}.${k}`);
    }
    for (const name of Object.keys(configDescriptions)) {
      if (!sections.some(([s]) => s === name)) stale.push(`${name} (no such section)`);
    }
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('is what docs/configuration.md holds (regenerate with `npx tsx scripts/write-config-docs.ts`)', async () => {
    const file = new URL('../../docs/configuration.md', import.meta.url);
    const path = fileURLToPath(file);
    const doc = readFileSync(file, 'utf8');
    const expected = spliceReference(doc, renderConfigReference());
    expect(expected).toBeDefined();
    const formatted = await format(expected!, { ...(await resolveConfig(path)), filepath: path });
    expect(doc).toBe(formatted);
  });

  it('documents every key path of the schema, e.g. nested detector settings and deployer options', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    for (const [name, section] of sections) {
      expect(doc).toContain(`### ${name}`);
      for (const key of sectionKeys(section)) expect(doc, `${name}.${key.path}`).toContain(`\`${key.path}\``);
    }
  });
});
