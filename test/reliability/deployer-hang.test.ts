// A deployer command that hangs: the engine kills it at its timeout (its whole process group), pauses the deploy
// with the command's output, and a resume retries it as a new attempt.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';
import { startLiveRuntime, type LiveRuntime } from '../support/live-runtime.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.skipIf(postgresSkipReason !== null)('a deployer command that hangs', () => {
  let db: TestDatabase;
  let live: LiveRuntime;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'rb-hang-'));
    writeFileSync(join(dir, 'hang'), '');
    // While the `hang` file exists the shift prints a line, starts a long sleep in the background and waits for it.
    const script = join(dir, 'shift.sh');
    writeFileSync(
      script,
      `echo "shifting $RELEASEBOT_SERVICE to $RELEASEBOT_TRAFFIC%"
if [ -e "${join(dir, 'hang')}" ]; then
  sleep 600 & echo $! > "${join(dir, 'sleep.pid')}"
  echo "waiting for the load balancer"
  wait
fi
echo "shifted"
`,
    );
    writeFileSync(join(dir, 'binary.sh'), "printf 'shifted\\000with a NUL byte\\n'\n");
    live = await startLiveRuntime({
      yaml: `
store: { url: '${db.url}' }
services:
  api:
    deployer: { type: command, stage: 'sh ${script}', rollback: 'echo rollback', timeout: 1500ms }
    stages: [{ name: canary, traffic: 10, bake: 500ms }, { name: full, traffic: 100, bake: 500ms }]
  binary:
    deployer: { type: command, stage: 'sh ${join(dir, 'binary.sh')}', rollback: 'echo rollback', timeout: 10s }
    stages: [{ name: full, traffic: 100, bake: 200ms }]
`,
      tickMs: 100,
    });
  });

  afterAll(async () => {
    await live?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('times out, kills the command with its children, pauses the deploy with the output; resume retries', async () => {
    const { rt } = live;
    const { deploy } = await rt.deploys.createDeploy({
      service: 'api',
      version: 'v2',
      trigger: { kind: 'api', actor: 'test' },
    });
    const paused = await until('the deploy to pause', async () => {
      const d = (await rt.store.deploys.get(deploy.id)) as Deploy;
      return d.state === 'paused' ? d : undefined;
    });
    expect(paused.pauseKind).toBe('deployer');
    expect(paused.reason).toMatch(/^shift to canary timed out: /);
    expect(paused.reason).toContain('shifting api to 10%');
    expect(paused.reason).toContain('waiting for the load balancer');
    // The pending shift stays, to be retried: nothing was marked done.
    expect(paused.pending).toMatchObject({ kind: 'shift', stageIndex: 0 });
    expect(paused.stageStartedAt).toBeNull();

    const events = await rt.store.events.forDeploy(deploy.id);
    const failed = events.find((e) => e.event.type === 'deployer:failed');
    expect(failed?.event).toMatchObject({ action: 'shift to canary' });
    expect((failed?.event as { output: string }).output).toContain('waiting for the load balancer');
    // The whole process group died with the shell: no `sleep 600` left behind.
    const pid = Number(readFileSync(join(dir, 'sleep.pid'), 'utf8'));
    await until('the background sleep to die', async () => (alive(pid) ? undefined : true), 10_000);

    // The load balancer is fixed; a person resumes: the shift runs again as a new attempt and the deploy finishes.
    rmSync(join(dir, 'hang'));
    expect(existsSync(join(dir, 'hang'))).toBe(false);
    await rt.deploys.operate('resume', deploy.id, 'alice', 'load balancer fixed');
    const done = await until('the deploy to finish', async () => {
      const d = (await rt.store.deploys.get(deploy.id)) as Deploy;
      return d.state === 'promoted' || d.state === 'rolled_back' || d.state === 'failed' ? d : undefined;
    });
    expect(done.state).toBe('promoted');
    expect(done.attempt).toBe(1);
  });

  it('stores binary output (a NUL byte) without wedging the deploy', async () => {
    // PostgreSQL refuses NUL characters: stored as they came, the transition would fail on every retry.
    const { rt } = live;
    const { deploy } = await rt.deploys.createDeploy({
      service: 'binary',
      version: 'v2',
      trigger: { kind: 'api', actor: 'test' },
    });
    const done = await until('the deploy to finish', async () => {
      const d = (await rt.store.deploys.get(deploy.id)) as Deploy;
      return d.state === 'promoted' ? d : undefined;
    });
    expect(done.state).toBe('promoted');
    const advanced = (await rt.store.events.forDeploy(deploy.id)).find(
      (e) => e.event.type === 'stage:advanced',
    );
    expect((advanced?.event as { output?: string }).output).toBe('shiftedwith a NUL byte\n');
  });
});
