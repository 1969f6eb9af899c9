import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ReleasebotError, type ErrorDetail } from '../../src/errors/releasebot-error.js';

/** The error a config text is rejected with; fails the test when it loads. */
function rejected(text: string, env: Record<string, string> = {}): ReleasebotError {
  try {
    loadConfig({ file: 'releasebot.yaml', env, text });
  } catch (e) {
    if (e instanceof ReleasebotError) return e;
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

/** `line:column path: message` per problem, the way a user reads them. */
function problems(text: string, env: Record<string, string> = {}): string[] {
  return rejected(text, env).details.map(show);
}

function show(d: ErrorDetail): string {
  expect(d.file).toBe('releasebot.yaml');
  return `${d.line}:${d.column} ${d.path ?? ''}: ${d.message}`;
}

const STAGES = `    stages:
      - { name: canary, traffic: 10, bake: 10m }
      - { name: full, traffic: 100, bake: 20m }
`;

describe('config errors point at file:line:column and say what was expected', () => {
  it('malformed YAML is CONFIG_PARSE at the broken place', () => {
    const err = rejected('services:\n  web:\n    stages: [1, 2\n  api: {}\n');
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.details.map(show)).toEqual([
      '4:3 : invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('a tab used for indentation', () => {
    const err = rejected('services:\n\tweb: {}\n');
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.details[0]).toMatchObject({ line: 2, column: 1 });
  });

  it('an unknown key points at the key and suggests the closest accepted one', () => {
    // Not also "a service needs `stages`": that would only repeat the typo.
    expect(problems(`services:\n  web:\n    stagse:\n      - { name: a, traffic: 100, bake: 1m }\n`)).toEqual(
      ['3:5 services.web.stagse: unknown key `stagse`; did you mean `stages`?'],
    );
  });

  it('an unknown key with nothing close lists the accepted keys, taken from the schema', () => {
    const text = `services:\n  web:\n${STAGES}    deployer: { type: webhook, url: 'https://x.example', colour: red }\n`;
    expect(problems(text)).toEqual([
      '6:58 services.web.deployer.colour: unknown key `colour`; expected one of `type`, `url`, `secret`, `headers`, `timeout`, `retries`',
    ]);
  });

  it('a wrong type says what was expected and what was written', () => {
    const text = 'services:\n  web:\n    stages:\n      - { name: a, traffic: ten, bake: 1m }\n';
    expect(problems(text)).toEqual([
      '4:29 services.web.stages[0].traffic: expected a number of percent, e.g. 10, got "ten"',
    ]);
  });

  it('a duration in words', () => {
    const text = `services:\n  web:\n    interval: 10 minutes\n${STAGES}`;
    expect(problems(text)).toEqual([
      '3:15 services.web.interval: expected a duration such as 90s, 10m, 2h or 4w, got "10 minutes"',
    ]);
  });

  it('traffic that does not rise from stage to stage', () => {
    const text = `services:
  web:
    stages:
      - { name: a, traffic: 10, bake: 1m }
      - { name: b, traffic: 50, bake: 1m }
      - { name: c, traffic: 20, bake: 1m }
`;
    expect(problems(text)).toEqual([
      '6:29 services.web.stages[2].traffic: traffic must rise from stage to stage: 20% after 50% ("b")',
    ]);
  });

  it('a bake of zero, and traffic above 100', () => {
    const text = 'services:\n  web:\n    stages:\n      - name: a\n        traffic: 120\n        bake: 0s\n';
    expect(problems(text)).toEqual([
      '5:18 services.web.stages[0].traffic: expected a percentage of at most 100, got 120',
      '6:15 services.web.stages[0].bake: expected a duration longer than 0, e.g. 10m, got "0s"',
    ]);
  });

  it('an unknown template and an unknown source, with suggestions', () => {
    const text = `sources:
  prom: { type: prometheus, url: 'http://prometheus:9090' }
templates:
  error-ratio: { query: 'errors{service="{{service}}"}' }
services:
  web:
    source: prometheus
${STAGES}    checks:
      - { name: errors, use: error-rate }
`;
    expect(problems(text)).toEqual([
      '7:13 services.web.source: unknown source "prometheus" (defined: builtin, prom)',
      '12:30 services.web.checks[0].use: unknown template "error-rate"; did you mean "error-ratio"? (defined: error-ratio)',
    ]);
  });

  it('a missing environment variable', () => {
    const text = `services:\n  web:\n${STAGES}    deployer: { type: webhook, url: 'https://x.example', secret: '\${HOOK_SECRET}' }\n`;
    const err = rejected(text);
    expect(err.code).toBe('CONFIG_ENV_MISSING');
    expect(err.details.map(show)).toEqual([
      '6:67 services.web.deployer.secret: environment variable HOOK_SECRET is not set (used in services.web.deployer.secret)',
    ]);
  });

  it('duplicate stage names', () => {
    const text = `services:
  web:
    stages:
      - { name: canary, traffic: 10, bake: 1m }
      - { name: canary, traffic: 100, bake: 1m }
`;
    expect(problems(text)).toEqual([
      '5:17 services.web.stages[1].name: duplicate stage name "canary" (also stage 1); stage names must be unique',
    ]);
  });

  it('a key written twice in one map', () => {
    const text = `services:\n  web:\n    interval: 1m\n${STAGES}    interval: 2m\n`;
    expect(problems(text)).toEqual([
      '7:5 services.web.interval: duplicate key `interval` (first written at line 3); keep only one',
    ]);
  });

  it('a missing required key points at the map that lacks it', () => {
    const text = 'services:\n  web:\n    stages:\n      - name: a\n        traffic: 100\n';
    expect(problems(text)).toEqual([
      '4:9 services.web.stages[0].bake: missing required key `bake` (expected a duration such as 90s, 10m, 2h or 4w)',
    ]);
  });

  it('an unknown deployer type, a misspelt placeholder and an unknown enum value', () => {
    const text = `services:
  web:
${STAGES}    queue: lifo
    deployer: { type: comand, stage: x, rollback: y }
  api:
${STAGES}    deployer: { type: command, stage: 'deploy {{verison}}', rollback: 'undo {{service}}' }
`;
    expect(problems(text)).toEqual([
      '6:12 services.web.queue: expected one of "fifo", "latest", got "lifo"; did you mean "fifo"?',
      '7:23 services.web.deployer.type: unknown type "comand"; did you mean "command"? (expected one of command, webhook, kubernetes, none)',
      '12:39 services.api.deployer.stage: unknown placeholder {{verison}}; did you mean {{version}}? ' +
        '(one of {{service}}, {{version}}, {{previousVersion}}, {{traffic}}, {{stage}}, {{deployId}}, {{idempotencyKey}}), ' +
        'got "deploy {{verison}}"',
    ]);
  });

  it('an empty file, and a file without services', () => {
    expect(problems('')).toEqual([
      '1:1 : expected a mapping with at least `services:` at the top level, got an empty file',
    ]);
    expect(problems('servics:\n  web: {}\n')).toEqual([
      '1:1 servics: unknown key `servics`; did you mean `services`?',
    ]);
    expect(problems('server: {}\n')).toEqual(['1:1 services: missing required key `services`']);
  });

  it('points at where a value shared through an anchor and a merge key is written', () => {
    const text = `services:
  web: &web
    interval: 1 m
    stages: [{ name: a, traffic: 100, bake: 1m }]
  api:
    <<: *web
    queue: fifo
`;
    expect(problems(text)).toEqual([
      '3:15 services.web.interval: expected a duration such as 90s, 10m, 2h or 4w, got "1 m"',
      '3:15 services.api.interval: expected a duration such as 90s, 10m, 2h or 4w, got "1 m"',
    ]);
  });

  it('finds keys of services whose names contain dots', () => {
    const text = `services:
  web.v2:
    stages:
      - { name: a, traffic: 50, bake: 1m }
      - { name: b, traffic: 50, bake: 1m }
`;
    expect(problems(text)).toEqual([
      '5:29 services.web.v2.stages[1].traffic: traffic must rise from stage to stage: 50% after 50% ("a")',
    ]);
  });

  it('reports every problem at once, schema and cross-section ones together, in file order', () => {
    const text = `server:
  port: 70000
services:
  web:
    stagse: []
    source: nowhere
    stages:
      - { name: a, traffic: 50, bake: 1m }
      - { name: b, traffic: 20, bake: 1m }
  api:
    interval: 10 minutes
${STAGES}`;
    const err = rejected(text);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.details.map(show)).toEqual([
      '2:9 server.port: expected a number of at most 65535, got 70000',
      '5:5 services.web.stagse: unknown key `stagse`; did you mean `stages`?',
      '6:13 services.web.source: unknown source "nowhere" (defined: builtin)',
      '9:29 services.web.stages[1].traffic: traffic must rise from stage to stage: 20% after 50% ("a")',
      '11:15 services.api.interval: expected a duration such as 90s, 10m, 2h or 4w, got "10 minutes"',
    ]);
    expect(err.message).toBe(
      'Config is invalid: releasebot.yaml:2:9: server.port: expected a number of at most 65535, got 70000 (and 4 more)',
    );
  });
});
