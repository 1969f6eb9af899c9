import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { gateSchema } from '../../src/config/schema.js';
import { runStageGate } from '../../src/pipeline/stage-gate.js';
import { waitUntilGone } from '../deployers/process-helpers.js';
import { startTestServer, type Answer } from '../deployers/webhook-test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'releasebot-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

const vars = {
  service: 'webapp',
  version: 'v1.4.2',
  previousVersion: 'v1.4.1',
  traffic: '10',
  stage: 'ten',
  deployId: 'd_0001',
  idempotencyKey: 'd_0001:gate:1:0',
};
const deps = { env: { PATH: process.env.PATH }, cwd: dir };

async function server(answers: Answer[]) {
  const s = await startTestServer(answers);
  closers.push(s.close);
  return s;
}

describe('runStageGate: command', () => {
  it('passes on exit code 0, with placeholders and RELEASEBOT_* variables', async () => {
    const gate = gateSchema.parse({ command: 'echo smoke {{service}} {{version}} $RELEASEBOT_STAGE' });
    expect(await runStageGate(gate, vars, deps)).toEqual({
      ok: true,
      output: 'smoke webapp v1.4.2 ten\n',
      durationMs: expect.any(Number),
    });
  });

  it('fails on any other exit code, keeping the output', async () => {
    const gate = gateSchema.parse({ command: 'echo "login page: 500"; exit 1' });
    expect(await runStageGate(gate, vars, deps)).toMatchObject({
      ok: false,
      output: 'login page: 500\n[releasebot] gate exited with code 1',
    });
  });

  it('fails on timeout and kills what it started', async () => {
    const pidFile = join(dir, 'gate.pid');
    const gate = gateSchema.parse({ command: `sleep 1000 & echo $! > ${pidFile}; wait`, timeout: '300ms' });
    const r = await runStageGate(gate, vars, deps);
    expect(r).toMatchObject({
      ok: false,
      output: '[releasebot] gate timed out after 300ms; the process group was killed',
    });
    expect(await waitUntilGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('quotes a hostile version', async () => {
    const gate = gateSchema.parse({ command: 'printf "%s" {{version}}' });
    const r = await runStageGate(gate, { ...vars, version: '$(echo pwned)' }, deps);
    expect(r).toMatchObject({ ok: true, output: '$(echo pwned)' });
  });
});

describe('runStageGate: http', () => {
  it('passes on the expected status and fills URL placeholders URL-encoded', async () => {
    const s = await server([{ status: 200, body: 'healthy' }]);
    const gate = gateSchema.parse({
      http: { url: `${s.url}/health/{{service}}?v={{version}}&k={{idempotencyKey}}` },
    });
    const r = await runStageGate(gate, vars, deps);
    expect(r).toMatchObject({ ok: true, output: `GET ${s.url}/health/webapp: HTTP 200\nhealthy` });
    expect(s.requests[0]).toMatchObject({
      method: 'GET',
      url: '/health/webapp?v=v1.4.2&k=d_0001%3Agate%3A1%3A0',
    });
  });

  it('fails on another status and says what was expected', async () => {
    const s = await server([{ status: 503, body: 'warming up' }]);
    const gate = gateSchema.parse({ http: { url: `${s.url}/health` } });
    expect(await runStageGate(gate, vars, deps)).toMatchObject({
      ok: false,
      output: `GET ${s.url}/health: HTTP 503 (expected 200)\nwarming up`,
    });
  });

  it('uses the configured method and expected status', async () => {
    const s = await server([{ status: 204 }]);
    const gate = gateSchema.parse({ http: { url: `${s.url}/smoke`, method: 'POST', expectStatus: 204 } });
    expect(await runStageGate(gate, vars, deps)).toMatchObject({ ok: true });
    expect(s.requests[0].method).toBe('POST');
  });

  it('fails when the server does not answer in time', async () => {
    const s = await server(['hang']);
    const gate = gateSchema.parse({ http: { url: `${s.url}/slow?token=secret` }, timeout: '200ms' });
    expect(await runStageGate(gate, vars, deps)).toMatchObject({
      ok: false,
      output: `GET ${s.url}/slow: no answer within 200ms`,
    });
  });

  it('never throws, also when nothing listens', async () => {
    const gate = gateSchema.parse({ http: { url: 'http://127.0.0.1:1/health' }, timeout: '5s' });
    const r = await runStageGate(gate, vars, deps);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/health: fetch failed/);
  });
});
