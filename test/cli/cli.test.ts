import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIo } from '../support/cli-io.js';

/**
 * Issue 2's "done when", from the CLI alone, on the embedded store (no server running): a config with a command
 * deployer, a version deployed through four stages with --wait, another rolled back, holds, status and tokens.
 */
describe('releasebot CLI on the local store', () => {
  let dir: string;
  const cli = async (...args: string[]) => {
    const c = captureIo(dir, { USER: 'alice' });
    const code = await runCli(args, c.io);
    return { code, out: c.out(), err: c.err() };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-cli-'));
    writeFileSync(
      join(dir, 'releasebot.yaml'),
      `services:
  webapp:
    team: web
    deployer:
      type: command
      stage: 'echo "{{service}} {{version}} -> {{traffic}}%" >> deploys.log'
      rollback: 'echo "{{service}} back to {{previousVersion}}" >> deploys.log'
    stages:
      - { name: canary, traffic: 1, bake: 1s }
      - { name: ten, traffic: 10, bake: 1s }
      - { name: half, traffic: 50, bake: 1s }
      - { name: full, traffic: 100, bake: 1s }
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks the config', async () => {
    expect(await cli('config', 'check')).toMatchObject({
      code: 0,
      out: expect.stringContaining('OK: 1 service (webapp), 4 stages'),
    });
  });

  it('deploys a version through four stages and waits for it (exit 0)', async () => {
    const r = await cli('deploy', 'webapp', 'v1', '--change', '#1:First (alice)', '--wait', '--no-git');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^webapp v1 promoted full 100%/);
    expect(r.err).toMatch(
      /running canary 1%[\s\S]*running ten 10%[\s\S]*running half 50%[\s\S]*running full 100%/,
    );
    expect(readFileSync(join(dir, 'deploys.log'), 'utf8').trim().split('\n')).toEqual([
      'webapp v1 -> 1%',
      'webapp v1 -> 10%',
      'webapp v1 -> 50%',
      'webapp v1 -> 100%',
    ]);
  }, 60_000);

  it('queues a deploy, holds and releases the service, rolls the deploy back from the CLI, and shows it', async () => {
    const queued = await cli('deploy', 'webapp', 'v2', '--change', '#2:Second (bob)', '--json', '--no-git');
    expect(queued.code).toBe(0);
    const d = JSON.parse(queued.out);
    expect(d).toMatchObject({
      service: 'webapp',
      version: 'v2',
      state: 'queued',
      changes: [{ id: '#2', title: 'Second', author: 'bob' }],
    });

    const hold = await cli('hold', 'webapp', '--reason', 'incident INC-1');
    expect(hold.code).toBe(0);
    const holds = JSON.parse((await cli('hold', '--list', '--json')).out);
    expect(holds).toMatchObject([
      { scope: 'service', target: 'webapp', reason: 'incident INC-1', actor: 'alice' },
    ]);
    expect((await cli('release', holds[0].id)).code).toBe(0);

    // A queued deploy cannot be rolled back (nothing shifted yet); it can be aborted instead.
    const early = await cli('rollback', 'webapp');
    expect(early).toMatchObject({ code: 1, err: expect.stringContaining('error DEPLOY_STATE') });
    const r = await cli('abort', d.id, '--reason', 'wrong build');
    expect(r).toMatchObject({ code: 0, out: expect.stringContaining('aborted') });

    const status = JSON.parse((await cli('status', 'webapp', '--json')).out);
    expect(status.service).toMatchObject({ name: 'webapp', currentVersion: 'v1', queued: 0 });
    expect(status.deploys.map((x: { version: string; state: string }) => `${x.version}:${x.state}`)).toEqual([
      'v2:aborted',
      'v1:promoted',
    ]);
  }, 60_000);

  it('rolls a running deploy back (exit 2 for the waiting CI job)', async () => {
    const wait = cli('deploy', 'webapp', 'v3', '--wait', '--no-git');
    // Roll it back while it bakes its first stages.
    for (let i = 0; i < 100; i++) {
      const s = JSON.parse((await cli('status', 'webapp', '--json')).out);
      if (s.service.active?.state === 'running' && s.service.active.stageIndex >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rb = await cli('rollback', 'webapp', '--reason', 'checkout errors');
    expect(rb).toMatchObject({ code: 0 });
    const w = await wait;
    expect(w.code).toBe(2);
    expect(w.out).toMatch(/webapp v3 rolled_back .*checkout errors/);
    expect(readFileSync(join(dir, 'deploys.log'), 'utf8')).toContain('webapp back to v1');
  }, 60_000);

  it('creates a token, printing its secret once', async () => {
    const t = await cli(
      'token',
      'create',
      '--name',
      'ci',
      '--scope',
      'deploy',
      '--service',
      'webapp',
      '--json',
    );
    expect(t.code).toBe(0);
    expect(JSON.parse(t.out)).toMatchObject({
      secret: expect.stringMatching(/^rb_/),
      token: { name: 'ci', scopes: ['deploy'], services: ['webapp'] },
    });
  });

  it('explains mistakes with a code, the place and a hint', async () => {
    const unknown = await cli('deploy', 'webap', 'v9', '--no-git');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('error SERVICE_UNKNOWN: unknown service "webap"; did you mean "webapp"?');
    expect(unknown.err).toContain('hint: ');
    const change = await cli('deploy', 'webapp', 'v9', '--change', ':no id', '--no-git');
    expect(change.err).toContain(
      'error REQUEST_INVALID: --change #1: expected "ID[:TITLE] [(AUTHOR)] [<URL>]"',
    );
    const missing = await cli('pause', 'd_does_not_exist');
    expect(missing.err).toContain('error DEPLOY_UNKNOWN');
  });
});
