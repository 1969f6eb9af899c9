import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { IncidentService } from '../../src/safety/incident-service.js';
import { incidentSlackCommand } from '../../src/safety/incident-slack-command.js';
import { safetyPlugin } from '../../src/server/routes/safety-routes.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { makeApi, type ApiHarness } from '../support/api-harness.js';
import { at } from './support/fixtures.js';
import { safetyConfig } from './support/safety-config.js';

const config = safetyConfig();

function capturedIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const chunks = { out: '', err: '' };
  const sink = (key: 'out' | 'err') => {
    const s = new PassThrough();
    s.on('data', (c: Buffer) => (chunks[key] += c.toString()));
    return s;
  };
  return {
    io: {
      stdout: sink('out'),
      stderr: sink('err'),
      stdin: new PassThrough(),
      env: { RELEASEBOT_LOG_LEVEL: 'error' },
      cwd,
    },
    out: () => chunks.out,
    err: () => chunks.err,
  };
}

describe('safety from the CLI (over HTTP) and Slack', () => {
  let store: Store;
  let api: ApiHarness;
  let url: string;
  let admin: string;
  let dir: string;
  const clock = new ManualClock(at('2025-03-05T12:00'));

  beforeAll(async () => {
    store = await openStore({ url: 'memory:' });
    api = await makeApi(store, config, { plugins: [safetyPlugin({ config, store, clock })] });
    url = await api.app.listen({ host: '127.0.0.1', port: 0 });
    admin = await api.token(['admin']);
    dir = mkdtempSync(join(tmpdir(), 'rb-safety-'));
  });
  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { io, out, err } = capturedIo(dir);
    const code = await runCli(['--server', url, '--token', admin, ...args], io);
    return { code, out: out(), err: err() };
  }

  it('imports history from files, then reports it as a table, JSON and CSV', async () => {
    writeFileSync(
      join(dir, 'deploys.csv'),
      'id,service,version,state,started_at,ended_at,max_traffic,rollback\nc-d1,web-a,v1,rolled_back,2025-02-03T10:00Z,2025-02-03T10:20Z,1,automatic\n',
    );
    writeFileSync(
      join(dir, 'incidents.json'),
      JSON.stringify({
        incidents: [
          {
            title: 'Checkout 500s',
            severity: 'high',
            impactStart: '2025-02-03T10:02Z',
            detectedAt: '2025-02-03T10:05Z',
            mitigatedAt: '2025-02-03T10:14Z',
            deploys: ['c-d1'],
            exposurePct: 1,
            remediation: 'automatic',
          },
        ],
      }),
    );
    const dry = await cli('import', 'deploys.csv', 'incidents.json', '--dry-run');
    expect(dry).toMatchObject({ code: 0, out: 'checked (nothing written): 1 deploy, 1 incident\n' });
    expect(await store.deploys.get('c-d1')).toBeNull();
    expect(await cli('import', 'deploys.csv', 'incidents.json')).toMatchObject({
      code: 0,
      out: 'imported: 1 deploy, 1 incident\n',
    });

    const table = await cli('report', '--period', 'month', '--from', '2025-02-01', '--to', '2025-03-01');
    expect(table.code, table.err).toBe(0);
    // 12 minutes of impact at 1%: 0.20 h raw, 0.0020 weighted; TTD 3m, TTR 12m against the 10m automatic goal.
    expect(table.out).toMatch(/^2025-02 +1 +0\.20 +0\.0020 +3m \/ 3m +12m \/ 12m +100% \/ 0% /m);
    expect(table.out).toMatch(/high +yes +web-a +2025-02-03 10:02Z +1% +3m +12m +10m automatic +yes\/no/);
    const json = JSON.parse(
      (
        await cli(
          'report',
          '--period',
          'month',
          '--from',
          '2025-02-01',
          '--to',
          '2025-03-01',
          '--format',
          'json',
        )
      ).out,
    );
    expect(json.totals).toMatchObject({ badDeploys: 1, stoppedBefore10: 1, automatic: 1 });
    const csv = await cli(
      'report',
      '--period',
      'month',
      '--from',
      '2025-02-01',
      '--to',
      '2025-03-01',
      '--format',
      'csv',
      '--table',
      'dora',
    );
    expect(csv.out.split('\r\n').slice(0, 2)).toEqual([
      'period,start,service,deploys,deploys_per_day,failed_deploys,change_failure_rate,recovery_median_min,recovery_p90_min,recoveries',
      '2025-02,2025-02-01T00:00:00.000Z,web-a,1,0.036,1,1,12,12,1',
    ]);
  });

  it('prints an import refusal with the file, line and column of every problem', async () => {
    writeFileSync(
      join(dir, 'bad.csv'),
      'severity,impact_start,mitigated_at,services\nhigh,2025-01-10T10:00Z,2025-01-10T09:00Z,web-b\nhuge,2025-01-11T10:00Z,,web-b\n',
    );
    const r = await cli('import', 'bad.csv');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error TIMES_OUT_OF_ORDER: nothing was imported: bad.csv line 2, column mitigated_at',
    );
    expect(r.err).toContain(
      'bad.csv:2: mitigated_at: TIMES_OUT_OF_ORDER: mitigated_at 2025-01-10T09:00:00Z is before impact_start',
    );
    expect(r.err).toContain('bad.csv:3: severity: IMPORT_INVALID: "huge" is not one of high, medium, low');
  });

  it('creates, updates, lists and resolves incidents', async () => {
    const created = await cli(
      'incident',
      'create',
      '--title',
      'Search slow',
      '--severity',
      'medium',
      '--service',
      'search',
      '--start',
      '40m',
      '--detected',
      '30m',
      '--json',
    );
    expect(created.code, created.err).toBe(0);
    const i = JSON.parse(created.out);
    expect(i).toMatchObject({
      services: ['search'],
      impactStart: clock.now() - 40 * 60_000,
      ttdMs: 10 * 60_000,
      counted: false,
      status: 'open',
    });
    const updated = await cli(
      'incident',
      'update',
      i.id,
      '--mitigated',
      '20m',
      '--selected',
      '--exposure',
      '25%',
    );
    expect(updated.out).toContain('TTR 20m, manual');
    expect(await store.incidents.get(i.id)).toMatchObject({ selected: true, exposurePct: 25 });
    const cleared = await cli('incident', 'update', i.id, '--mitigated', 'none', '--json');
    expect(JSON.parse(cleared.out).mitigatedAt).toBeNull();
    expect((await cli('incident', 'list', '--open', '--service', 'search')).out).toMatch(
      new RegExp(`^${i.id} +open +medium +search`, 'm'),
    );
    expect((await cli('incident', 'resolve', i.id, '--note', 'index rebuilt')).out).toBe(
      `${i.id}: resolved medium search — Search slow\n`,
    );
    expect(
      (await cli('incident', 'list', '--open', '--service', 'search')).out.trim().split('\n'),
    ).toHaveLength(1); // header only
    const missing = await cli('incident', 'create', '--title', 'x');
    expect([missing.code, missing.err]).toEqual([
      1,
      expect.stringContaining('needs --title, --severity and --start'),
    ]);
  });

  it('answers /releasebot incident from Slack, within the operator’s services', async () => {
    const command = incidentSlackCommand(new IncidentService({ store, config, clock }));
    const ctx = (args: string[], services: string[] = []) => ({
      args,
      slackUserId: 'U1',
      slackUserName: 'carol',
      operator: { name: 'carol', scopes: ['deploy' as const], services },
      channelId: 'C1',
      mayActOn: (s: string) => !services.length || services.includes(s),
    });
    const opened = await command.run(
      ctx(['open', 'pay', 'high', 'Card', 'payments', 'failing', 'start=10m', 'exposure=50']),
    );
    expect(opened).toMatchObject({ inChannel: true, text: expect.stringContaining('Card payments failing') });
    const id = opened.target!;
    expect(await store.incidents.get(id)).toMatchObject({
      services: ['pay'],
      impactStart: clock.now() - 10 * 60_000,
      detectedAt: clock.now(),
      exposurePct: 50,
      createdBy: 'carol',
    });
    const updated = await command.run(
      ctx(['update', id, 'mitigated=now', 'severity=medium', 'selected=yes']),
    );
    expect(updated.text).toContain('TTR 10m');
    await expect(command.run(ctx(['resolve', id], ['web-a']))).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect((await command.run(ctx(['resolve', id, 'card', 'processor', 'fixed']))).text).toMatch(
      /^Resolved .*resolved · medium \(selected\)/,
    );
    expect((await store.incidents.get(id))?.note).toContain('Resolved by carol: card processor fixed');
    expect((await command.run(ctx(['open', 'pay']))).outcome).toBe('refused');
  });
});
