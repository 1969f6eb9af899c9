import type { ResolvedConfig } from '../config/resolved-config.js';
import { createDeployer } from '../deployers/create-deployer.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { Logger } from '../logging/logger.js';
import type { MetricSource } from '../metrics/metric-source.js';
import { AnalysisRunner } from '../pipeline/analysis-runner.js';
import { DeployEngine } from '../pipeline/deploy-engine.js';
import { DeployService } from '../pipeline/deploy-service.js';
import { openStore } from '../store/open-store.js';
import { ManualClock } from '../time/clock.js';
import type { DeploysFile } from './deploys-file.js';

export interface ReplayedDeploy {
  id: string;
  outcome: 'promoted' | 'rolled_back' | 'paused';
  decidedAt: string;
  stage: string;
  reason: string;
  checks?: Array<{ name: string; verdict: string; action: string }>;
}

export interface ReplayOptions {
  config: ResolvedConfig;
  /** The recorded metrics (a built-in source loaded from the file). */
  source: MetricSource;
  deploys: DeploysFile;
  /** The config's service to replay as; defaults to the deploys file's. */
  service?: string;
  logger: Logger;
  onProgress?: (done: number, total: number) => void;
}

const MAX_STEPS_PER_DEPLOY = 100_000;

/**
 * Replays recorded deploys through the real engine on a simulated clock: same stages, checks, detectors and
 * decision rules as live; only the clock, the metric source and the (absent) deployer differ. Gates are not run.
 * Deterministic: the same inputs give the same output.
 */
export async function runReplay(o: ReplayOptions): Promise<{ deploys: ReplayedDeploy[] }> {
  const name = o.service ?? o.deploys.service;
  const svc = o.config.services[name];
  if (!svc) {
    throw new ReleasebotError(
      'SERVICE_UNKNOWN',
      `the deploys are for service "${name}", which the config does not define`,
    );
  }
  const config: ResolvedConfig = {
    ...o.config,
    services: { [name]: { ...svc, deployer: { type: 'none' } } },
  };
  const store = await openStore({ url: 'memory:' });
  try {
    const first = o.deploys.deploys[0]?.startedAt ?? 0;
    const clock = new ManualClock(first);
    const none = createDeployer({ type: 'none' });
    const engine = new DeployEngine({
      store,
      config,
      clock,
      logger: o.logger,
      deployerFor: () => none,
      runGate: async () => ({ ok: true, output: 'gate not run in replay', durationMs: 0 }),
      analyzer: new AnalysisRunner({ sourceFor: () => o.source, store, logger: o.logger }),
    });
    const deploys = new DeployService({ store, config, clock });
    const out: ReplayedDeploy[] = [];
    let done = 0;
    for (const d of o.deploys.deploys) {
      clock.set(Math.max(clock.now(), d.startedAt));
      await deploys.createDeploy({
        id: d.id,
        service: name,
        version: d.version,
        changes: d.changes,
        trigger: { kind: 'replay', actor: 'replay' },
      });
      for (let step = 0; ; step++) {
        if (step > MAX_STEPS_PER_DEPLOY)
          throw new ReleasebotError('INTERNAL', `replay of ${d.id} did not finish`);
        // No holds in a replay: passing none saves a query per tick.
        const { nextDueAt } = await engine.tickService(name, { holds: [] });
        if (nextDueAt === null) break;
        if (nextDueAt > clock.now()) clock.set(nextDueAt);
      }
      out.push(await outcomeOf(d.id));
      const after = (await store.deploys.get(d.id))!;
      // A paused deploy waits for people; in a replay nobody comes, so it is set aside for the next one.
      if (after.state === 'paused') await deploys.operate('abort', d.id, 'replay', 'paused in replay');
      o.onProgress?.(++done, o.deploys.deploys.length);
    }
    return { deploys: out };
  } finally {
    await store.close();
  }

  async function outcomeOf(id: string): Promise<ReplayedDeploy> {
    const d = (await store.deploys.get(id))!;
    const events = await store.events.forDeploy(id);
    const [last] = await store.evaluations.forDeploy(id, { limit: 1 });
    const decisive = [...events]
      .reverse()
      .find((e) => ['deploy:promoted', 'deploy:rolling_back', 'deploy:paused'].includes(e.event.type));
    const outcome = d.state === 'promoted' ? 'promoted' : d.state === 'paused' ? 'paused' : 'rolled_back';
    const at = decisive?.at ?? d.endedAt ?? d.createdAt;
    const stage = decisive && 'deploy' in decisive.event ? decisive.event.deploy.stage : null;
    return {
      id,
      outcome,
      decidedAt: new Date(at).toISOString().replace('.000Z', 'Z'),
      stage: stage ?? svc!.stages[Math.max(0, d.stageIndex)].name,
      reason: d.reason ?? 'all checks passed',
      ...(last
        ? { checks: last.results.map((r) => ({ name: r.name, verdict: r.verdict, action: r.action })) }
        : {}),
    };
  }
}
