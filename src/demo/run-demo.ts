import type { Env } from '../config/interpolate-env.js';
import type { Logger } from '../logging/logger.js';
import { BuiltinSource } from '../metrics/builtin/builtin-source.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { AcceleratedClock } from './accelerated-clock.js';
import type { DemoBuild } from './demo-build.js';
import { demoConfig } from './demo-config.js';
import { writeHeader } from './demo-header.js';
import { generateHistory } from './history-generator.js';
import { HistoryPlan } from './history-plan.js';
import { incidentLine } from './incident-line.js';
import { LiveBuilds } from './live-builds.js';
import { MetricsEmitter } from './metrics-emitter.js';
import { MetricsWriter } from './metrics-writer.js';
import { playBuild, type BuildOutcome } from './play-build.js';
import { checkScenario, type ScenarioVerdict } from './scenario-check.js';
import { scriptedScenario } from './scripted-scenario.js';
import { WEBAPP_PROFILE } from './service-profile.js';
import { SimulatedDeployer } from './simulated-deployer.js';
import { SimulatedService } from './simulated-service.js';
import { simSleep } from './sim-sleep.js';
import { Timeline } from './timeline.js';
import { TrafficSplit } from './traffic-split.js';
import { DEFAULT_SEED } from './demo-defaults.js';

export interface DemoOptions {
  /** Play the scripted scenario, check its outcome and stop (else: deploy forever until `signal`). */
  once: boolean;
  /** Port of the API and dashboard (0: any free port). */
  port: number;
  /** Simulated ms per real ms (default: 600 with `once`, 60 live). */
  speed?: number;
  /** Seed of the simulated service's noise and builds. */
  seed?: number;
  /** Simulated time when the demo starts, ms; the history ends here. */
  start: number;
  /** Monotonic real time, ms (performance.now). */
  realNow: () => number;
  /** Where the timeline goes, one line per call. */
  write: (line: string) => void;
  logger: Logger;
  env: Env;
  cwd: string;
  /** Stops the live demo (Ctrl-C), or the scenario early. */
  signal?: AbortSignal;
}

export interface DemoResult {
  url: string;
  outcomes: BuildOutcome[];
  /** With `once`: whether the scenario played out as expected. */
  verdict?: ScenarioVerdict;
  /** Real time the demo ran, ms. */
  realMs: number;
}

/** Pre-deploy history: four weeks for the weekly dynamic thresholds, plus a day and some slack. */
const HISTORY_DAYS = 29;
const BAKE_MINUTES = 5;
const MINUTE_MS = 60_000;

/**
 * `releasebot demo`: the real runtime (engine, judge, store, API) over a simulated service. Generates weeks of
 * metric history, starts the runtime on an accelerated clock with a simulated deployer, then requests builds one
 * after another and prints the timeline. With `once`, plays the scripted scenario and checks its outcome.
 */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const startedReal = o.realNow();
  const speed = o.speed ?? (o.once ? 600 : 60);
  const seed = o.seed ?? DEFAULT_SEED;
  const profile = WEBAPP_PROFILE;
  const config = demoConfig({ service: profile.service, port: o.port, bakeMinutes: BAKE_MINUTES });
  const svc = config.services[profile.service];
  const start = Math.floor(o.start / MINUTE_MS) * MINUTE_MS;
  const clock = new AcceleratedClock({ start, speed, realNow: o.realNow });

  const service = new SimulatedService(profile, seed);
  const plan = new HistoryPlan(start, HISTORY_DAYS, svc.stages);
  const builtin = await BuiltinSource.open({ clock, logger: o.logger, retention: Infinity });
  const writer = new MetricsWriter(builtin.store, profile.service);
  const historyStarted = o.realNow();
  const minutes = generateHistory(service, plan, writer);
  const historyMs = o.realNow() - historyStarted;
  const split = new TrafficSplit(plan.stableAtEnd, start);
  const deployer = new SimulatedDeployer({ service, split, clock });

  const rt = await createRuntime({
    config,
    env: o.env,
    cwd: o.cwd,
    logger: o.logger,
    clock,
    sources: { builtin },
    deployerFor: () => deployer,
    anonymousRead: true,
    // The scheduler looks about every 10 simulated seconds, so evaluations fall close to each minute.
    tickMs: Math.min(1000, Math.max(15, Math.round(10_000 / speed))),
  });
  const emitter = new MetricsEmitter({ clock, service, split, writer, after: start });
  let timeline: Timeline | undefined;
  try {
    const url = await rt.listen({ host: config.server.host, port: o.port });
    const scripted = o.once ? scriptedScenario(plan.count) : undefined;
    writeHeader(o.write, {
      url,
      speed,
      minutes,
      historyMs,
      pastDeploys: plan.count,
      stable: plan.stableAtEnd,
      config,
      scripted,
    });
    timeline = new Timeline(rt.bus, o.write, {
      evaluations: (id) => rt.store.evaluations.forDeploy(id, { limit: 30 }),
    });
    clock.run();
    emitter.start();
    await rt.start();

    const pipelineMs = svc.stages.reduce((a, s) => a + s.bakeMs, 0);
    const live = new LiveBuilds(plan.count, seed);
    const outcomes: BuildOutcome[] = [];
    const tally = { deploys: 0, promoted: 0, rolledBack: 0, bad: 0, caught: 0 };
    for (let i = 0; !o.signal?.aborted; i++) {
      const build: DemoBuild | undefined = scripted ? scripted[i] : live.next();
      if (!build) break;
      if (!(await simSleep(clock, build.gapMs, o.signal))) break;
      timeline.announce(clock.now(), profile.service, build);
      const outcome = await playBuild(rt, {
        service,
        split,
        clock,
        build,
        timeoutMs: 3 * pipelineMs + 10 * MINUTE_MS,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      if (outcome.result === 'unfinished' && o.signal?.aborted) break;
      timeline.reveal(outcome, `${url}/deploys/${outcome.deployId}`);
      if (scripted) outcomes.push(outcome);
      tally.deploys++;
      if (outcome.result === 'promoted') tally.promoted++;
      if (outcome.result === 'rolled_back') tally.rolledBack++;
      if (build.regression) {
        tally.bad++;
        if (outcome.result === 'rolled_back') tally.caught++;
      }
    }
    await timeline.close();
    const realMs = o.realNow() - startedReal;
    if (!scripted) {
      o.write(
        `stopped after ${tally.deploys} deploys: ${tally.promoted} promoted, ${tally.rolledBack} rolled back ` +
          `(${tally.caught} of ${tally.bad} bad builds caught)`,
      );
      return { url, outcomes, realMs };
    }
    const verdict = checkScenario(outcomes, scripted.length);
    for (const rolledBack of outcomes.filter((x) => x.result === 'rolled_back')) {
      // Informational: the incident is the deploy-safety consumer's work, not part of the scenario's verdict.
      const line = await incidentLine(rt, rolledBack.deployId).catch(
        (e: Error) => `deploy safety: ${e.message}`,
      );
      if (line) o.write(line);
    }
    o.write('outcome of the scripted scenario:');
    for (const line of verdict.lines) o.write(`  ${line}`);
    o.write(
      verdict.ok
        ? `demo passed: every build ended as expected (${(realMs / 1000).toFixed(1)} s)`
        : `demo FAILED: the scenario did not play out as expected (${(realMs / 1000).toFixed(1)} s)`,
    );
    return { url, outcomes, verdict, realMs };
  } finally {
    await timeline?.close();
    emitter.stop();
    clock.stop();
    await rt.close();
  }
}
