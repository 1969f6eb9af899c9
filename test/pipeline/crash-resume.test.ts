import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployState } from '../../src/pipeline/deploy.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { configFrom } from '../support/config.js';
import { makeHarness } from '../support/engine-harness.js';
import { RecordingDeployer, SimulatedCrash } from '../support/recording-deployer.js';
import { ScriptedAnalyzer } from '../support/scripted-analyzer.js';

const MIN = 60_000;
const RUNS = 60;
// One service per run, so every run is independent inside one store.
const config = configFrom(`
services:
${Array.from(
  { length: RUNS },
  (_, i) => `  s${i}:
    stages:
      - { name: canary, traffic: 1, bake: 3m, gate: { command: './smoke.sh' } }
      - { name: half, traffic: 50, bake: 3m }
      - { name: full, traffic: 100, bake: 3m }
    checks: [{ name: errors, query: 'errors{service="s${i}"}' }]
`,
).join('')}`);

type Scenario = 'promote' | 'rollback';
// The rollback scenario breaches 4 minutes in (in the second stage).
const analyzer = new ScriptedAnalyzer((req) =>
  req.deploy.version === 'rollback' && req.now - req.deploy.startedAt! >= 4 * MIN ? 'rollback' : 'continue',
);

type CrashPoint = { kind: 'before-write' | 'after-write' | 'after-side-effect'; n: number };

interface Outcome {
  state: DeployState;
  applied: string[];
  calls: number;
}

/** Runs one deploy of `scenario` on service `svc`, crashing once at `crash`, restarting a fresh engine after it. */
async function run(
  store: Store,
  svc: string,
  scenario: Scenario,
  crash: CrashPoint | null,
): Promise<Outcome> {
  const deployer = new RecordingDeployer();
  let writes = 0;
  let crashed = false;
  const realUpdate = store.deploys.update.bind(store.deploys);
  const crashing: Store = {
    ...store,
    deploys: {
      ...store.deploys,
      update: async (next, events, fence) => {
        writes++;
        if (!crashed && crash?.kind === 'before-write' && writes === crash.n) {
          crashed = true;
          throw new SimulatedCrash('crash before write');
        }
        const r = await realUpdate(next, events, fence);
        if (!crashed && crash?.kind === 'after-write' && writes === crash.n) {
          crashed = true;
          throw new SimulatedCrash('crash after write');
        }
        return r;
      },
    },
  };
  if (crash?.kind === 'after-side-effect') deployer.crashAfterCall = crash.n;
  const h = makeHarness(crashing, config, { analyzer, deployer });
  const { deploy } = await h.service.createDeploy({
    service: svc,
    version: scenario,
    trigger: { kind: 'ci', actor: 'ci' },
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await h.settle(svc);
      break;
    } catch (e) {
      if (!(e instanceof SimulatedCrash)) throw e;
      deployer.crashAfterCall = null;
      h.restart(); // a new process: nothing in memory, only the store
    }
  }
  const final = await store.deploys.get(deploy.id);
  // Keys are per deploy id; normalise them so runs on different services compare.
  const norm = (k: string) => k.replace(deploy.id, 'D');
  return { state: final!.state, applied: deployer.applied.map(norm), calls: deployer.calls.length };
}

describe('crash and resume at every step', () => {
  let store: Store;
  let next = 0;
  const svc = () => `s${next++}`;
  beforeAll(async () => {
    store = await openStore({ url: 'memory:' });
  });
  afterAll(async () => store.close());

  for (const scenario of ['promote', 'rollback'] as const) {
    it(`${scenario}: no action lost, none applied twice, same outcome`, async () => {
      const reference = await run(store, svc(), scenario, null);
      expect(reference.state).toBe(scenario === 'promote' ? 'promoted' : 'rolled_back');
      expect(reference.applied).toEqual(
        scenario === 'promote'
          ? ['D:shift:0:0', 'D:shift:1:0', 'D:shift:2:0', 'D:promote:-:0']
          : ['D:shift:0:0', 'D:shift:1:0', 'D:rollback:-:0'],
      );
      const points: CrashPoint[] = [];
      // Count the writes of a clean run to know every point to crash at.
      const writesInRun = scenario === 'promote' ? 10 : 7;
      for (let n = 1; n <= writesInRun; n++)
        points.push({ kind: 'before-write', n }, { kind: 'after-write', n });
      for (let n = 1; n <= reference.calls; n++) points.push({ kind: 'after-side-effect', n });
      for (const crash of points) {
        const out = await run(store, svc(), scenario, crash);
        expect({ crash, state: out.state }).toEqual({ crash, state: reference.state });
        // Same distinct actions in the same order: nothing lost, nothing extra. A repeated call (same key) after
        // a crash is dropped by the deployer.
        expect({ crash, applied: out.applied }).toEqual({ crash, applied: reference.applied });
        // A crash between a side effect and the write that records it repeats that one call, with the same key;
        // a crash right after a write repeats nothing.
        expect({ crash, extra: out.calls - reference.calls }).toEqual({
          crash,
          extra: expect.toSatisfy((x: number) => x >= 0 && x <= (crash.kind === 'after-write' ? 0 : 1)),
        });
      }
    });
  }
});
