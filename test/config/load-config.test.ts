import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ReleasebotError } from '../../src/errors/releasebot-error.js';
import { REPLAY_SPEC_CONFIG } from '../support/replay-spec-config.js';

const dir = mkdtempSync(join(tmpdir(), 'releasebot-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(text: string, env: Record<string, string> = {}): ReleasebotError {
  try {
    loadConfig({ file: 'releasebot.yaml', env, text });
  } catch (e) {
    if (e instanceof ReleasebotError) return e;
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('accepts the minimal config of the replay spec exactly as written', () => {
    const config = loadConfig({ file: write('replay.yaml', REPLAY_SPEC_CONFIG), env: {} });
    const webapp = config.services.webapp;
    expect(webapp.intervalMs).toBe(60_000);
    expect(webapp.stages.map((s) => [s.name, s.traffic, s.bakeMs])).toEqual([
      ['canary', 1, 600_000],
      ['ten', 10, 600_000],
      ['half', 50, 600_000],
      ['full', 100, 1_200_000],
    ]);
    expect(webapp.traffic).toEqual({
      all: 'http_requests_per_minute{service="webapp",cohort="all"}',
      canary: 'http_requests_per_minute{service="webapp",cohort="canary"}',
      baseline: 'http_requests_per_minute{service="webapp",cohort="baseline"}',
    });
    expect(webapp.checks).toEqual([
      {
        name: 'error-ratio',
        queries: {
          all: 'http_error_ratio{service="webapp",cohort="all"}',
          canary: 'http_error_ratio{service="webapp",cohort="canary"}',
          baseline: 'http_error_ratio{service="webapp",cohort="baseline"}',
        },
        direction: 'up',
        action: 'rollback',
        detectors: {},
      },
    ]);
    expect(webapp.deployer).toEqual({ type: 'none' });
    expect(config.file).toContain('replay.yaml');
  });

  it('loads the example config with its command deployer', () => {
    const file = new URL('../../examples/releasebot.yaml', import.meta.url).pathname;
    const env = { SLACK_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'signing', PROMETHEUS_TOKEN: 'prom-token' };
    const config = loadConfig({ file, env });
    expect(Object.keys(config.services)).toEqual(['webapp', 'api', 'worker']);
    expect(config.services.worker.deployer).toMatchObject({
      type: 'command',
      stage: './deploy/shift.sh {{service}} {{version}} {{traffic}}',
      timeout: 300_000,
    });
    expect(config.services.api.stages[0].gate).toMatchObject({
      http: { expectStatus: 200 },
      timeout: 30_000,
    });
    expect(config.notifiers.slack).toMatchObject({ type: 'slack', token: 'xoxb-test' });
    expect(config.services.webapp.checks.map((c) => c.name)).toEqual([
      'error-ratio',
      'p99-latency',
      'checkout-failures',
    ]);
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig({ file: 'r.yaml', env: {}, text: REPLAY_SPEC_CONFIG });
    expect(Object.isFrozen(config.services.webapp.stages[0])).toBe(true);
  });

  it('reads the file when no text is given and reports a missing file as CONFIG_NOT_FOUND', () => {
    const missing = join(dir, 'nope.yaml');
    let err: unknown;
    try {
      loadConfig({ file: missing, env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReleasebotError);
    expect(err).toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      details: [{ file: missing, message: 'no such file' }],
    });
    expect((err as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});

describe('${VAR} interpolation', () => {
  const base = (token: string): string => `notifiers:
  slack:
    type: slack
    token: ${token}
services:
  web:
    stages: [{ name: all, traffic: 100, bake: 1m }]
`;

  it('substitutes variables from the env passed in, inside longer strings too', () => {
    const text = base("'xoxb-${TEAM}-${SUFFIX}'");
    const config = loadConfig({ file: 'r.yaml', env: { TEAM: 't1', SUFFIX: 'abc' }, text });
    expect(config.notifiers.slack).toMatchObject({ token: 'xoxb-t1-abc' });
  });

  it('writes a literal ${ for $${', () => {
    const config = loadConfig({ file: 'r.yaml', env: { A: 'x' }, text: base("'$${A}-${A}'") });
    expect(config.notifiers.slack).toMatchObject({ token: '${A}-x' });
  });

  it('does not read process.env', () => {
    process.env.RELEASEBOT_TEST_ONLY_IN_PROCESS_ENV = 'leaked';
    try {
      const err = loadError(base('${RELEASEBOT_TEST_ONLY_IN_PROCESS_ENV}'));
      expect(err.code).toBe('CONFIG_ENV_MISSING');
    } finally {
      delete process.env.RELEASEBOT_TEST_ONLY_IN_PROCESS_ENV;
    }
  });

  it('reports every missing variable with where it is used, as CONFIG_ENV_MISSING', () => {
    const text = `notifiers:
  slack:
    type: slack
    token: \${SLACK_TOKEN}
  hook:
    type: webhook
    url: https://hooks.example.com/\${HOOK_PATH}
services:
  web:
    stages: [{ name: all, traffic: 100, bake: 1m }]
`;
    const err = loadError(text);
    expect(err.code).toBe('CONFIG_ENV_MISSING');
    expect(err.details).toEqual([
      {
        file: 'releasebot.yaml',
        line: 4,
        column: 12,
        path: 'notifiers.slack.token',
        message: 'environment variable SLACK_TOKEN is not set (used in notifiers.slack.token)',
      },
      {
        file: 'releasebot.yaml',
        line: 7,
        column: 36,
        path: 'notifiers.hook.url',
        message: 'environment variable HOOK_PATH is not set (used in notifiers.hook.url)',
      },
    ]);
    expect(err.message).toContain('SLACK_TOKEN');
  });

  it('never shows an interpolated secret in a message', () => {
    const secret = 'hunter2-very-secret';
    const text = `notifiers:
  hook:
    type: webhook
    url: \${HOOK_URL}
    secret: \${HOOK_SECRET}
services:
  web:
    stages: [{ name: '\${STAGE_NAME}', traffic: 100, bake: 1m }]
    source: \${HOOK_SECRET}
`;
    const err = loadError(text, { HOOK_URL: secret, HOOK_SECRET: secret, STAGE_NAME: `bad name ${secret}` });
    const everything = JSON.stringify(err.details) + err.message;
    expect(everything).not.toContain(secret);
    expect(err.details.find((d) => d.path === 'notifiers.hook.url')?.message).toBe(
      'expected a URL such as https://example.com/path, got "${HOOK_URL}"',
    );
    expect(err.details.find((d) => d.path === 'services.web.source')?.message).toContain('${HOOK_SECRET}');
  });

  it('reports a malformed reference and how to write a literal', () => {
    const err = loadError(base("'${not valid}'"));
    expect(err.details).toEqual([
      expect.objectContaining({
        line: 4,
        column: 13,
        path: 'notifiers.slack.token',
        message:
          '`${` starts an environment variable reference such as ${SLACK_TOKEN}; write `$${` for a literal `${`',
      }),
    ]);
  });

  it('explains that references inside flow collections need quotes', () => {
    const text = `services:
  web:
    stages: [{ name: \${STAGE}, traffic: 100, bake: 1m }]
`;
    const err = loadError(text, { STAGE: 'all' });
    expect(err.code).toBe('CONFIG_PARSE');
    expect(err.details).toHaveLength(1);
    expect(err.details[0]).toMatchObject({ line: 3 });
    expect(err.details[0].message).toContain("put values that use ${VAR} in quotes: '${VAR}'");
  });

  it('leaves keys and comments alone', () => {
    const text = `# \${NOT_SET} in a comment
services:
  web:
    stages: [{ name: all, traffic: 100, bake: 1m }]
    params: { "\${literal}": x }
`;
    const config = loadConfig({ file: 'r.yaml', env: {}, text });
    expect(config.services.web.stages).toHaveLength(1);
  });
});

describe('the README example file', () => {
  it('is the one the JSON Schema test validates', () => {
    expect(readFileSync(new URL('../../examples/releasebot.yaml', import.meta.url), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/schema\/releasebot\.schema\.json/,
    );
  });
});
