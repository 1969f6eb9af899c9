import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ResolvedConfig, ResolvedService } from '../config/resolved-config.js';
import type { Env } from '../config/interpolate-env.js';
import { createDeployer } from '../deployers/create-deployer.js';
import type { Deployer } from '../deployers/deployer.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import { BuiltinSource } from '../metrics/builtin/builtin-source.js';
import { createSource } from '../metrics/create-source.js';
import type { MetricSource } from '../metrics/metric-source.js';
import { BotMetrics } from '../observability/bot-metrics.js';
import { AnalysisRunner } from '../pipeline/analysis-runner.js';
import { DeployEngine } from '../pipeline/deploy-engine.js';
import { DeployService } from '../pipeline/deploy-service.js';
import { LeaseClaimer } from '../pipeline/lease-claimer.js';
import { LocalClaimer } from '../pipeline/local-claimer.js';
import { Scheduler } from '../pipeline/scheduler.js';
import { runStageGate } from '../pipeline/stage-gate.js';
import type { Identity } from '../server/auth/identity.js';
import { buildApp, type AppPlugin } from '../server/build-app.js';
import { EventTail } from '../server/event-tail.js';
import { metricsPushRoutes } from '../server/routes/metrics-push-routes.js';
import { createNotifiers } from '../notify/create-notifiers.js';
import { startNotificationPump } from '../notify/notification-pump.js';
import { slackInteractionDeps } from '../notify/slack/slack-interaction-deps.js';
import { slackRoutes } from '../notify/slack/slack-routes.js';
import { slackOperations } from './slack-operations.js';
import { integrationPlugin } from './integration-plugin.js';
import { dashboardRoutes } from '../server/routes/dashboard-routes.js';
import { IncidentService } from '../safety/incident-service.js';
import { incidentSlackCommand } from '../safety/incident-slack-command.js';
import { startSafetyConsumer } from '../safety/safety-consumer.js';
import { safetyPlugin } from '../server/routes/safety-routes.js';
import { embeddedDir, openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { systemClock, type Clock } from '../time/clock.js';

export interface RuntimeOptions {
  config: ResolvedConfig;
  env: Env;
  cwd: string;
  logger: Logger;
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  /** A store already open (tests, the demo); otherwise the config's store is opened. */
  store?: Store;
  /** Metric sources already built, by name (the demo's simulated service); the rest come from the config. */
  sources?: Record<string, MetricSource>;
  /** Deployers by service, overriding the configured ones (the demo). */
  deployerFor?: (service: ResolvedService) => Deployer;
  /** Let GET requests without a token read (the demo). */
  anonymousRead?: boolean;
  /** The CLI on the local store: requests without a token act as this identity (the app must never listen). */
  localIdentity?: Identity;
  /** How often the scheduler ticks services, ms. */
  tickMs?: number;
  /** This replica's id; defaults to host, pid and a random suffix. */
  instanceId?: string;
  /** Where the built dashboard is (default: the package's dist/web). */
  webDir?: string;
  /** More HTTP routes. */
  plugins?: Array<(rt: Runtime) => AppPlugin>;
  /** Where event lines go when no notifier is configured (the terminal); default: the log only. */
  terminal?: (line: string) => void;
  /** Notification pump poll interval, ms (the bus wakes it early). */
  notifyPollMs?: number;
}

/** Everything `releasebot serve` runs, wired together; `start()` begins work, `close()` ends it gracefully. */
export interface Runtime {
  config: ResolvedConfig;
  store: Store;
  clock: Clock;
  bus: EventBus;
  logger: Logger;
  sources: Map<string, MetricSource>;
  builtin: BuiltinSource | undefined;
  engine: DeployEngine;
  /** The judge's I/O side, shared by the engine and the Argo/Flagger routes. */
  analyzer: AnalysisRunner;
  scheduler: Scheduler;
  deploys: DeployService;
  metrics: BotMetrics;
  tail: EventTail;
  app: FastifyInstance;
  instanceId: string;
  start(): Promise<void>;
  /** Processes what the background consumers have not yet (incidents, notifications): replays and the demo. */
  drain(): Promise<void>;
  listen(opts?: { host?: string; port?: number }): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: config in, a running bot out. Reads no globals: env, clock and fetch come in. */
export async function createRuntime(o: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = o;
  const clock = o.clock ?? systemClock;
  const fetchFn = o.fetch ?? globalThis.fetch;
  const store = o.store ?? (await openStore({ url: config.store.url, cwd: o.cwd, logger }));
  const storeDir = embeddedDir(config.store.url, o.cwd);
  const sources = new Map<string, MetricSource>(Object.entries(o.sources ?? {}));
  for (const [name, sourceConfig] of Object.entries(config.sources)) {
    if (!sources.has(name))
      sources.set(
        name,
        await createSource(sourceConfig, {
          fetch: fetchFn,
          clock,
          logger,
          ...(storeDir ? { storeDir } : {}),
        }),
      );
  }
  const builtin = [...sources.values()].find((s): s is BuiltinSource => s instanceof BuiltinSource);
  const bus = new EventBus();
  const metrics = new BotMetrics(store);
  const instanceId = o.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

  const deployers = new Map<string, Deployer>();
  // Deployers talk to real systems: their signatures and Retry-After use wall time, whatever the engine's clock.
  const deployerFor =
    o.deployerFor ??
    ((svc: ResolvedService) => {
      let d = deployers.get(svc.name);
      if (!d)
        deployers.set(
          svc.name,
          (d = createDeployer(svc.deployer, { env: o.env, cwd: o.cwd, fetch: fetchFn, clock: systemClock })),
        );
      return d;
    });
  const sourceFor = (svc: ResolvedService): MetricSource => {
    const s = sources.get(svc.source);
    if (!s)
      throw new ReleasebotError(
        'SOURCE_UNKNOWN',
        `service ${svc.name} reads source "${svc.source}", which is not defined`,
      );
    return s;
  };
  // A failing source is otherwise silent in the log until deploys pause for lack of data: say so, once a minute.
  const sourceWarnedAt = new Map<string, number>();
  const analyzer = new AnalysisRunner({
    sourceFor,
    store,
    logger,
    onSourceError: (source) => {
      metrics.sourceErrors.inc({ source });
      const now = clock.now();
      if (now - (sourceWarnedAt.get(source) ?? -Infinity) < 60_000) return;
      sourceWarnedAt.set(source, now);
      logger.warn(
        { source },
        'metric source queries are failing: checks read `error`, deploys hold, then pause',
      );
    },
  });
  const engine = new DeployEngine({
    store,
    config,
    clock,
    logger,
    deployerFor,
    runGate: (gate, vars) => runStageGate(gate, vars, { env: o.env, fetch: fetchFn, cwd: o.cwd }),
    analyzer,
    bus,
    observe: metrics,
  });
  // One process owns everything on the embedded store; on PostgreSQL replicas share services through leases.
  const leases =
    store.kind === 'postgres'
      ? new LeaseClaimer({
          store,
          owner: instanceId,
          leaseMs: config.cluster.leaseMs,
          logger,
          onTakeover: (service) => metrics.leaseTakeovers.inc({ service }),
        })
      : undefined;
  const scheduler = new Scheduler({
    engine,
    store,
    claimer: leases ?? new LocalClaimer(store),
    logger,
    tickMs: o.tickMs ?? 1000,
    ...(leases
      ? { renew: () => leases.renewAll(), renewMs: Math.max(500, Math.floor(config.cluster.leaseMs / 5)) }
      : {}),
  });
  const deploys = new DeployService({ store, config, clock, bus, nudge: () => scheduler.nudge() });
  const tail = new EventTail(store, bus, logger);
  const notifiers = createNotifiers(config, {
    kv: store.kv,
    logger,
    clock,
    fetch: fetchFn,
    ...(o.terminal ? { write: o.terminal } : {}),
  });
  let pump: ReturnType<typeof startNotificationPump> | undefined;
  let safety: ReturnType<typeof startSafetyConsumer> | undefined;
  const slack = slackInteractionDeps(config, {
    store,
    clock,
    logger,
    operations: slackOperations(deploys),
    wake: () => pump?.wake(),
    commands: { incident: incidentSlackCommand(new IncidentService({ store, config, clock })) },
  });

  const rt = {
    config,
    store,
    clock,
    bus,
    logger,
    sources,
    builtin,
    engine,
    scheduler,
    deploys,
    metrics,
    tail,
    instanceId,
  } as Runtime;
  rt.app = await buildApp({
    config,
    store,
    deploys,
    clock,
    bus,
    logger,
    tail,
    metrics,
    anonymousRead: o.anonymousRead ?? false,
    ...(o.localIdentity ? { localIdentity: o.localIdentity } : {}),
    readiness: async () => {
      const checks: Record<string, string> = {};
      try {
        await store.events.latestSeq();
        checks.store = 'ok';
      } catch (e) {
        checks.store = `unreachable: ${(e as Error).message}`;
      }
      checks.scheduler = scheduler.lastError ? `failing: ${scheduler.lastError}` : 'ok';
      return { ok: Object.values(checks).every((c) => c === 'ok'), checks };
    },
    plugins: [
      ...(builtin ? [metricsPushRoutes({ builtin, clock, config })] : []),
      // Slack's own signature authenticates these routes, not an API token.
      ...(slack ? [(app: FastifyInstance) => app.register(slackRoutes, slack)] : []),
      safetyPlugin(rt),
      integrationPlugin(rt),
      dashboardRoutes(rt, o.webDir ? { dir: o.webDir } : {}),
      ...(o.plugins ?? []).map((p) => p(rt)),
    ],
  });
  let started = false;
  rt.start = async () => {
    if (started) return;
    started = true;
    await tail.start();
    scheduler.start();
    // Opens an incident for every automatic rollback, from the shared event log (safe with replicas).
    safety = startSafetyConsumer({ store, clock, logger, bus });
    pump = startNotificationPump({
      store,
      config,
      notifiers,
      clock,
      logger,
      owner: instanceId,
      bus,
      ...(o.notifyPollMs ? { pollMs: o.notifyPollMs } : {}),
    });
  };
  rt.drain = async () => {
    await safety?.drainOnce();
    await pump?.drain();
  };
  rt.listen = async (l = {}) =>
    rt.app.listen({ host: l.host ?? config.server.host, port: l.port ?? config.server.port });
  rt.close = async () => {
    await rt.app.close();
    if (started) await scheduler.stop();
    await pump?.stop();
    await safety?.stop();
    tail.stop();
    for (const s of sources.values()) await s.close();
    if (!o.store) await store.close();
  };
  return rt;
}
