// Test helpers: a seeded RNG, a small synthetic service with canary and baseline cohorts, and windows in the
// shape the engine hands the judge. Not a test file (vitest runs *.test.ts only).
import type { CheckHistory, CheckWindow, ExposureStep } from '../../src/analysis/check-data.js';
import type { DetectorOptions, ResolvedCheck, ResolvedService } from '../../src/config/resolved-config.js';
import type { Samples } from '../../src/metrics/samples.js';
import { sliceSamples } from '../../src/metrics/samples.js';

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): { u: () => number; normal: () => number; poisson: (l: number) => number } {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const poisson = (l: number): number => {
    if (l > 30) return Math.max(0, Math.round(l + Math.sqrt(l) * normal()));
    const L = Math.exp(-l);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= u();
    } while (p > L);
    return k - 1;
  };
  return { u, normal, poisson };
}

export const MIN = 60_000;
export const T0 = Date.UTC(2025, 2, 3, 12, 0);

export function series(points: Array<[number, number]>): Samples {
  return { t: Float64Array.from(points.map((p) => p[0])), v: Float64Array.from(points.map((p) => p[1])) };
}

export function check(
  name: string,
  metric: string,
  detectors: DetectorOptions = {},
  extra: Partial<ResolvedCheck> = {},
): ResolvedCheck {
  return {
    name,
    queries: {
      all: `${metric}{cohort="all"}`,
      canary: `${metric}{cohort="canary"}`,
      baseline: `${metric}{cohort="baseline"}`,
    },
    direction: 'up',
    action: 'rollback',
    detectors,
    ...extra,
  };
}

export function service(checks: ResolvedCheck[], extra: Partial<ResolvedService> = {}): ResolvedService {
  return {
    name: 'svc',
    key: false,
    deployer: { type: 'none' },
    source: 'builtin',
    intervalMs: MIN,
    queue: 'fifo',
    traffic: { all: 'req{cohort="all"}', canary: 'req{cohort="canary"}', baseline: 'req{cohort="baseline"}' },
    stages: [
      { name: 'canary', traffic: 10, bakeMs: 10 * MIN },
      { name: 'half', traffic: 50, bakeMs: 10 * MIN },
      { name: 'full', traffic: 100, bakeMs: 10 * MIN },
    ],
    checks,
    deployWindows: [],
    baselineMs: 60 * MIN,
    ...extra,
  } as ResolvedService;
}

/** One metric of a synthetic service, minute by minute, for all three cohorts and the traffic. */
export interface World {
  metric: { all: Samples; canary: Samples; baseline: Samples };
  traffic: { all: Samples; canary: Samples; baseline: Samples };
}

export interface WorldSpec {
  kind: 'errors' | 'latency';
  seed: number;
  /** Minutes of history before the deploy start (only `all`, plus earlier deploys' cohorts when `pastDeploys`). */
  historyMinutes: number;
  /** Minutes after the deploy start. */
  deployMinutes: number;
  /** Requests per minute. */
  rpm: number;
  /** Canary share by minute since the deploy start (percent). */
  share: (minute: number) => number;
  /** Canary effect: error-rate multiplier or latency multiplier. */
  effect?: number;
  /** Earlier deploys in the history (cohort series), every 60 minutes, 30 minutes at 10%. */
  pastDeploys?: boolean;
  /** A cold canary: its value is multiplied by this in the first minute after every traffic shift. */
  warmup?: number;
}

/** Builds a world: errors ~ Poisson(n p), latency p95 ~ 0.2 s x exp(N(0, 1.16 / sqrt(n))), common noise shared. */
export function world(spec: WorldSpec): World {
  const r = rng(spec.seed);
  const pts = {
    all: [] as Array<[number, number]>,
    canary: [] as Array<[number, number]>,
    baseline: [] as Array<[number, number]>,
    tAll: [] as Array<[number, number]>,
    tCanary: [] as Array<[number, number]>,
    tBaseline: [] as Array<[number, number]>,
  };
  const value = (n: number, factor: number, common: number): number => {
    if (spec.kind === 'errors') return r.poisson(n * 0.001 * factor * common) / n;
    return 0.2 * factor * common * Math.exp((1.16 / Math.sqrt(n)) * r.normal());
  };
  for (let m = -spec.historyMinutes; m < spec.deployMinutes; m++) {
    const t = T0 + (m + 1) * MIN;
    const n = Math.round(spec.rpm * (1 + 0.03 * r.normal()));
    const common = Math.exp(0.1 * r.normal());
    let share = 0;
    let effect = 1;
    let shifted = false;
    if (m >= 0) {
      share = spec.share(m);
      effect = spec.effect ?? 1;
      shifted = m === 0 || spec.share(m - 1) !== share;
    } else if (spec.pastDeploys && ((m % 60) + 60) % 60 < 30) {
      share = 10;
      shifted = ((m % 60) + 60) % 60 === 0;
    }
    if (shifted && spec.warmup) effect *= spec.warmup;
    pts.tAll.push([t, n]);
    if (share > 0 && share < 100) {
      const nc = Math.max(1, Math.round((n * share) / 100));
      const nb = n - nc;
      const c = value(nc, effect, common);
      const b = value(nb, 1, common);
      pts.canary.push([t, c]);
      pts.baseline.push([t, b]);
      pts.tCanary.push([t, nc]);
      pts.tBaseline.push([t, nb]);
      pts.all.push([t, (c * nc + b * nb) / n]);
    } else pts.all.push([t, value(n, share >= 100 ? effect : 1, common)]);
  }
  return {
    metric: { all: series(pts.all), canary: series(pts.canary), baseline: series(pts.baseline) },
    traffic: { all: series(pts.tAll), canary: series(pts.tCanary), baseline: series(pts.tBaseline) },
  };
}

/** The history prepareCheck gets: everything before the deploy start. */
export function historyOf(w: World, start = T0): CheckHistory {
  const before = (s: Samples): Samples => sliceSamples(s, -Infinity, start);
  return {
    deployStart: start,
    from: w.traffic.all.t[0],
    to: start,
    metric: before(w.metric.all),
    traffic: before(w.traffic.all),
    canary: before(w.metric.canary),
    baseline: before(w.metric.baseline),
    canaryTraffic: before(w.traffic.canary),
    baselineTraffic: before(w.traffic.baseline),
  };
}

/** The window of an evaluation at `now` (samples up to now), for a deploy started at T0. */
export function windowAt(
  w: World,
  now: number,
  exposure: ExposureStep[],
  stageStart = T0,
  start = T0,
): CheckWindow {
  const cut = (s: Samples, from: number): Samples => sliceSamples(s, from, now);
  return {
    now,
    deployStart: start,
    windowStart: start - 60 * MIN,
    stageStart,
    exposure: exposure.filter((e) => e.at < now),
    metric: {
      all: cut(w.metric.all, start - 60 * MIN),
      canary: cut(w.metric.canary, start),
      baseline: cut(w.metric.baseline, start),
    },
    traffic: {
      all: cut(w.traffic.all, start - 60 * MIN),
      canary: cut(w.traffic.canary, start),
      baseline: cut(w.traffic.baseline, start),
    },
  };
}
