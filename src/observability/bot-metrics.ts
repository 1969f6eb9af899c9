import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DecisionAction } from '../analysis/verdict.js';
import type { EngineObserver } from '../pipeline/deploy-engine.js';
import type { Store } from '../store/store.js';

/** releasebot's own metrics, served at /metrics in the Prometheus format. */
export class BotMetrics implements EngineObserver {
  readonly registry = new Registry();
  private readonly evaluations: Counter<'service' | 'decision'>;
  private readonly decisionLatency: Histogram<'service'>;
  private readonly transitions: Counter<'service' | 'event'>;
  private readonly deployerCalls: Counter<'service' | 'action' | 'result'>;
  readonly leaseTakeovers: Counter<'service'>;
  readonly sourceErrors: Counter<'source'>;

  constructor(store: Store, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    // prom-client's names already start with process_/nodejs_: releasebot_process_cpu_seconds_total, not
    // releasebot_process_process_….
    if (opts.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'releasebot_' });
    this.evaluations = new Counter({
      name: 'releasebot_evaluations_total',
      help: 'Evaluation rounds of running deploys, by decision.',
      labelNames: ['service', 'decision'],
      registers,
    });
    this.decisionLatency = new Histogram({
      name: 'releasebot_decision_seconds',
      help: 'Time to fetch metrics and decide one evaluation of a deploy.',
      labelNames: ['service'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.transitions = new Counter({
      name: 'releasebot_events_total',
      help: 'Lifecycle events written, by type.',
      labelNames: ['service', 'event'],
      registers,
    });
    this.deployerCalls = new Counter({
      name: 'releasebot_deployer_calls_total',
      help: 'Deployer and gate actions, by result.',
      labelNames: ['service', 'action', 'result'],
      registers,
    });
    this.leaseTakeovers = new Counter({
      name: 'releasebot_lease_takeovers_total',
      help: 'Services this replica took over from another.',
      labelNames: ['service'],
      registers,
    });
    this.sourceErrors = new Counter({
      name: 'releasebot_source_errors_total',
      help: 'Metric source queries that failed.',
      labelNames: ['source'],
      registers,
    });
    new Gauge({
      name: 'releasebot_deploys',
      help: 'Open deploys by state.',
      labelNames: ['state'],
      registers,
      async collect() {
        const open = await store.deploys.list({
          states: ['queued', 'running', 'paused', 'rolling_back'],
          limit: 10_000,
        });
        this.reset();
        for (const state of ['queued', 'running', 'paused', 'rolling_back']) {
          this.set({ state }, open.filter((d) => d.state === state).length);
        }
      },
    });
    new Gauge({
      name: 'releasebot_notifications',
      help: 'Notification outbox: pending, failed (given up) and delivered.',
      labelNames: ['status'],
      registers,
      async collect() {
        const s = await store.outbox.stats();
        this.set({ status: 'pending' }, s.pending);
        this.set({ status: 'failed' }, s.failed);
        this.set({ status: 'delivered' }, s.delivered);
      },
    });
  }

  evaluation(service: string, decision: DecisionAction, durationMs: number): void {
    this.evaluations.inc({ service, decision });
    this.decisionLatency.observe({ service }, durationMs / 1000);
  }

  transition(service: string, type: string): void {
    this.transitions.inc({ service, event: type });
  }

  deployerCall(service: string, action: string, ok: boolean): void {
    this.deployerCalls.inc({ service, action, result: ok ? 'ok' : 'failed' });
  }
}
