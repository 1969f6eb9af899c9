import { SeededRandom } from './seeded-random.js';

/** What the simulated service looks like when nothing is wrong. Levels at full load; noise as it really comes. */
export interface ServiceProfile {
  service: string;
  /** Requests per minute at the daily peak of a weekday. */
  peakRpm: number;
  /** Share of requests that fail, on average. */
  errorRatio: number;
  /** 95th-percentile latency at low load, seconds; rises with load. */
  p95Seconds: number;
  logLinesPerRequest: number;
  /** Extra log lines a failed request writes (the error and a short trace). */
  logLinesPerError: number;
  /** CPU utilisation of a host: idle share plus a share proportional to load, percent. */
  cpuIdlePercent: number;
  cpuLoadPercent: number;
  hosts: number;
  /** Canary hosts run on slightly different hardware: a small, steady offset the judge must not blame on a build. */
  canaryHardware: { latency: number; cpu: number };
  /** New hosts are cold after each traffic shift: latency and CPU start higher and settle with this time constant. */
  warmUp: { latency: number; cpu: number; tauMs: number };
}

export const WEBAPP_PROFILE: ServiceProfile = {
  service: 'webapp',
  peakRpm: 24_000,
  errorRatio: 0.002,
  p95Seconds: 0.14,
  logLinesPerRequest: 2.4,
  logLinesPerError: 6,
  cpuIdlePercent: 14,
  cpuLoadPercent: 46,
  hosts: 40,
  canaryHardware: { latency: 1.01, cpu: 1.02 },
  warmUp: { latency: 0.08, cpu: 0.05, tauMs: 90_000 },
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The service's load at time t, relative to the weekday peak (about 0.3 to 1): a daily curve with its low at
 * 04:00 UTC and its peak at 16:00, weekends at 70%, and slow wandering drift that differs from day to day, so that
 * the judge's dynamic thresholds have real work to do.
 */
export class LoadCurve {
  private readonly drift: Array<{ amplitude: number; periodMs: number; phase: number }>;

  constructor(seed: number) {
    const rng = SeededRandom.for(seed, 0x10ad);
    this.drift = [
      { amplitude: 0.05, periodMs: 5.3 * HOUR_MS, phase: rng.next() * 2 * Math.PI },
      { amplitude: 0.03, periodMs: 97 * 60_000, phase: rng.next() * 2 * Math.PI },
      { amplitude: 0.015, periodMs: 31 * 60_000, phase: rng.next() * 2 * Math.PI },
    ];
  }

  at(t: number): number {
    const hour = (((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
    const daily = 0.3 + 0.7 * Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 4)) / 24), 1.3);
    const weekday = new Date(t).getUTCDay();
    const week = weekday === 0 || weekday === 6 ? 0.7 : 1;
    let drift = 1;
    for (const d of this.drift) drift += d.amplitude * Math.sin((2 * Math.PI * t) / d.periodMs + d.phase);
    return daily * week * drift;
  }
}
