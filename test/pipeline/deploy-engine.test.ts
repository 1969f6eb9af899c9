import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleEventType } from '../../src/events/lifecycle-event.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { configFrom } from '../support/config.js';
import { FOUR_STAGES, makeHarness, T0 } from '../support/engine-harness.js';
import { ScriptedAnalyzer } from '../support/scripted-analyzer.js';

const MIN = 60_000;
const user = { kind: 'user' as const, actor: 'alice' };

async function eventTypes(store: Store, deployId: string): Promise<LifecycleEventType[]> {
  return (await store.events.forDeploy(deployId)).map((e) => e.event.type);
}

describe('deploy engine', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ url: 'memory:' });
  });
  afterEach(async () => store.close());

  it('walks a deploy through every stage with bakes and promotes it', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    const { deploy } = await h.service.createDeploy({
      service: 'webapp',
      version: 'v2',
      changes: [{ id: '#1234', title: 'Fix login', author: 'alice' }],
      trigger: user,
    });
    await h.settle('webapp');
    const done = await h.service.getDeploy(deploy.id);
    expect(done).toMatchObject({
      state: 'promoted',
      stageIndex: 3,
      endedAt: T0 + 40 * MIN,
      reason: 'all checks passed',
    });
    expect(h.deployer.calls.map((c) => [c.action, c.traffic])).toEqual([
      ['shift', 1],
      ['shift', 10],
      ['shift', 50],
      ['shift', 100],
      ['promote', 100],
    ]);
    expect(await eventTypes(store, deploy.id)).toEqual([
      'deploy:queued',
      'deploy:started',
      'stage:advanced',
      'stage:advanced',
      'stage:advanced',
      'stage:advanced',
      'deploy:promoted',
    ]);
    // Evaluated every minute of every stage: 4 stages x 10 minutes.
    const evals = await store.evaluations.forDeploy(deploy.id);
    expect(evals).toHaveLength(40);
    expect(evals[0].at).toBe(T0 + MIN);
    expect(evals.at(-1)!.at).toBe(T0 + 40 * MIN);
    // The analyzer saw when traffic shifted.
    const last = (h.analyzer as ScriptedAnalyzer).requests.at(-1)!;
    expect(last.exposure.map((e) => [e.at - T0, e.traffic])).toEqual([
      [0, 1],
      [10 * MIN, 10],
      [20 * MIN, 50],
      [30 * MIN, 100],
    ]);
  });

  it('rolls back automatically on a breaching rollback check, with the evidence in its events', async () => {
    const analyzer = new ScriptedAnalyzer((req) => (req.now >= T0 + 13 * MIN ? 'rollback' : 'continue'));
    const h = makeHarness(store, configFrom(FOUR_STAGES), { analyzer });
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp');
    const done = await h.service.getDeploy(deploy.id);
    expect(done).toMatchObject({
      state: 'rolled_back',
      stageIndex: 1,
      endedAt: T0 + 13 * MIN,
      reason: 'scripted rollback',
    });
    expect(h.deployer.calls.map((c) => c.action)).toEqual(['shift', 'shift', 'rollback']);
    expect(h.deployer.calls[2]).toMatchObject({ traffic: 0, key: `${deploy.id}:rollback:-:0` });
    const events = await store.events.forDeploy(deploy.id);
    expect(events.map((e) => e.event.type).slice(-3)).toEqual([
      'check:breached',
      'deploy:rolling_back',
      'deploy:rolled_back',
    ]);
    const breach = events.find((e) => e.event.type === 'check:breached')!.event;
    expect(breach).toMatchObject({
      check: { name: 'error-ratio', verdict: 'breach', evidence: { z: 9 } },
      deploy: { stage: 'ten', traffic: 10 },
    });
    expect(events.at(-1)!.event).toMatchObject({ automatic: true });
  });

  it('pauses blind after the grace, never advances without data, and resumes when metrics return', async () => {
    // no data from minute 8 to 14; the judge says hold, then pause (blind) after its grace.
    const analyzer = new ScriptedAnalyzer((req) => {
      const m = (req.now - T0) / MIN;
      if (m >= 8 && m < 10) return 'hold';
      if (m >= 10 && m < 15) return req.deploy.state === 'paused' ? 'hold' : 'pause';
      return 'continue';
    });
    // A pause decision from a hold is blind: the scripted analyzer marks it so for 'hold' only; emulate blind pause.
    const wrapped = {
      evaluate: async (req: Parameters<ScriptedAnalyzer['evaluate']>[0]) => {
        const o = await analyzer.evaluate(req);
        if (o.decision.action === 'pause') o.decision.blind = true;
        return o;
      },
      forget: () => undefined,
    };
    const h = makeHarness(store, configFrom(FOUR_STAGES), { analyzer: wrapped });
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp', { untilMs: T0 + 12 * MIN });
    let d = await h.service.getDeploy(deploy.id);
    // Bake ended at minute 10 while blind: it did not advance, it paused.
    expect(d).toMatchObject({ state: 'paused', pauseKind: 'no_data', stageIndex: 0 });
    expect(h.deployer.calls).toHaveLength(1);
    await h.settle('webapp', { untilMs: T0 + 16 * MIN });
    d = await h.service.getDeploy(deploy.id);
    expect(d).toMatchObject({ state: 'running', stageIndex: 1 });
    const types = await eventTypes(store, deploy.id);
    expect(types).toContain('check:no_data');
    expect(types.slice(types.indexOf('deploy:paused'))).toEqual([
      'deploy:paused',
      'deploy:resumed',
      'stage:advanced',
    ]);
    await h.settle('webapp');
    expect((await h.service.getDeploy(deploy.id)).state).toBe('promoted');
  });

  it('pauses on a pause check and goes on when a person resumes it', async () => {
    let breach = true;
    const analyzer = new ScriptedAnalyzer((req) =>
      breach && req.now >= T0 + 3 * MIN ? 'pause' : 'continue',
    );
    const h = makeHarness(store, configFrom(FOUR_STAGES), { analyzer });
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp');
    expect(await h.service.getDeploy(deploy.id)).toMatchObject({
      state: 'paused',
      pauseKind: 'check',
      bakeDoneMs: 3 * MIN,
    });
    breach = false;
    h.clock.set(T0 + 60 * MIN);
    await h.service.operate('resume', deploy.id, 'bob', 'false alarm');
    await h.settle('webapp');
    const d = await h.service.getDeploy(deploy.id);
    // 7 minutes of canary bake were left after the pause; then 30 more minutes of stages.
    expect(d).toMatchObject({ state: 'promoted', endedAt: T0 + 60 * MIN + 7 * MIN + 30 * MIN });
    expect(await store.audit.list({ target: deploy.id })).toEqual([
      expect.objectContaining({ action: 'deploy.create', actor: 'alice' }),
      expect.objectContaining({ action: 'deploy.resume', actor: 'bob', details: { reason: 'false alarm' } }),
    ]);
  });

  it('pauses with the output when a shift fails, and retries it under a new key on resume', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    h.deployer.failNext.push({ action: 'shift', output: 'error: deployment "webapp-canary" not found' });
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp');
    const d = await h.service.getDeploy(deploy.id);
    expect(d).toMatchObject({
      state: 'paused',
      pauseKind: 'deployer',
      pending: { kind: 'shift', stageIndex: 0 },
    });
    expect(d.reason).toContain('not found');
    const failed = (await store.events.forDeploy(deploy.id)).find((e) => e.event.type === 'deployer:failed')!;
    expect(failed.event).toMatchObject({
      action: 'shift to canary',
      output: 'error: deployment "webapp-canary" not found',
    });
    await h.service.operate('resume', deploy.id, 'bob');
    await h.settle('webapp');
    expect((await h.service.getDeploy(deploy.id)).state).toBe('promoted');
    expect(h.deployer.calls.slice(0, 2).map((c) => c.key)).toEqual([
      `${deploy.id}:shift:0:0`,
      `${deploy.id}:shift:0:1`,
    ]);
  });

  it('marks a deploy failed when its rollback fails, and lets a person retry the rollback', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES), {
      analyzer: new ScriptedAnalyzer(() => 'rollback'),
    });
    h.deployer.failNext.push({ action: 'rollback', output: 'kubectl: connection refused', timedOut: true });
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp');
    const d = await h.service.getDeploy(deploy.id);
    expect(d.state).toBe('failed');
    expect(d.reason).toMatch(/^rollback timed out: kubectl: connection refused/);
    await h.service.operate('rollback', deploy.id, 'bob', 'retry');
    await h.settle('webapp');
    expect((await h.service.getDeploy(deploy.id)).state).toBe('rolled_back');
    expect(h.deployer.calls.filter((c) => c.action === 'rollback').map((c) => c.key)).toEqual([
      `${deploy.id}:rollback:-:0`,
      `${deploy.id}:rollback:-:1`,
    ]);
  });

  it('runs stage gates before shifting traffic and pauses when one fails', async () => {
    const cfg = configFrom(`
services:
  webapp:
    stages:
      - { name: staging, traffic: 1, bake: 1m, gate: { command: './smoke.sh' } }
      - { name: full, traffic: 100, bake: 1m }
`);
    const h = makeHarness(store, cfg);
    h.gateResults.push({ ok: false, output: 'smoke: GET /health -> 500' });
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp');
    expect(await h.service.getDeploy(deploy.id)).toMatchObject({
      state: 'paused',
      pauseKind: 'gate',
      reason: 'gate before staging failed: smoke: GET /health -> 500',
    });
    expect(h.deployer.calls).toEqual([]); // no traffic moved before the gate passed
    await h.service.operate('resume', deploy.id, 'bob');
    await h.settle('webapp');
    expect((await h.service.getDeploy(deploy.id)).state).toBe('promoted');
  });

  it('runs one deploy at a time per service, in order, each knowing the version before it', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    const a = await h.service.createDeploy({ service: 'webapp', version: 'v1', trigger: user });
    const b = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.engine.tickService('webapp');
    expect((await h.service.getDeploy(b.deploy.id)).state).toBe('queued');
    await h.settle('webapp');
    const [da, db] = [await h.service.getDeploy(a.deploy.id), await h.service.getDeploy(b.deploy.id)];
    expect([da.state, db.state]).toEqual(['promoted', 'promoted']);
    expect(db.startedAt).toBe(da.endedAt);
    expect(db.previousVersion).toBe('v1');
  });

  it('sends the newest build of a latest queue next, carrying the changes of the builds it supersedes', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    const first = await h.service.createDeploy({
      service: 'api',
      version: 'b1',
      trigger: user,
      changes: [{ id: '#1' }],
    });
    await h.engine.tickService('api');
    const b2 = await h.service.createDeploy({
      service: 'api',
      version: 'b2',
      trigger: user,
      changes: [{ id: '#2' }],
    });
    const b3 = await h.service.createDeploy({
      service: 'api',
      version: 'b3',
      trigger: user,
      changes: [{ id: '#3' }],
    });
    const b4 = await h.service.createDeploy({
      service: 'api',
      version: 'b4',
      trigger: user,
      changes: [{ id: '#4' }, { id: '#3' }],
    });
    await h.settle('api');
    expect((await h.service.getDeploy(first.deploy.id)).state).toBe('promoted');
    expect(await h.service.getDeploy(b2.deploy.id)).toMatchObject({
      state: 'superseded',
      reason: `superseded by ${b4.deploy.id}`,
    });
    expect((await h.service.getDeploy(b3.deploy.id)).state).toBe('superseded');
    const last = await h.service.getDeploy(b4.deploy.id);
    expect(last).toMatchObject({ state: 'promoted', previousVersion: 'b1' });
    expect(last.changes.map((c) => c.id)).toEqual(['#4', '#3', '#2']);
    expect(last.supersedes.sort()).toEqual([b2.deploy.id, b3.deploy.id].sort());
  });

  it('holds: queued deploys wait, running ones pause at the next stage boundary and resume on release', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    const a = await h.service.createDeploy({ service: 'webapp', version: 'v1', trigger: user });
    await h.settle('webapp', { untilMs: T0 + 5 * MIN });
    const hold = await h.service.setHold({
      scope: 'team',
      target: 'web',
      reason: 'incident INC-42',
      actor: 'carol',
    });
    const q = await h.service.createDeploy({ service: 'api', version: 'b1', trigger: user });
    await h.settle('webapp', { untilMs: T0 + 15 * MIN });
    await h.settle('api', { untilMs: T0 + 15 * MIN });
    expect(await h.service.getDeploy(a.deploy.id)).toMatchObject({
      state: 'paused',
      pauseKind: 'hold',
      stageIndex: 0,
      reason: 'hold on team web by carol: incident INC-42',
    });
    expect((await h.service.getDeploy(q.deploy.id)).state).toBe('queued');
    expect(h.deployer.calls).toHaveLength(1);
    h.clock.set(T0 + 20 * MIN);
    await h.service.releaseHold(hold.id, 'carol');
    await h.settle('webapp');
    await h.settle('api');
    expect((await h.service.getDeploy(a.deploy.id)).state).toBe('promoted');
    expect((await h.service.getDeploy(q.deploy.id)).state).toBe('promoted');
    expect((await eventTypes(store, a.deploy.id)).filter((t) => t.startsWith('deploy:'))).toEqual([
      'deploy:queued',
      'deploy:started',
      'deploy:paused',
      'deploy:resumed',
      'deploy:promoted',
    ]);
  });

  it('waits outside the deploy windows', async () => {
    const cfg = configFrom(`
services:
  webapp:
    deployWindows: [{ days: [mon, tue, wed, thu, fri], start: '09:00', end: '17:00' }]
    stages: [{ name: full, traffic: 100, bake: 1m }]
`);
    const h = makeHarness(store, cfg, { start: Date.UTC(2025, 2, 1, 12, 0) }); // a Saturday
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.engine.tickService('webapp');
    expect((await h.service.getDeploy(deploy.id)).state).toBe('queued');
    h.clock.set(Date.UTC(2025, 2, 3, 9, 0)); // Monday 09:00
    await h.settle('webapp');
    expect((await h.service.getDeploy(deploy.id)).state).toBe('promoted');
  });

  it('promotes early on request, skipping the remaining stages, and aborts on request', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp', { untilMs: T0 + 12 * MIN });
    await h.service.operate('promote', deploy.id, 'bob', 'hotfix');
    await h.settle('webapp');
    expect(await h.service.getDeploy(deploy.id)).toMatchObject({
      state: 'promoted',
      reason: 'promoted early: remaining stages skipped',
    });
    expect(h.deployer.calls.map((c) => [c.action, c.traffic])).toEqual([
      ['shift', 1],
      ['shift', 10],
      ['shift', 100],
      ['promote', 100],
    ]);
    const promoted = (await store.events.forDeploy(deploy.id)).at(-1)!;
    expect(promoted.event).toMatchObject({ type: 'deploy:promoted', skipped: true });
    expect((await store.audit.list({ target: deploy.id })).map((a) => a.action)).toContain('deploy.promote');

    const b = await h.service.createDeploy({ service: 'webapp', version: 'v3', trigger: user });
    await h.engine.tickService('webapp');
    await h.service.operate('abort', b.deploy.id, 'bob', 'wrong build');
    expect(await h.service.getDeploy(b.deploy.id)).toMatchObject({ state: 'aborted', reason: 'wrong build' });
    await expect(h.service.operate('pause', b.deploy.id, 'bob')).rejects.toMatchObject({
      code: 'DEPLOY_FINISHED',
    });
    await expect(h.service.operate('pause', 'd_nope', 'bob')).rejects.toMatchObject({
      code: 'DEPLOY_UNKNOWN',
    });
  });

  it('advances to the next stage on request, ending the current bake early (audited)', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    const { deploy } = await h.service.createDeploy({ service: 'webapp', version: 'v2', trigger: user });
    await h.settle('webapp', { untilMs: T0 + 3 * MIN });
    await h.service.operate('advance', deploy.id, 'bob', 'canary looks fine');
    // The shift is pending until the engine runs it; a second advance now is refused.
    await expect(h.service.operate('advance', deploy.id, 'bob')).rejects.toMatchObject({
      code: 'DEPLOY_STATE',
    });
    await h.engine.tickService('webapp');
    expect(await h.service.getDeploy(deploy.id)).toMatchObject({
      stageIndex: 1,
      stageStartedAt: T0 + 3 * MIN,
    });
    expect(h.deployer.calls.map((c) => c.traffic)).toEqual([1, 10]);
    expect((await store.audit.list({ target: deploy.id })).map((a) => a.action)).toContain('deploy.advance');
    await h.settle('webapp');
    expect(await h.service.getDeploy(deploy.id)).toMatchObject({ state: 'promoted', endedAt: T0 + 33 * MIN });
  });

  it('rejects unknown services with a suggestion, and idempotency-key reuse for another version', async () => {
    const h = makeHarness(store, configFrom(FOUR_STAGES));
    await expect(
      h.service.createDeploy({ service: 'webap', version: 'v1', trigger: user }),
    ).rejects.toMatchObject({
      code: 'SERVICE_UNKNOWN',
      message: 'unknown service "webap"; did you mean "webapp"?',
    });
    const a = await h.service.createDeploy({
      service: 'webapp',
      version: 'v1',
      trigger: user,
      idempotencyKey: 'ci-77',
    });
    const again = await h.service.createDeploy({
      service: 'webapp',
      version: 'v1',
      trigger: user,
      idempotencyKey: 'ci-77',
    });
    expect(again).toEqual({ deploy: a.deploy, created: false });
    await expect(
      h.service.createDeploy({ service: 'webapp', version: 'v9', trigger: user, idempotencyKey: 'ci-77' }),
    ).rejects.toMatchObject({ code: 'DEPLOY_DUPLICATE' });
    expect(await store.deploys.list({ service: 'webapp' })).toHaveLength(1);
  });
});
