import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDecimalBytes, parseTimestamp, runDetect } from '../../src/cli/detect-command.js';
import { rng } from './synthetic.js';

async function detect(
  input: string,
  args: { direction?: 'up' | 'down' | 'both'; output?: string; input?: string } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runDetect({ ...args, stdin: Readable.from([Buffer.from(input)]), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

function csv(n: number, seed = 1, spikeAt = -1): string {
  const r = rng(seed);
  const rows = ['timestamp,value'];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2024, 0, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
    const v = 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + r.normal() + (i === spikeAt ? 40 : 0);
    rows.push(`${t},${v.toFixed(3)}`);
  }
  return rows.join('\n') + '\n';
}

describe('releasebot detect', () => {
  it('writes the header and one row per input row, in order, scores in [0, 1]', async () => {
    const input = csv(1500, 1, 1200);
    const { code, stdout, stderr } = await detect(input);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    const inRows = input.trimEnd().split('\n').slice(1);
    expect(lines).toHaveLength(inRows.length + 1);
    lines.slice(1).forEach((l, i) => {
      const parts = l.split(',');
      expect(`${parts[0]},${parts[1]}`).toBe(inRows[i]);
      const s = Number(parts[2]);
      expect(s >= 0 && s <= 1).toBe(true);
    });
    expect(Number(lines[1201].split(',')[2])).toBeGreaterThan(0.8);
  });

  it('is causal: the scores of a prefix do not change when rows follow', async () => {
    const input = csv(1500, 2, 1000);
    const full = (await detect(input)).stdout.split('\n');
    const prefixInput = input.split('\n').slice(0, 801).join('\n') + '\n';
    const prefix = (await detect(prefixInput)).stdout.trimEnd().split('\n');
    expect(prefix).toEqual(full.slice(0, 801));
  });

  it('accepts ISO-8601 timestamps, CRLF, quotes, blank lines and other column orders', async () => {
    const iso = await detect(
      'value,timestamp\r\n1.5,"2024-01-01T00:00:00Z"\r\n\r\n2,2024-01-01T00:05:00.250+00:00\r\n',
    );
    expect(iso.code).toBe(0);
    expect(iso.stdout).toBe(
      'timestamp,value,anomaly_score\n2024-01-01T00:00:00Z,1.5,0\n2024-01-01T00:05:00.250+00:00,2,0\n',
    );
    expect(parseTimestamp('2024-01-01 00:05:00')).toBe(Date.UTC(2024, 0, 1, 0, 5));
    expect(parseTimestamp('2024-01-01T00:05:00+01:00')).toBe(Date.UTC(2023, 11, 31, 23, 5));
    expect(Number.isNaN(parseTimestamp('yesterday'))).toBe(true);
  });

  it('reads plain decimals exactly as Number() does, and leaves the rest to it', () => {
    const r = rng(9);
    const cases = ['1', '-1', '0.001', '12.5', '007.50', '.5', '5.', '-0', '+2.5', '3.14159265358979'];
    for (let i = 0; i < 2000; i++)
      cases.push((r.u() * 10 ** (r.u() * 12 - 6) * (r.u() < 0.5 ? -1 : 1)).toFixed(Math.floor(r.u() * 8)));
    for (const c of cases) {
      const b = Buffer.from(c);
      expect(Object.is(parseDecimalBytes(b, 0, b.length), Number(c)), c).toBe(true);
    }
    for (const c of ['1e3', '-', '', 'abc', '1.2.3', '12345678901234567']) {
      const b = Buffer.from(c);
      expect(Number.isNaN(parseDecimalBytes(b, 0, b.length)), c).toBe(true);
    }
  });

  it('does not crash on repeated or out-of-order timestamps', async () => {
    const { code, stdout } = await detect(
      'timestamp,value\n2024-01-01 00:05:00,1\n2024-01-01 00:05:00,2\n2024-01-01 00:00:00,3\n',
    );
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(4);
  });

  it('exits 1 naming the line on bad input, with nothing on stdout', async () => {
    const cases: Array<[string, RegExp]> = [
      ['', /stdin:1: empty input/],
      ['\n\n', /stdin:2: empty input/],
      ['time,val\n2024-01-01 00:00:00,1\n', /stdin:1: expected the header timestamp,value/],
      [
        'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n',
        /stdin:3: value "abc" is not a number/,
      ],
      ['timestamp,value\n2024-01-01 00:00:00,\n', /stdin:2: value "" is not a number/],
      ['timestamp,value\n2024-01-01 00:00:00,NaN\n', /stdin:2: value "NaN" is not a number/],
      ['timestamp,value\nnot a time,1\n', /stdin:2: bad timestamp "not a time"/],
    ];
    for (const [input, message] of cases) {
      const r = await detect(input);
      expect(r.code, input).toBe(1);
      expect(r.stdout, input).toBe('');
      expect(r.stderr, input).toMatch(message);
    }
  });

  it('reads and writes files, and writes nothing when the input is bad', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detect-'));
    const input = join(dir, 'in.csv');
    const output = join(dir, 'out.csv');
    writeFileSync(input, csv(50));
    expect((await detect('', { input, output, direction: 'up' })).code).toBe(0);
    expect(readFileSync(output, 'utf8').split('\n')[0]).toBe('timestamp,value,anomaly_score');
    writeFileSync(input, 'timestamp,value\n2024-01-01 00:00:00,x\n');
    const bad = await detect('', { input, output: join(dir, 'never.csv') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${input}:2:`);
    expect(() => readFileSync(join(dir, 'never.csv'))).toThrow();
    const missing = await detect('', { input: join(dir, 'nope.csv') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });
});
