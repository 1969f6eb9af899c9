import { z } from 'zod';
import { formatDuration } from '../time/duration.js';
import { checkSchema, checkTemplateSchema } from './check-schema.js';
import { configDescriptions } from './config-descriptions.js';
import { deployerSchema } from './deployer-schema.js';
import { DURATION_PATTERN } from './duration-schema.js';
import { notifierSchema } from './notifier-schema.js';
import {
  configSchema,
  deployWindowSchema,
  gateSchema,
  serviceSchema,
  stageSchema,
  teamSchema,
  trafficSchema,
} from './schema.js';
import { unionOptions } from './schema-walk.js';
import { prometheusSourceSchema, sourceSchema } from './source-schema.js';

/** A JSON Schema document (draft 2020-12), as plain JSON. */
export type JsonSchema = { [key: string]: unknown };

/**
 * Sections of the config, each a `$defs` entry and a table in the reference. The options of the deployer,
 * source and notifier unions are named from their `type` (`slack-webhook` → `SlackWebhookNotifier`), so a new
 * option gets its section without a change here.
 */
export function configSections(): Array<[string, z.core.$ZodType]> {
  return [
    ['Service', serviceSchema],
    ['Stage', stageSchema],
    ['Gate', gateSchema],
    ['Traffic', trafficSchema],
    ['DeployWindow', deployWindowSchema],
    ['Team', teamSchema],
    ['Check', checkSchema],
    ['CheckTemplate', checkTemplateSchema],
    ['Deployer', deployerSchema],
    ...unionSections(deployerSchema, 'Deployer'),
    ...unionSections(sourceSchema, 'Source'),
    ...unionSections(notifierSchema, 'Notifier'),
  ];
}

function unionSections(union: z.core.$ZodType, suffix: string): Array<[string, z.core.$ZodType]> {
  const u = unionOptions(union);
  if (!u?.discriminator) return [];
  return u.options.map((option) => {
    const tag = (option._zod.def as z.core.$ZodObjectDef).shape[u.discriminator!];
    const value = String((tag._zod.def as z.core.$ZodLiteralDef<string>).values[0]);
    const name = value
      .split(/[^A-Za-z0-9]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
    return [`${name}${suffix}`, option] as [string, z.core.$ZodType];
  });
}

/** The root section's name in `configDescriptions`. */
export const ROOT_SECTION = 'Config';

const ENV_REFERENCE = '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';

/**
 * The JSON Schema of releasebot.yaml as the user writes it (durations as text, defaults as written), for
 * editor completion and validation. Beyond zod's conversion it: shows duration defaults as text; states the
 * gate's one-of and Prometheus's either/or that zod expresses as refinements; lets any constrained text value
 * be a `${VAR}` reference instead (the loader substitutes those); and adds a description to every key.
 */
export function configJsonSchema(): JsonSchema {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of configSections()) registry.add(schema, { id });
  const json = z.toJSONSchema(configSchema, {
    io: 'input',
    metadata: registry,
    override: (ctx) => {
      const js = ctx.jsonSchema as JsonSchema;
      const def = ctx.zodSchema._zod.def;
      if (def.type === 'default' && js.default === undefined) {
        js.default = inputDefault((def as z.core.$ZodDefaultDef).defaultValue, js);
      }
      if (ctx.zodSchema === gateSchema) js.oneOf = [{ required: ['command'] }, { required: ['http'] }];
      if (ctx.zodSchema === prometheusSourceSchema) js.not = { required: ['bearerToken', 'username'] };
      if (!ctx.path.includes('propertyNames')) allowEnvReference(js);
      const own = z.globalRegistry.get(ctx.zodSchema)?.description;
      if (own && !js.description) js.description = own;
    },
  }) as JsonSchema;
  addDescriptions(json);
  return {
    $schema: json.$schema,
    title: 'releasebot.yaml',
    description: configDescriptions[ROOT_SECTION]?.[''] ?? '',
    ...json,
  };
}

/** A default as the user would write it: durations (numbers behind a text input) back to `10m`. */
function inputDefault(value: unknown, js: JsonSchema): unknown {
  if (typeof value === 'number' && js.type === 'string') return formatDuration(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const props = (js.properties ?? {}) as Record<string, JsonSchema>;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, props[k] ? inputDefault(v, props[k]) : v]),
    );
  }
  return value;
}

/**
 * `format: uri` and the duration pattern would flag `${HOOK_URL}` or `${BAKE}` in an editor although the
 * loader accepts them; a `${VAR}` reference is allowed there instead.
 */
function allowEnvReference(js: JsonSchema): void {
  if (js.type !== 'string') return;
  if (js.format === 'uri') {
    delete js.format;
    js.pattern = `^([A-Za-z][A-Za-z0-9+.-]*:\\S+|.*${ENV_REFERENCE}.*)$`;
  } else if (js.pattern === DURATION_PATTERN) {
    js.pattern = `(${DURATION_PATTERN})|${ENV_REFERENCE}`;
  }
}

/** Puts each key's description from `configDescriptions` into the schema, where the schema has none. */
function addDescriptions(json: JsonSchema): void {
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  const sections: Array<[string, JsonSchema]> = [[ROOT_SECTION, json], ...Object.entries(defs)];
  for (const [section, schema] of sections) {
    const texts = configDescriptions[section] ?? {};
    if (texts[''] && !schema.description) schema.description = texts[''];
    for (const key of sectionKeys(schema)) {
      if (texts[key.path] && !key.schema.description) key.schema.description = texts[key.path];
    }
  }
}

/** A key of a section, with its dotted path inside the section (`http.method`, `operators.<name>`). */
export interface SectionKey {
  path: string;
  schema: JsonSchema;
  required: boolean;
}

/**
 * Every key a section accepts, walking into inline maps (not into other sections, which are `$ref`s).
 * The reference docs and the coverage test both use it, so neither can miss a key.
 */
export function sectionKeys(schema: JsonSchema, prefix = ''): SectionKey[] {
  const keys: SectionKey[] = [];
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  for (const [name, prop] of Object.entries(props)) {
    const path = `${prefix}${name}`;
    keys.push({ path, schema: prop, required: required.has(name) });
    keys.push(...nestedKeys(prop, path));
  }
  return keys;
}

function nestedKeys(prop: JsonSchema, path: string): SectionKey[] {
  if (prop.$ref) return [];
  const options = (prop.anyOf ?? prop.oneOf) as JsonSchema[] | undefined;
  if (options) return options.flatMap((o) => nestedKeys(o, path));
  if (prop.properties) return sectionKeys(prop, `${path}.`);
  const values = prop.additionalProperties as JsonSchema | boolean | undefined;
  if (values && typeof values === 'object' && (values.properties || values.anyOf || values.oneOf)) {
    const entry = `${path}.<name>`;
    return [{ path: entry, schema: values, required: false }, ...nestedKeys(values, entry)];
  }
  const items = prop.items as JsonSchema | undefined;
  if (items && typeof items === 'object' && items.properties) return sectionKeys(items, `${path}[].`);
  return [];
}
