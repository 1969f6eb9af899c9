import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandDeployerSchema } from '../../src/config/deployer-schema.js';
import { CommandDeployer } from '../../src/deployers/command/command-deployer.js';
import { deployerCall } from './deployer-call.js';
import { waitUntilGone } from './process-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'releasebot-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deployer(config: Record<string, unknown>): CommandDeployer {
  const parsed = commandDeployerSchema.parse({
    type: 'command',
    stage: 'true',
    rollback: 'true',
    cwd: dir,
    ...config,
  });
  return new CommandDeployer(parsed, { env: { PATH: process.env.PATH } });
}

describe('CommandDeployer', () => {
  it('runs the stage command with shell-quoted placeholders', async () => {
    const d = deployer({
      stage:
        "printf '%s|' {{service}} {{version}} {{previousVersion}} {{traffic}} {{stage}} {{deployId}} {{idempotencyKey}}",
    });
    const r = await d.shift(deployerCall());
    expect(r).toMatchObject({ ok: true, output: 'webapp|v1.4.2|v1.4.1|10|ten|d_0001|d_0001:shift:1:0|' });
    expect(r.timedOut).toBeUndefined();
  });

  it('passes the same values as RELEASEBOT_* variables, with the fence and the configured env', async () => {
    const d = deployer({ stage: 'env | grep -E "^(RELEASEBOT_|TEAM=)" | sort', env: { TEAM: 'web' } });
    const r = await d.shift(deployerCall({ previousVersion: null }));
    expect(r.output.trim().split('\n')).toEqual([
      'RELEASEBOT_DEPLOY_ID=d_0001',
      'RELEASEBOT_FENCE=7',
      'RELEASEBOT_IDEMPOTENCY_KEY=d_0001:shift:1:0',
      'RELEASEBOT_PREVIOUS_VERSION=',
      'RELEASEBOT_SERVICE=webapp',
      'RELEASEBOT_STAGE=ten',
      'RELEASEBOT_TRAFFIC=10',
      'RELEASEBOT_VERSION=v1.4.2',
      'TEAM=web',
    ]);
  });

  it('does not let a version inject shell commands', async () => {
    const d = deployer({ stage: 'echo deploying {{version}}' });
    const r = await d.shift(deployerCall({ version: 'v1;touch injected' }));
    expect(r).toMatchObject({ ok: true, output: 'deploying v1;touch injected\n' });
    expect(existsSync(join(dir, 'injected'))).toBe(false);
  });

  it('reports a failing command with its output and exit code, without throwing', async () => {
    const d = deployer({ rollback: 'echo "kubectl: forbidden" >&2; exit 2' });
    const r = await d.rollback(deployerCall());
    expect(r).toEqual({
      ok: false,
      output: 'kubectl: forbidden\n[releasebot] exited with code 2',
      durationMs: expect.any(Number),
    });
  });

  it('kills the process group on timeout and says so', async () => {
    const pidFile = join(dir, 'hung.pid');
    const d = deployer({ stage: `echo shifting; sleep 1000 & echo $! > ${pidFile}; wait`, timeout: '300ms' });
    const r = await d.shift(deployerCall());
    expect(r).toMatchObject({ ok: false, timedOut: true });
    expect(r.output).toBe('shifting\n[releasebot] timed out after 300ms; the process group was killed');
    expect(await waitUntilGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('succeeds at promote without a promote command, and runs one when configured', async () => {
    expect(await deployer({}).promote(deployerCall())).toEqual({
      ok: true,
      output: 'no promote command configured',
      durationMs: 0,
    });
    const r = await deployer({ promote: 'echo promoted {{version}}' }).promote(deployerCall());
    expect(r).toMatchObject({ ok: true, output: 'promoted v1.4.2\n' });
  });

  it('runs in the configured working directory with the configured shell', async () => {
    const r = await deployer({ stage: 'pwd; echo $0', shell: '/bin/bash' }).shift(deployerCall());
    expect(r.output).toBe(`${dir}\n/bin/bash\n`);
  });

  it('reports a shell that does not exist', async () => {
    const r = await deployer({ shell: '/no/such/shell' }).shift(deployerCall());
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/^\[releasebot\] could not start: spawn \/no\/such\/shell ENOENT/);
  });
});
