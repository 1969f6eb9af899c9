import type { AcceleratedClock } from './accelerated-clock.js';
import type { MetricsWriter } from './metrics-writer.js';
import type { SimulatedService } from './simulated-service.js';
import type { TrafficSplit } from './traffic-split.js';

const MINUTE_MS = 60_000;

export interface MetricsEmitterOptions {
  clock: AcceleratedClock;
  service: SimulatedService;
  split: TrafficSplit;
  writer: MetricsWriter;
  /** The last minute already written (the end of the history), ms. */
  after: number;
}

/**
 * The simulated service's metrics pipeline: as each simulated minute ends, its samples (with the traffic split in
 * effect during it) are written to the built-in store, where the engine and the dashboard read them.
 */
export class MetricsEmitter {
  private last: number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly o: MetricsEmitterOptions) {
    this.last = Math.floor(o.after / MINUTE_MS) * MINUTE_MS;
  }

  /** Writes every whole minute that has ended by now. */
  catchUp(): void {
    const now = this.o.clock.now();
    while (this.last + MINUTE_MS <= now) {
      const t = this.last + MINUTE_MS;
      this.o.writer.write(this.o.service.minute(t, this.o.split.at(t - MINUTE_MS / 2)));
      this.last = t;
    }
    this.o.split.prune(this.last - MINUTE_MS);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (): void => {
      if (!this.running) return;
      this.catchUp();
      // Wake right at the next minute's end, so the engine rarely evaluates before its samples are in.
      this.timer = setTimeout(loop, Math.max(1, this.o.clock.realDelayUntil(this.last + MINUTE_MS)));
    };
    loop();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }
}
