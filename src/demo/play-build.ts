import type { StoredEvent } from '../events/lifecycle-event.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { AcceleratedClock } from './accelerated-clock.js';
import type { DemoBuild } from './demo-build.js';
import type { SimulatedService } from './simulated-service.js';
import type { TrafficSplit } from './traffic-split.js';

export type BuildResult =
  'promoted' | 'rolled_back' | 'paused' | 'aborted' | 'failed' | 'superseded' | 'unfinished';

/** How one build's deploy ended, read from its lifecycle events. */
export interface BuildOutcome {
  build: DemoBuild;
  deployId: string;
  result: BuildResult;
  /** The stage it was in when it was decided (rolled back, paused) or ended. */
  stage: string | null;
  /** The engine's one-line reason (for a rollback: the judge's evidence). */
  reason: string;
  /** Checks that breached and stopped it. */
  culprits: string[];
  automatic: boolean;
  startedAt: number | null;
  /** When the engine decided to roll back / pause, or when it was promoted, simulated ms. */
  decidedAt: number | null;
}

const TERMINAL: ReadonlySet<string> = new Set([
  'deploy:promoted',
  'deploy:rolled_back',
  'deploy:aborted',
  'deploy:failed',
  'deploy:superseded',
]);
const ACTOR = 'demo';

/**
 * Requests a deploy of `build` through the deploy service (what the API and CLI call) and waits until the engine
 * has finished it. A deploy paused by a check, or still running after `timeoutMs` of simulated time, is aborted
 * so the demo moves on; an abort of `signal` (Ctrl-C) returns it unfinished.
 */
export async function playBuild(
  rt: Runtime,
  o: {
    service: SimulatedService;
    split: TrafficSplit;
    clock: AcceleratedClock;
    build: DemoBuild;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<BuildOutcome> {
  const { build } = o;
  const seen: StoredEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = rt.bus.subscribe((e) => {
    seen.push(e);
    wake?.();
  });
  const onAbort = (): void => wake?.();
  o.signal?.addEventListener('abort', onAbort);
  try {
    if (build.regression) o.service.markBad(build.version, build.regression);
    const { deploy } = await rt.deploys.createDeploy({
      service: o.service.profile.service,
      version: build.version,
      previousVersion: o.split.current().stable,
      changes: build.changes,
      trigger: { kind: 'demo', actor: ACTOR },
    });
    const id = deploy.id;
    const deadline = o.clock.now() + o.timeoutMs;
    for (;;) {
      const mine = seen.filter((e) => e.deployId === id);
      const end = mine.find((e) => TERMINAL.has(e.event.type));
      if (end) return outcomeOf(build, id, mine, end);
      const paused = mine.find((e) => e.event.type === 'deploy:paused' && e.event.kind !== 'no_data');
      if (paused || o.clock.now() >= deadline) {
        const why = paused
          ? 'paused by a check; the demo aborts it to move on'
          : 'did not finish in time; the demo aborts it';
        await rt.deploys.operate('abort', id, ACTOR, why).catch(() => undefined);
        return { ...outcomeOf(build, id, mine, paused), result: paused ? 'paused' : 'unfinished' };
      }
      if (o.signal?.aborted) return { ...outcomeOf(build, id, mine, undefined), result: 'unfinished' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(250, o.clock.realDelayUntil(deadline) + 1));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

function outcomeOf(
  build: DemoBuild,
  deployId: string,
  events: StoredEvent[],
  end: StoredEvent | undefined,
): BuildOutcome {
  const started = events.find((e) => e.event.type === 'deploy:started');
  const decision =
    events.find((e) => e.event.type === 'deploy:rolling_back' || e.event.type === 'deploy:paused') ?? end;
  const culprits = events.flatMap((e) =>
    e.event.type === 'check:breached' && e.event.check.action !== 'alert' ? [e.event.check.name] : [],
  );
  const ev = end?.event;
  const result: BuildResult = ev
    ? ev.type === 'deploy:promoted'
      ? 'promoted'
      : ev.type === 'deploy:rolled_back'
        ? 'rolled_back'
        : ev.type === 'deploy:aborted'
          ? 'aborted'
          : ev.type === 'deploy:superseded'
            ? 'superseded'
            : ev.type === 'deploy:paused'
              ? 'paused'
              : 'failed'
    : 'unfinished';
  const d = decision?.event;
  const reason = d && 'reason' in d ? d.reason : '';
  return {
    build,
    deployId,
    result,
    stage: d && 'deploy' in d ? d.deploy.stage : null,
    reason,
    culprits: [...new Set(culprits)],
    automatic:
      d?.type === 'deploy:rolling_back'
        ? d.automatic
        : d?.type === 'deploy:paused'
          ? d.kind !== 'manual'
          : true,
    startedAt: started?.at ?? null,
    decidedAt: decision?.at ?? null,
  };
}
