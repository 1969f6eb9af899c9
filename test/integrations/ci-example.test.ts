import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { silentLogger } from '../../src/logging/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { createApiToken } from '../../src/server/auth/token-service.js';
import { configFrom } from '../support/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'examples/ci/deploy.sh');
const WORKFLOW = parse(readFileSync(join(ROOT, 'examples/ci/github-actions.yaml'), 'utf8')) as {
  jobs: {
    deploy: {
      steps: Array<{
        uses?: string;
        with?: Record<string, unknown>;
        env?: Record<string, string>;
        run?: string;
        name?: string;
      }>;
    };
  };
};

/** `quick` promotes after a second; `broken`'s deployer fails (the deploy pauses); `slow` bakes for an hour. */
const CONFIG = configFrom(`
store: { url: "memory:" }
services:
  quick:
    stages: [{ name: all, traffic: 100, bake: 1s }]
  broken:
    deployer: { type: command, stage: "echo no cluster here; exit 1", rollback: "true" }
    stages: [{ name: all, traffic: 100, bake: 1s }]
  slow:
    stages: [{ name: canary, traffic: 10, bake: 1h }, { name: all, traffic: 100, bake: 1h }]
`);

/**
 * The examples run as a CI job runs them: the real `releasebot` CLI (from source, through a `releasebot` on PATH)
 * against a real server listening on a loopback port, with real time. The workflow's `npx --yes releasebot` stands
 * for installing the package; the `npx` on PATH here runs the same CLI instead of downloading it.
 */
describe('the CI examples against a running releasebot', () => {
  let rt: Runtime;
  let url: string;
  let token: string;
  let bin: string;
  beforeAll(async () => {
    bin = mkdtempSync(join(tmpdir(), 'releasebot-bin-'));
    const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const cli = `exec ${JSON.stringify(process.execPath)} --import ${tsx} ${JSON.stringify(join(ROOT, 'src/cli/entry.ts'))}`;
    writeFileSync(join(bin, 'releasebot'), `#!/bin/sh\n${cli} "$@"\n`);
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = --yes ] && shift\n[ "$1" = releasebot ] || exit 127\nshift\n${cli} "$@"\n`,
    );
    chmodSync(join(bin, 'releasebot'), 0o755);
    chmodSync(join(bin, 'npx'), 0o755);
    rt = await createRuntime({ config: CONFIG, env: {}, cwd: bin, logger: silentLogger, tickMs: 200 });
    url = await rt.listen({ host: '127.0.0.1', port: 0 });
    await rt.start();
    token = (await createApiToken(rt.store, rt.clock, { name: 'ci', scopes: ['deploy'] })).secret;
  });
  afterAll(async () => {
    await rt?.close();
    rmSync(bin, { recursive: true, force: true });
  });

  function run(command: string, args: string[], env: Record<string, string> = {}, onStart?: () => void) {
    return new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(command, args, {
        cwd: bin, // not a git checkout: the deploy notes that it read no changes
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          HOME: bin,
          RELEASEBOT_URL: url,
          RELEASEBOT_TOKEN: token,
          CI: 'true',
          ...env,
        },
      });
      let out = '';
      child.stdout.on('data', (c) => (out += String(c)));
      child.stderr.on('data', (c) => (out += String(c)));
      child.on('close', (code) => resolve({ code, out }));
      onStart?.();
    });
  }

  /** Waits until the service's deploy reaches `state` (no timing is asserted; the test times out otherwise). */
  async function until(service: string, state: string) {
    for (;;) {
      const [d] = await rt.store.deploys.list({ service, limit: 1 });
      if (d?.state === state) return d;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('deploy.sh exits 0 when the deploy is promoted', async () => {
    const { code, out } = await run('sh', [SCRIPT, 'quick', 'v2'], { CI_JOB_ID: '41' });
    expect(out).toContain('releasebot: quick v2 promoted');
    expect(out).toContain('note: ');
    expect(code).toBe(0);
    const [d] = await rt.store.deploys.list({ service: 'quick', limit: 1 });
    expect(d).toMatchObject({ state: 'promoted', idempotencyKey: '41-quick-v2', trigger: { kind: 'ci' } });
  }, 60_000);

  it('deploy.sh exits 3 when the deploy pauses', async () => {
    const { code, out } = await run('sh', [SCRIPT, 'broken', 'v2']);
    expect(out).toContain('is paused');
    expect(code).toBe(3);
  }, 60_000);

  it('deploy.sh exits 2 when the deploy is rolled back', async () => {
    const waiting = run('sh', [SCRIPT, 'slow', 'v2']);
    const d = await until('slow', 'running');
    await rt.deploys.operate('rollback', d.id, 'oncall', 'error spike in checkout');
    const { code, out } = await waiting;
    expect(out).toContain('releasebot: slow v2 was rolled back');
    expect(code).toBe(2);
  }, 60_000);

  it('deploy.sh refuses to run without the server and token', async () => {
    const { code, out } = await run('sh', [SCRIPT, 'quick', 'v3'], { RELEASEBOT_TOKEN: '' });
    expect(code).not.toBe(0);
    expect(out).toContain('RELEASEBOT_TOKEN');
  });

  it('the GitHub Actions step checks out the history and maps the exit codes', async () => {
    const steps = WORKFLOW.jobs.deploy.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with).toMatchObject({
      'fetch-depth': 0,
    });
    const step = steps.find((s) => s.run?.includes('releasebot deploy'))!;
    expect(step.env).toMatchObject({
      RELEASEBOT_URL: expect.any(String),
      RELEASEBOT_TOKEN: expect.stringContaining('secrets.'),
    });
    expect(step.run).toContain('--wait');
    const gh = { GITHUB_SHA: 'v9', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1' };
    // The step's script as the runner executes it (bash -e), with the service renamed to this server's ones.
    const ok = await run('bash', ['-e', '-c', step.run!.replace('deploy webapp', 'deploy quick')], gh);
    expect(ok.out).toContain('releasebot promoted webapp v9');
    expect(ok.code).toBe(0);
    // The earlier test left `broken` paused, which holds its queue: end it first.
    const [held] = await rt.store.deploys.list({ service: 'broken', states: ['paused'], limit: 1 });
    if (held) await rt.deploys.operate('abort', held.id, 'oncall', 'cluster fixed');
    const paused = await run('bash', ['-e', '-c', step.run!.replace('deploy webapp', 'deploy broken')], gh);
    expect(paused.out).toContain('::warning::releasebot paused');
    expect(paused.code).toBe(3);
  }, 120_000);
});
