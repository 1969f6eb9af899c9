import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import type { DeployEngine } from './deploy-engine.js';
import type { WorkClaimer } from './work-claimer.js';

export interface SchedulerOptions {
  engine: DeployEngine;
  store: Store;
  claimer: WorkClaimer;
  logger: Logger;
  /** How often claimed services are ticked, ms. */
  tickMs?: number;
  /** How often leases are renewed independently of ticks (long deployer actions), ms. */
  renewMs?: number;
  renew?: () => Promise<void>;
  /** Ticks running at once in this process. */
  concurrency?: number;
}

/**
 * The live loop: every tick it claims services (all of them in a single process; a fair share with leases on
 * PostgreSQL) and ticks each one that is not already ticking. A slow deployer action delays only its own service.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private stopping = false;
  /** Nudges before start() are ignored: a CLI command on the local store must not run deploys itself. */
  private started = false;
  private roundRunning = false;
  /** The round in progress, so stop() can wait for the ticks it is still starting. */
  private currentRound: Promise<void> = Promise.resolve();
  private rerun = false;
  /** Wall time of the last round that reached the store; /readyz reads it. */
  lastOkAt = 0;
  lastError: string | null = null;

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    this.started = true;
    const tickMs = this.o.tickMs ?? 1000;
    const loop = () => {
      if (this.stopping) return;
      void this.round().finally(() => {
        if (!this.stopping) this.timer = setTimeout(loop, tickMs);
      });
    };
    loop();
    if (this.o.renew) {
      this.renewTimer = setInterval(() => {
        this.o.renew!().catch((e: Error) => this.o.logger.warn({ err: e.message }, 'lease renewal failed'));
      }, this.o.renewMs ?? 3000);
    }
  }

  /** Ticks soon, without waiting for the next round (a user acted on a deploy). */
  nudge(): void {
    if (this.stopping || !this.started) return;
    if (this.roundRunning) {
      this.rerun = true;
      return;
    }
    setImmediate(() => void this.round());
  }

  /** One round: claim, then start a tick for every claimed service not already ticking. */
  round(): Promise<void> {
    if (this.roundRunning) {
      this.rerun = true;
      return this.currentRound;
    }
    this.roundRunning = true;
    this.currentRound = this.runRound();
    return this.currentRound;
  }

  private async runRound(): Promise<void> {
    try {
      do {
        this.rerun = false;
        const claims = await this.o.claimer.claim();
        const holds = await this.o.store.holds.active();
        const limit = this.o.concurrency ?? 16;
        // Evaluations due across all services in one batch; the rest tick one service at a time.
        const singles = await this.o.engine.tickRound(
          claims.filter((c) => !this.inFlight.has(c.service)),
          holds,
        );
        for (const { service, fence } of singles) {
          if (this.stopping) break;
          if (this.inFlight.has(service)) continue;
          while (this.inFlight.size >= limit) await Promise.race(this.inFlight.values());
          // stop() may have begun while this round waited for a free slot: start nothing after it.
          if (this.stopping) break;
          const tick = this.o.engine
            .tickService(service, { ...(fence ? { fence } : {}), holds })
            .catch((e: Error) =>
              this.o.logger.error({ service, err: e.message }, 'tick failed; retrying next round'),
            )
            .finally(() => this.inFlight.delete(service));
          this.inFlight.set(service, tick);
        }
        this.lastOkAt = Date.now();
        this.lastError = null;
      } while (this.rerun && !this.stopping);
    } catch (e) {
      this.lastError = (e as Error).message;
      this.o.logger.warn({ err: this.lastError }, 'scheduler round failed; retrying');
    } finally {
      this.roundRunning = false;
    }
  }

  /** Graceful stop: no new ticks, finish the transitions in flight, give up leases. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.currentRound;
    // Leases stay renewed until the work in flight is done: a deployer action may outlast the lease time, and a
    // lease that lapsed meanwhile would let another replica repeat the action and refuse this one's result.
    await Promise.all(this.inFlight.values());
    await this.o.engine.idle();
    clearInterval(this.renewTimer);
    await this.o.claimer
      .releaseAll()
      .catch((e: Error) => this.o.logger.warn({ err: e.message }, 'could not release leases'));
  }
}
