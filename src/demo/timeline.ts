import type { CheckResult } from '../analysis/verdict.js';
import type { EventBus } from '../events/event-bus.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import { renderEventLine } from '../notify/log/render-event-line.js';
import type { EvaluationRecord } from '../store/store.js';
import type { DemoBuild } from './demo-build.js';
import type { BuildOutcome } from './play-build.js';

/** Events the timeline leaves out: the demo announces each build itself, with its changes. */
const QUIET: ReadonlySet<string> = new Set(['deploy:queued']);

/** Simulated times are shown in UTC: the simulated service's daily traffic curve is in UTC too. */
const TIME_ZONE = 'UTC';

export interface TimelineOptions {
  /** A deploy's recent evaluations (the store's), to say what the judge saw in a stage. */
  evaluations?: (deployId: string) => Promise<EvaluationRecord[]>;
}

/**
 * The demo's live timeline: one line per lifecycle event from the runtime's bus (the notifications' line
 * renderer, so it reads like the log notifier), what the judge compared in each stage that passed, and the demo's
 * own lines, all written in the order they happened.
 */
export class Timeline {
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly write: (line: string) => void,
    private readonly o: TimelineOptions = {},
  ) {
    this.unsubscribe = bus.subscribe((e) => this.onEvent(e));
  }

  /** Writes a line after everything already queued. */
  say(line: string): void {
    this.chain = this.chain.then(() => this.write(line));
  }

  /** `10:04 webapp v1.89.0: requested: #2317 Switch payments to the new SDK client (devon)`, and what is simulated. */
  announce(at: number, service: string, build: DemoBuild): void {
    const changes = build.changes
      .map((c) => `${c.id} ${c.title ?? ''}${c.author ? ` (${c.author})` : ''}`.trim())
      .join('; ');
    this.say(`${clockTime(at)} ${service} ${build.version}: requested: ${changes}`);
    if (build.regression)
      this.say(`      simulated bug: ${build.regression.describe} (the judge is not told)`);
  }

  /**
   * What the simulation knows and the judge did not: whether the build was bad. Said after each build so a
   * newcomer can tell a catch from a false alarm (`link`: the deploy's page on the dashboard). Ends the build's
   * lines with a blank one.
   */
  reveal(o: BuildOutcome, link: string): void {
    const bad = o.build.regression;
    const stopped = o.result === 'rolled_back' || o.result === 'paused';
    if (bad && stopped)
      this.say(`      ✓ caught the simulated bug at ${o.stage ?? '?'}; the evidence: ${link}`);
    else if (bad)
      this.say(
        `      ✗ missed: this build's simulated bug was not stopped (${o.result.replace('_', ' ')}); ${link}`,
      );
    else if (stopped) this.say(`      ✗ false alarm: this build had no simulated bug; the evidence: ${link}`);
    this.say('');
  }

  /** Stops listening and waits until every queued line is written. */
  async close(): Promise<void> {
    this.unsubscribe();
    await this.chain;
  }

  private onEvent(e: StoredEvent): void {
    if (QUIET.has(e.event.type)) return;
    const line = renderEventLine(e, { timeZone: TIME_ZONE });
    const passed = passedStage(e);
    const fetch = this.o.evaluations;
    // Fetched now, written in turn: the stage's evaluations are all stored before the event that ends it.
    const judged =
      passed !== null && fetch && e.deployId ? fetch(e.deployId).catch(() => []) : Promise.resolve([]);
    this.chain = this.chain.then(async () => {
      this.write(line);
      const summary = judgedLine((await judged).filter((r) => r.stageIndex === passed));
      if (summary) this.write(`      ${summary}`);
    });
  }
}

function clockTime(at: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
  }).format(at);
}

/** The index of the stage that just passed (advanced from, or promoted at), else null. */
function passedStage(e: StoredEvent): number | null {
  const ev = e.event;
  if (ev.type === 'stage:advanced' && ev.from !== null) return ev.deploy.stageIndex - 1;
  if (ev.type === 'deploy:promoted' && !ev.skipped) return ev.deploy.stageIndex;
  return null;
}

/**
 * `judged 5 times, canary vs baseline: error-ratio +3.1%, latency-p95 -0.4%, …` from the stage's evaluations (in
 * any order; the latest speaks); the whole-service z-scores where no baseline cohort was left (100%).
 */
export function judgedLine(records: readonly EvaluationRecord[]): string {
  const last = records.reduce<EvaluationRecord | undefined>((a, r) => (a && a.at >= r.at ? a : r), undefined);
  if (!last) return '';
  const effects = last.results.filter((r) => r.evidence.effect !== undefined);
  const times = `judged ${records.length} time${records.length === 1 ? '' : 's'}`;
  if (effects.length)
    return `${times}, canary vs baseline: ${effects.map((r) => `${r.name} ${percent(r)}`).join(', ')}`;
  const z = last.results.filter((r) => r.evidence.z !== undefined);
  if (z.length)
    return `${times}, whole service vs before the deploy: ${z.map((r) => `${r.name} z=${(r.evidence.z as number).toFixed(1)}`).join(', ')}`;
  return times;
}

function percent(r: CheckResult): string {
  const e = (r.evidence.effect as number) * 100;
  if (!Number.isFinite(e)) return 'n/a';
  return `${e >= 0 ? '+' : ''}${Math.abs(e) >= 10 ? e.toFixed(0) : e.toFixed(1)}%`;
}
