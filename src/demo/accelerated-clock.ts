import type { Clock } from '../time/clock.js';

export interface AcceleratedClockOptions {
  /** Simulated time when the clock starts running, ms since the epoch. */
  start: number;
  /** Simulated milliseconds per real millisecond (60: one simulated minute per real second). */
  speed: number;
  /** A monotonic real-time source in ms (performance.now); passed in so tests can drive it. */
  realNow: () => number;
  /** The most simulated time that may pass at once, ms (default 20 s). */
  maxStepMs?: number;
}

const DEFAULT_MAX_STEP_MS = 20_000;

/**
 * Simulated time running `speed` times faster than real time: what lets the demo show a day of deploys in minutes
 * with the real scheduler, engine and API. Stands still at `start` until `run()` (the history is generated first)
 * and never goes backwards.
 *
 * - Time moves between turns of the event loop, never within one: code that reads the clock twice without
 *   awaiting sees one instant, as under replay's manual clock. (At 600x a real microsecond is most of a simulated
 *   millisecond.)
 * - It never jumps more than `maxStepMs` at once: when the process stalls (a busy CPU, a long garbage
 *   collection), the simulation slows down instead of skipping minutes that the engine and the simulated metrics
 *   would both miss. While running it samples real time often enough that this never slows it otherwise.
 */
export class AcceleratedClock implements Clock {
  readonly speed: number;
  private readonly realNow: () => number;
  private readonly maxStepMs: number;
  private sim: number;
  private lastReal: number | undefined;
  private frozen = false;
  private ticker: NodeJS.Timeout | undefined;

  constructor(o: AcceleratedClockOptions) {
    if (!(o.speed > 0)) throw new Error(`speed must be positive, got ${o.speed}`);
    this.sim = o.start;
    this.speed = o.speed;
    this.realNow = o.realNow;
    this.maxStepMs = o.maxStepMs ?? DEFAULT_MAX_STEP_MS;
  }

  /** Starts the clock (idempotent). */
  run(): void {
    if (this.lastReal !== undefined) return;
    this.lastReal = this.realNow();
    this.ticker = setInterval(() => this.now(), Math.max(1, this.maxStepMs / this.speed / 2));
    this.ticker.unref();
  }

  /** Stops sampling real time; the clock keeps answering (and moving when read). */
  stop(): void {
    clearInterval(this.ticker);
  }

  now(): number {
    if (this.lastReal === undefined || this.frozen) return Math.floor(this.sim);
    const real = this.realNow();
    this.sim += Math.min(Math.max(0, real - this.lastReal) * this.speed, this.maxStepMs);
    this.lastReal = real;
    this.frozen = true;
    queueMicrotask(() => {
      this.frozen = false;
    });
    return Math.floor(this.sim);
  }

  /** Real milliseconds until the simulated time `t` at full speed (0 when it has passed). */
  realDelayUntil(t: number): number {
    return Math.max(0, (t - this.now()) / this.speed);
  }
}
