import type { ResolvedService } from '../../src/config/resolved-config.js';
import type { DeployerCall } from '../../src/deployers/deployer.js';
import type { Deploy } from '../../src/pipeline/deploy.js';

/** A deployer call for a `webapp` deploy entering its `ten` stage; override what a test is about. */
export function deployerCall(
  over: { version?: string; previousVersion?: string | null; signal?: AbortSignal } = {},
): DeployerCall {
  const service: ResolvedService = {
    name: 'webapp',
    key: false,
    deployer: { type: 'none' },
    source: 'builtin',
    intervalMs: 60_000,
    queue: 'fifo',
    stages: [
      { name: 'canary', traffic: 1, bakeMs: 600_000 },
      { name: 'ten', traffic: 10, bakeMs: 600_000 },
    ],
    checks: [],
    deployWindows: [],
    baselineMs: 3_600_000,
  };
  const deploy: Deploy = {
    id: 'd_0001',
    service: 'webapp',
    version: over.version ?? 'v1.4.2',
    previousVersion: over.previousVersion === undefined ? 'v1.4.1' : over.previousVersion,
    changes: [],
    trigger: { kind: 'ci', actor: 'ci-job-1' },
    driver: 'releasebot',
    externalTraffic: null,
    state: 'running',
    stageIndex: 1,
    stageStartedAt: null,
    bakeDoneMs: 0,
    createdAt: 0,
    startedAt: 0,
    endedAt: null,
    reason: null,
    pauseKind: null,
    idempotencyKey: null,
    supersedes: [],
    pending: null,
    attempt: 0,
    lastEvaluatedAt: null,
    revision: 1,
  };
  return {
    service,
    deploy,
    stage: service.stages[1],
    traffic: 10,
    idempotencyKey: 'd_0001:shift:1:0',
    fence: 7,
    ...(over.signal ? { signal: over.signal } : {}),
  };
}
