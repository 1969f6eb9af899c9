import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCommand, shellQuote } from '../../src/deployers/command/render-command.js';
import { runProcess } from '../../src/process/run-process.js';

const dir = mkdtempSync(join(tmpdir(), 'releasebot-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the rendered command in a real shell; each argument printf gets comes back on its own line. */
async function argsOf(template: string, vars: Record<string, string>): Promise<string[]> {
  const r = await runProcess({
    command: renderCommand(template, vars),
    cwd: dir,
    env: { PATH: process.env.PATH },
    timeoutMs: 10_000,
  });
  expect(r.exitCode, r.output).toBe(0);
  return r.output.split('\0').slice(0, -1);
}

const hostile = [
  'v1;touch pwned-semicolon',
  '$(touch pwned-subshell)',
  '`touch pwned-backtick`',
  "it's",
  '"double" \\ back',
  'two words',
  '',
  'line1\nline2',
  '*',
];

describe('renderCommand', () => {
  it.each(hostile)(
    'passes %j as one literal argument, bare, in single and in double quotes',
    async (value) => {
      const vars = { version: value, service: 'web' };
      expect(await argsOf("printf '%s\\0' {{version}} {{service}}", vars)).toEqual([value, 'web']);
      expect(await argsOf("printf '%s\\0' 'v={{version}}'", vars)).toEqual([`v=${value}`]);
      expect(await argsOf('printf \'%s\\0\' "v={{version}} s={{service}}"', vars)).toEqual([
        `v=${value} s=web`,
      ]);
      expect(existsSync(join(dir, 'pwned-semicolon'))).toBe(false);
      expect(existsSync(join(dir, 'pwned-subshell'))).toBe(false);
      expect(existsSync(join(dir, 'pwned-backtick'))).toBe(false);
    },
  );

  it('leaves plain values readable and unknown placeholders as written', () => {
    expect(
      renderCommand('deploy {{service}} {{version}} {{nope}}', { service: 'web', version: 'v1.2.3' }),
    ).toBe('deploy web v1.2.3 {{nope}}');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it('tracks quotes across escaped quote characters', async () => {
    const vars = { version: '$(touch pwned-escaped)' };
    expect(await argsOf('printf \'%s\\0\' "a\\"b {{version}}"', vars)).toEqual([
      'a"b $(touch pwned-escaped)',
    ]);
    expect(existsSync(join(dir, 'pwned-escaped'))).toBe(false);
  });
});
