import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/cli-io.js';
import { syntheticScenario } from '../support/synthetic-scenario.js';

describe('releasebot replay (spec/replay.md)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-replay-'));
    const s = syntheticScenario({
      seed: 7,
      historyDays: 2,
      start: Date.UTC(2025, 2, 3, 10, 0),
      deploys: [
        { id: 'd0001', errorFactor: 1 },
        { id: 'd0002', errorFactor: 25 },
        { id: 'd0003', errorFactor: 1 },
      ],
    });
    writeFileSync(join(dir, 'metrics.om'), s.metrics);
    writeFileSync(join(dir, 'deploys.json'), s.deploys);
    writeFileSync(join(dir, 'releasebot.yaml'), s.config);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const replay = async (...extra: string[]) => {
    const c = captureIo(dir);
    const code = await runCli(
      [
        'replay',
        '--config',
        'releasebot.yaml',
        '--metrics',
        'metrics.om',
        '--deploys',
        'deploys.json',
        ...extra,
      ],
      c.io,
    );
    return { code, out: c.out(), err: c.err() };
  };

  it('replays through the real engine: the bad deploy is rolled back at the canary with its evidence, the others promoted', async () => {
    const { code, out, err } = await replay();
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(
      result.deploys.map((d: { id: string; outcome: string; stage: string }) => [d.id, d.outcome, d.stage]),
    ).toEqual([
      ['d0001', 'promoted', 'full'],
      ['d0002', 'rolled_back', 'canary'],
      ['d0003', 'promoted', 'full'],
    ]);
    const bad = result.deploys[1];
    expect(bad.reason).toMatch(/^error-ratio: canary .* vs baseline /);
    expect(bad.checks).toEqual([{ name: 'error-ratio', verdict: 'breach', action: 'rollback' }]);
    // decidedAt is the simulated time of the decision, on the minute grid, inside the canary stage.
    const started = Date.parse('2025-03-03T10:30:00Z');
    const decided = Date.parse(bad.decidedAt);
    expect(decided % 60_000).toBe(0);
    expect(decided - started).toBeGreaterThan(0);
    expect(decided - started).toBeLessThanOrEqual(5 * 60_000);
    expect(result.deploys[0]).toMatchObject({
      decidedAt: '2025-03-03T10:20:00Z',
      reason: 'all checks passed',
    });
  });

  it('is deterministic: the same inputs give byte-identical output, also with --out', async () => {
    const a = await replay();
    await replay('--out', 'out.json');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(a.out);
  });

  it('exits 1 naming the file and line of a malformed metrics line, and prints nothing on stdout', async () => {
    const text = readFileSync(join(dir, 'metrics.om'), 'utf8').split('\n');
    text.splice(5, 0, 'http_error_ratio{service="webapp",cohort="all"} not-a-number 1740900000');
    writeFileSync(join(dir, 'bad.om'), text.join('\n'));
    const c = captureIo(dir);
    const code = await runCli(
      ['replay', '--config', 'releasebot.yaml', '--metrics', 'bad.om', '--deploys', 'deploys.json'],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.out()).toBe('');
    expect(c.err()).toMatch(/METRICS_PARSE.*bad\.om:6/);
  });

  it('exits 1 naming the deploys file and what is wrong in it', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"service":"webapp","deploys":[{"id":"x","version":"v1"}]}');
    const c = captureIo(dir);
    const code = await runCli(
      ['replay', '--config', 'releasebot.yaml', '--metrics', 'metrics.om', '--deploys', 'bad.json'],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.out()).toBe('');
    expect(c.err()).toMatch(/INPUT_INVALID: .*bad\.json: deploys\.0\.startedAt/);
  });

  it('exits 1 naming the config file, line and key', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      readFileSync(join(dir, 'releasebot.yaml'), 'utf8').replace('bake: 5m', 'bake: 5 minutes'),
    );
    const c = captureIo(dir);
    const code = await runCli(
      ['replay', '--config', 'bad.yaml', '--metrics', 'metrics.om', '--deploys', 'deploys.json'],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.err()).toMatch(/CONFIG_INVALID: .*bad\.yaml:\d+:\d+: services\.webapp\.stages\[0\]\.bake/);
  });
});
