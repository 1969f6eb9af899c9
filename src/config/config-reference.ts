import { DURATION_PATTERN } from './duration-schema.js';
import {
  configJsonSchema,
  configSections,
  ROOT_SECTION,
  sectionKeys,
  type JsonSchema,
} from './json-schema.js';

/**
 * The key-by-key reference of releasebot.yaml as Markdown, one table per section, generated from the JSON
 * Schema (and so from the zod schema and configDescriptions). scripts/write-config-docs.ts puts it into
 * docs/configuration.md; a test checks the file holds exactly this.
 */
export function renderConfigReference(schema: JsonSchema = configJsonSchema()): string {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  // In the order of configSections (services first), not the order the converter met them.
  const order = configSections().map(([name]) => name);
  const rank = (name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);
  const named = Object.entries(defs).sort((a, b) => rank(a[0]) - rank(b[0]));
  const sections: Array<[string, JsonSchema]> = [[ROOT_SECTION, schema], ...named];
  const out: string[] = [];
  for (const [name, section] of sections) {
    out.push(`### ${name}`, '');
    const about =
      name === ROOT_SECTION ? 'The top level of the file.' : (section.description as string | undefined);
    if (about) out.push(about, '');
    const options = (section.oneOf ?? section.anyOf) as JsonSchema[] | undefined;
    if (options && !section.properties) {
      out.push(`One of: ${options.map((o) => typeOf(o)).join(', ')}.`, '');
      continue;
    }
    out.push('| key | type | default | description |', '| --- | --- | --- | --- |');
    for (const key of sectionKeys(section)) {
      const def = key.required ? '**required**' : defaultOf(key.schema);
      const text = ((key.schema.description as string | undefined) ?? '').replace(/\|/g, '\\|');
      out.push(`| \`${key.path}\` | ${typeOf(key.schema).replace(/\|/g, '\\|')} | ${def} | ${text} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function anchor(ref: string): string {
  const name = ref.replace('#/$defs/', '');
  return `[${name}](#${name.toLowerCase()})`;
}

function typeOf(s: JsonSchema): string {
  if (typeof s.$ref === 'string') return anchor(s.$ref);
  const options = (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
  if (options) return options.map(typeOf).join(' or ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(' | ');
  if (Array.isArray(s.type)) return s.type.map((t) => typeOf({ type: t })).join(' or ');
  switch (s.type) {
    case 'string':
      if (typeof s.pattern === 'string' && s.pattern.includes(DURATION_PATTERN)) return 'duration';
      if (typeof s.pattern === 'string' && s.pattern.startsWith('^([A-Za-z][A-Za-z0-9+.-]*:')) return 'URL';
      return 'text';
    case 'number':
    case 'integer':
      return `${s.type === 'integer' ? 'integer' : 'number'}${bounds(s)}`;
    case 'boolean':
      return 'boolean';
    case 'array':
      return `list of ${typeOf((s.items ?? {}) as JsonSchema)}`;
    case 'object': {
      const values = s.additionalProperties;
      if (values && typeof values === 'object' && !s.properties) {
        const inner = values as JsonSchema;
        // A union's options are listed on the `<name>` row below; repeating them here only widens the table.
        if (inner.properties || inner.oneOf || inner.anyOf) return 'map of name → entry (below)';
        return `map of name → ${typeOf(inner)}`;
      }
      return 'map';
    }
    default:
      return 'any';
  }
}

function bounds(s: JsonSchema): string {
  const parts: string[] = [];
  const limit = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER;
  if (limit(s.exclusiveMinimum)) parts.push(`> ${s.exclusiveMinimum}`);
  if (limit(s.minimum)) parts.push(`≥ ${s.minimum}`);
  if (limit(s.exclusiveMaximum)) parts.push(`< ${s.exclusiveMaximum}`);
  if (limit(s.maximum)) parts.push(`≤ ${s.maximum}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

function defaultOf(s: JsonSchema): string {
  const d = s.default;
  if (d === undefined) return '';
  if (d && typeof d === 'object' && !Array.isArray(d)) return '';
  if (Array.isArray(d)) return `\`${d.join(', ')}\``;
  return `\`${String(d)}\``;
}
