import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Analyzer } from '../../src/pipeline/analyzer.js';
import { DeployEngine } from '../../src/pipeline/deploy-engine.js';
import { DeployService } from '../../src/pipeline/deploy-service.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { Clock } from '../../src/time/clock.js';
import { configFrom } from '../support/config.js';
import { FOUR_STAGES, T0 } from '../support/engine-harness.js';
import { RecordingDeployer } from '../support/recording-deployer.js';
import { ScriptedAnalyzer } from '../support/scripted-analyzer.js';

/** A wall clock as the engine meets it: it has moved by the time it is read again. */
class MovingClock implements Clock {
  t = T0;
  now(): number {
    return (this.t += 1);
  }
}

/** An engine whose deployer records and whose gates pass. */
function engineOf(store: Store, config: ResolvedConfig, clock: Clock, analyzer: Analyzer): DeployEngine {
  return new DeployEngine({
    store,
    config,
    clock,
    logger: silentLogger,
    deployerFor: () => new RecordingDeployer(),
    runGate: async () => ({ ok: true, output: '', durationMs: 0 }),
    analyzer,
  });
}

describe('engine rounds (the scheduler path)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ url: 'memory:' });
  });
  afterEach(async () => store.close());

  it('hands deploys with pending actions to individual ticks even though the clock moved meanwhile', async () => {
    const config = configFrom(FOUR_STAGES);
    const clock = new MovingClock();
    const deployer = new RecordingDeployer();
    const engine = new DeployEngine({
      store,
      config,
      clock,
      logger: silentLogger,
      deployerFor: () => deployer,
      runGate: async () => ({ ok: true, output: '', durationMs: 0 }),
      analyzer: new ScriptedAnalyzer(),
    });
    const service = new DeployService({ store, config, clock });
    const { deploy } = await service.createDeploy({
      service: 'webapp',
      version: 'v2',
      trigger: { kind: 'user', actor: 'a' },
    });
    // A queued deploy: its service needs a tick to start it.
    expect(await engine.tickRound([{ service: 'webapp' }], [])).toEqual([{ service: 'webapp' }]);
    await engine.tickService('webapp');
    await service.operate('rollback', deploy.id, 'alice', 'bad');
    // rolling_back with its pending action: due now, whatever the clock reads by the time it is compared.
    expect(await engine.tickRound([{ service: 'webapp' }], [])).toEqual([{ service: 'webapp' }]);
    await engine.tickService('webapp');
    expect((await store.deploys.get(deploy.id))?.state).toBe('rolled_back');
    expect(deployer.calls.map((c) => c.action)).toEqual(['shift', 'rollback']);
  });

  it('judges due evaluations of many services in one batch and leaves the rest alone', async () => {
    const config = configFrom(FOUR_STAGES);
    let now = T0;
    const clock: Clock = { now: () => now };
    const analyzer = new ScriptedAnalyzer();
    const engine = engineOf(store, config, clock, analyzer);
    const service = new DeployService({ store, config, clock });
    const { deploy } = await service.createDeploy({
      service: 'webapp',
      version: 'v2',
      trigger: { kind: 'user', actor: 'a' },
    });
    await engine.tickService('webapp'); // started, canary shift done at T0
    expect(await engine.tickRound([{ service: 'webapp' }], [])).toEqual([]); // nothing due yet
    now = T0 + 60_000;
    expect(await engine.tickRound([{ service: 'webapp' }], [])).toEqual([]); // evaluated in the batch
    expect((await store.evaluations.forDeploy(deploy.id)).map((e) => e.at)).toEqual([T0 + 60_000]);
    expect(analyzer.requests).toHaveLength(1);
    now = T0 + 10 * 60_000; // the bake's end: evaluation and advance happen in an individual tick
    expect(await engine.tickRound([{ service: 'webapp' }], [])).toEqual([{ service: 'webapp' }]);
  });

  it('judges deploys whose metrics are in memory one at a time, and remote ones concurrently', async () => {
    const yaml = (n: number) =>
      `services:\n${Array.from(
        { length: n },
        (_, i) => `  s${i}:
    interval: 1m
    stages: [{ name: canary, traffic: 1, bake: 10m }]
    checks: [{ name: errors, query: 'errors{service="s${i}"}', action: rollback }]
`,
      ).join('')}`;
    const config = configFrom(yaml(6));
    let now = T0;
    const clock: Clock = { now: () => now };
    /** Answers after a timer, counting evaluations in flight; in memory for even-numbered services. */
    class SlowAnalyzer extends ScriptedAnalyzer {
      inFlight = { local: 0, remote: 0 };
      most = { local: 0, remote: 0 };
      override async evaluate(req: Parameters<ScriptedAnalyzer['evaluate']>[0]) {
        const kind = this.inMemory(req.service) ? 'local' : 'remote';
        this.most[kind] = Math.max(this.most[kind], ++this.inFlight[kind]);
        await new Promise((r) => setTimeout(r, 5));
        this.inFlight[kind]--;
        return super.evaluate(req);
      }
      inMemory(service: { name: string }): boolean {
        return Number(service.name.slice(1)) % 2 === 0;
      }
    }
    const analyzer = new SlowAnalyzer();
    const engine = engineOf(store, config, clock, analyzer);
    const service = new DeployService({ store, config, clock });
    const names = Object.keys(config.services);
    for (const s of names) {
      await service.createDeploy({ service: s, version: 'v2', trigger: { kind: 'user', actor: 'a' } });
      await engine.tickService(s);
    }
    await engine.idle(); // the last tick's chain has settled: no service is skipped as busy
    now = T0 + 60_000;
    expect(
      await engine.tickRound(
        names.map((s) => ({ service: s })),
        [],
      ),
    ).toEqual([]);
    expect(analyzer.requests.map((r) => r.service.name).sort()).toEqual(names);
    expect(analyzer.most).toEqual({ local: 1, remote: 3 });
  });
});
