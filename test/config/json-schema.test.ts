import { readFileSync } from 'node:fs';
// ajv comes with fastify: an independent JSON Schema implementation to test the schema against.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { REPLAY_SPEC_CONFIG } from '../support/replay-spec-config.js';

// strictRequired/allowUnionTypes: ajv's own lint rules, stricter than JSON Schema (which allows both).
// Strict mode also fails on any `format` ajv does not know: the schema must not rely on formats editors may skip.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const schema = configJsonSchema();
const validate = ajv.compile(schema);

function errors(yaml: string): string[] {
  return validate(parse(yaml)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const stage = '[{ name: all, traffic: 100, bake: 1m }]';

describe('configJsonSchema', () => {
  it('accepts the example config and the replay spec config', () => {
    const example = readFileSync(new URL('../../examples/releasebot.yaml', import.meta.url), 'utf8');
    expect(errors(example)).toEqual([]);
    expect(errors(REPLAY_SPEC_CONFIG)).toEqual([]);
  });

  it('rejects unknown keys, bad durations and out-of-range traffic like the loader', () => {
    expect(errors(`services:\n  web:\n    stagse: ${stage}`)).toContain(
      '/services/web must NOT have additional properties',
    );
    expect(
      errors('services:\n  web:\n    stages: [{ name: a, traffic: 100, bake: 10 minutes }]').join(),
    ).toContain('/services/web/stages/0/bake must match pattern');
    expect(errors('services:\n  web:\n    stages: [{ name: a, traffic: 120, bake: 1m }]')).toEqual([
      '/services/web/stages/0/traffic must be <= 100',
    ]);
  });

  it('accepts ${VAR} where the loader substitutes it, in URLs and durations', () => {
    const text = `notifiers:
  hook: { type: slack-webhook, url: '\${SLACK_WEBHOOK_URL}' }
services:
  web:
    interval: \${INTERVAL}
    stages: ${stage}`;
    expect(errors(text)).toEqual([]);
    expect(
      errors('notifiers:\n  hook: { type: slack-webhook, url: not-a-url }\nservices: {}').length,
    ).toBeGreaterThan(0);
  });

  it('states what zod checks in refinements: a gate has exactly one of command or http', () => {
    const gate = (g: string): string =>
      `services:\n  web:\n    stages: [{ name: a, traffic: 100, bake: 1m, gate: ${g} }]`;
    expect(errors(gate('{ command: ./smoke.sh }'))).toEqual([]);
    expect(errors(gate("{ http: { url: 'https://x.example/health' } }"))).toEqual([]);
    expect(errors(gate("{ command: ./smoke.sh, http: { url: 'https://x.example/health' } }"))).not.toEqual(
      [],
    );
    expect(errors(gate('{ timeout: 1m }'))).not.toEqual([]);
  });

  it('shows defaults as they are written, durations as text', () => {
    const defs = schema.$defs as Record<string, { properties: Record<string, { default?: unknown }> }>;
    expect(defs.CommandDeployer.properties.timeout.default).toBe('5m');
    expect(defs.Gate.properties.timeout.default).toBe('2m');
    expect(defs.WebhookDeployer.properties.retries.default).toBe(3);
  });

  it('describes every key for editor hovers', () => {
    const defs = schema.$defs as Record<string, { properties: Record<string, { description?: string }> }>;
    expect(defs.Stage.properties.bake.description).toBe(
      'How long the stage runs with its checks passing before the deploy moves on.',
    );
    expect(schema.title).toBe('releasebot.yaml');
  });
});
