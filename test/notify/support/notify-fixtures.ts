import type { CheckResult, Decision } from '../../../src/analysis/verdict.js';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import type { ResolvedConfig } from '../../../src/config/resolved-config.js';
import type { DeployRef, LifecycleEvent } from '../../../src/events/lifecycle-event.js';
import type { Store } from '../../../src/store/store.js';

export const T0 = Date.UTC(2025, 0, 15, 12, 4, 0);

/** A real config (parsed and resolved like a file): webapp owned by payments, with channels and a mention group. */
export function notifyConfig(
  notifiers: ConfigInput['notifiers'],
  extra: Partial<ConfigInput> = {},
): ResolvedConfig {
  const parsed = configSchema.parse({
    server: { publicUrl: 'https://releasebot.example.com' },
    teams: {
      payments: { channel: '#payments-deploys', alertChannel: '#payments-alerts', mention: 'S0PAYMENTS' },
    },
    defaults: {
      stages: [
        { name: 'canary', traffic: 1, bake: '10m' },
        { name: 'half', traffic: 50, bake: '10m' },
        { name: 'full', traffic: 100, bake: '5m' },
      ],
    },
    services: {
      webapp: { team: 'payments', key: true },
      api: { channel: '#api-deploys' },
    },
    notifiers,
    ...extra,
  });
  const r = resolveConfig(parsed);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

export function deployRef(over: Partial<DeployRef> = {}): DeployRef {
  return {
    id: 'd-1',
    service: 'webapp',
    version: 'v1.4.2',
    previousVersion: 'v1.4.1',
    changes: [
      { id: '#812', title: 'Retry payment webhooks', author: 'alice', url: 'https://git.example.com/pr/812' },
      { id: '#815', title: 'Bump <http> client & TLS', author: 'bob' },
    ],
    state: 'running',
    stageIndex: 0,
    stage: 'canary',
    traffic: 1,
    ...over,
  };
}

export const breachCheck: CheckResult = {
  name: 'error-ratio',
  verdict: 'breach',
  action: 'rollback',
  reason: 'error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
  evidence: {
    detector: 'canary',
    unit: 'ratio',
    canaryValue: 0.0084,
    baselineValue: 0.0011,
    value: 0.0084,
    baselineMean: 0.0011,
    baselineSpread: 0.0002,
    z: 7.93,
    zThreshold: 3,
    pValue: 2e-9,
    effect: 6.6,
  },
};

export const rollbackDecision: Decision = {
  action: 'rollback',
  reason: 'error-ratio: canary 0.84% vs baseline 0.11% (p=2e-9)',
  alerts: [],
  culprits: ['error-ratio'],
  blind: false,
};

/** The life of a deploy that gets rolled back in its canary stage. */
export function rolledBackDeployEvents(id = 'd-1', service = 'webapp'): LifecycleEvent[] {
  const d = (over: Partial<DeployRef>) => deployRef({ id, service, ...over });
  return [
    { type: 'deploy:started', deploy: d({ stage: null, stageIndex: -1, traffic: 0 }) },
    { type: 'stage:advanced', deploy: d({}), from: null, to: 'canary', traffic: 1 },
    { type: 'check:breached', deploy: d({}), check: breachCheck, decision: rollbackDecision },
    {
      type: 'deploy:rolling_back',
      deploy: d({ state: 'rolling_back' }),
      reason: rollbackDecision.reason,
      automatic: true,
    },
    {
      type: 'deploy:rolled_back',
      deploy: d({ state: 'rolled_back', traffic: 0 }),
      reason: rollbackDecision.reason,
      automatic: true,
    },
  ];
}

/** Appends events as the engine does (one per minute from T0 unless `at` is given). */
export async function appendEvents(
  store: Store,
  events: LifecycleEvent[],
  at = T0,
  actor = 'releasebot',
): Promise<void> {
  await store.events.append(
    events.map((event, i) => ({
      at: at + i * 60_000,
      actor,
      event,
      deployId: 'deploy' in event ? event.deploy.id : null,
      service: 'deploy' in event ? event.deploy.service : null,
    })),
  );
}
