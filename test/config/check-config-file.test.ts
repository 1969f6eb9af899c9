import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFile } from '../../src/config/check-config-file.js';
import { formatProblems } from '../../src/config/format-problems.js';

const dir = mkdtempSync(join(tmpdir(), 'releasebot-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('checkConfigFile', () => {
  it('summarises a valid file', () => {
    const file = write(
      'ok.yaml',
      `services:
  web:
    stages: [{ name: a, traffic: 10, bake: 1m }, { name: b, traffic: 100, bake: 1m }]
    checks: [{ name: errors, query: 'errors{service="web"}' }]
  api:
    stages: [{ name: all, traffic: 100, bake: 1m }]
`,
    );
    const report = checkConfigFile(file, {});
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.summary).toBe(`${file}: OK: 2 services (web, api), 3 stages, 1 check`);
    expect(report.config?.services.web.stages).toHaveLength(2);
  });

  it('lists every problem without throwing', () => {
    const file = write('bad.yaml', 'services:\n  web:\n    stagse: []\n    interval: 5 minutes\n');
    const report = checkConfigFile(file, {});
    expect(report.ok).toBe(false);
    expect(report.summary).toBe(`${file}: 2 problems`);
    expect(report.problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      '3:5 services.web.stagse',
      '4:15 services.web.interval',
    ]);
  });

  it('reports a missing file as a problem', () => {
    const file = join(dir, 'missing.yaml');
    const report = checkConfigFile(file, {});
    expect(report).toMatchObject({ ok: false, problems: [{ file, message: 'no such file' }] });
    expect(report.summary).toBe(`Config file ${file}: no such file`);
  });
});

describe('formatProblems', () => {
  it('prints file:line:column, the key and the message, with the line and a caret', () => {
    const source = 'services:\n  web:\n    interval: 5 minutes\n';
    const text = formatProblems(
      [
        {
          file: 'r.yaml',
          line: 3,
          column: 15,
          path: 'services.web.interval',
          message: 'expected a duration',
        },
      ],
      { source },
    );
    expect(text).toBe(
      [
        'r.yaml:3:15: services.web.interval: expected a duration',
        '    3 |     interval: 5 minutes',
        '      |               ^',
      ].join('\n'),
    );
  });

  it('does not echo lines that may hold a secret', () => {
    const source = 'notifiers:\n  s:\n    type: slack\n    token: 12345\n';
    const text = formatProblems(
      [{ file: 'r.yaml', line: 4, column: 12, path: 'notifiers.s.token', message: 'x' }],
      {
        source,
      },
    );
    expect(text).toBe('r.yaml:4:12: notifiers.s.token: x');
  });

  it('colours for terminals only when asked', () => {
    const problem = { file: 'r.yaml', line: 1, column: 1, message: 'm' };
    expect(formatProblems([problem])).toBe('r.yaml:1:1: m');
    expect(formatProblems([problem], { color: true })).toContain('\u001b[1mr.yaml:1:1: \u001b[0m');
  });
});
