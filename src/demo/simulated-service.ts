import type { Regression } from './regression.js';
import type { ServiceProfile } from './service-profile.js';
import { LoadCurve } from './service-profile.js';
import { SeededRandom, hashText } from './seeded-random.js';
import type { SplitState } from './traffic-split.js';

/** One cohort's numbers for one minute, as a metrics pipeline would report them. */
export interface CohortMinute {
  requests: number;
  /** Failed / all requests in the minute; NaN without requests. */
  errorRatio: number;
  p95Seconds: number;
  logLines: number;
  cpuPercent: number;
}

/** The service's minute ending at `t`: the whole service, and the cohorts while a deploy runs. */
export interface ServiceMinute {
  t: number;
  all: CohortMinute;
  /** Hosts running the version being deployed (absent when no deploy runs). */
  canary?: CohortMinute;
  /** Hosts still on the stable version during a deploy (absent when none are left). */
  baseline?: CohortMinute;
}

const MINUTE_MS = 60_000;

/** How a version's hosts differ from the profile: small build-to-build jitter, times its regression if any. */
interface VersionFactors {
  errors: number;
  latency: number;
  logs: number;
  cpu: number;
}

/** Shared by both cohorts in a minute (load, a slow dependency): cancels out when canary and baseline are compared. */
interface SharedMinute {
  load: number;
  errors: number;
  latency: number;
  logs: number;
  cpu: number;
}

/**
 * The simulated service: per-minute requests, error ratio, p95 latency, log lines and CPU for the whole service and
 * for the canary and baseline cohorts, given which versions serve which share of traffic. Pure in (seed, t, split):
 * each minute draws from its own seeded generator, so the numbers do not depend on how fast the demo runs, and the
 * history and the live minutes come from the same model. Bad versions get their regression on their own hosts only.
 */
export class SimulatedService {
  private readonly load: LoadCurve;
  private readonly regressions = new Map<string, Regression>();
  private readonly factors = new Map<string, VersionFactors>();

  constructor(
    readonly profile: ServiceProfile,
    private readonly seed: number,
  ) {
    this.load = new LoadCurve(seed);
  }

  /** Marks a version as carrying a regression (the scenario decides; the judge is not told). */
  markBad(version: string, regression: Regression): void {
    this.regressions.set(version, regression);
    this.factors.delete(version);
  }

  regressionOf(version: string): Regression | undefined {
    return this.regressions.get(version);
  }

  /** The minute (t - 1m, t], with the split in effect at its middle. `t` is a whole minute. */
  minute(t: number, split: SplitState): ServiceMinute {
    const p = this.profile;
    const rng = SeededRandom.for(this.seed, Math.floor(t / MINUTE_MS));
    const mid = t - MINUTE_MS / 2;
    const load = this.load.at(mid);
    const shared: SharedMinute = {
      load,
      // A dependency's bad minutes hit both cohorts alike; the errors also rise a little with load.
      errors: rng.logNormal(0.2) * (0.8 + 0.4 * load),
      latency: rng.logNormal(0.03) * (1 + 0.35 * load),
      logs: rng.logNormal(0.02),
      cpu: rng.normal() * 0.8,
    };
    const total = rng.poisson(p.peakRpm * load);
    if (!split.canary || split.share <= 0) {
      const all = this.cohort(rng, shared, total, p.hosts, split.stable, false, 0);
      return { t, all };
    }
    const share = Math.min(1, split.share / 100);
    const canaryRequests = share >= 1 ? total : rng.binomial(total, share);
    const canaryHosts = Math.max(1, Math.round(share * p.hosts));
    const warm = mid >= split.since ? Math.exp(-(mid - split.since) / p.warmUp.tauMs) : 0;
    const canary = this.cohort(rng, shared, canaryRequests, canaryHosts, split.canary, true, warm);
    if (share >= 1) return { t, all: canary, canary };
    const baseline = this.cohort(
      rng,
      shared,
      total - canaryRequests,
      Math.max(1, p.hosts - canaryHosts),
      split.stable,
      false,
      0,
    );
    return { t, all: combine(canary, canaryHosts, baseline, p.hosts - canaryHosts), canary, baseline };
  }

  private cohort(
    rng: SeededRandom,
    shared: SharedMinute,
    requests: number,
    hosts: number,
    version: string,
    canaryHardware: boolean,
    warm: number,
  ): CohortMinute {
    const p = this.profile;
    const f = this.factorsOf(version);
    const hw = canaryHardware ? p.canaryHardware : { latency: 1, cpu: 1 };
    const n = Math.max(requests, 0);
    const errors = rng.poisson(n * p.errorRatio * shared.errors * f.errors * rng.logNormal(0.05));
    // A percentile of n requests is noisier the fewer requests stand behind it; a cohort of few hosts adds its own.
    const latencyNoise = Math.sqrt(0.8 / Math.max(n, 1) + 0.0001 / hosts);
    const p95 =
      p.p95Seconds *
      shared.latency *
      f.latency *
      hw.latency *
      (1 + p.warmUp.latency * warm) *
      rng.logNormal(latencyNoise);
    const lines =
      rng.poisson(n * p.logLinesPerRequest * shared.logs * f.logs * rng.logNormal(0.01)) +
      errors * p.logLinesPerError;
    const cpuMean =
      (p.cpuIdlePercent + p.cpuLoadPercent * shared.load) * f.cpu * hw.cpu * (1 + p.warmUp.cpu * warm);
    const cpu = cpuMean + shared.cpu + (rng.normal() * 1.5) / Math.sqrt(hosts);
    return {
      requests: n,
      errorRatio: n > 0 ? errors / n : NaN,
      p95Seconds: p95,
      logLines: lines,
      cpuPercent: Math.min(100, Math.max(0, cpu)),
    };
  }

  private factorsOf(version: string): VersionFactors {
    let f = this.factors.get(version);
    if (f) return f;
    const rng = SeededRandom.for(this.seed, hashText(version));
    // Harmless build-to-build differences, within two standard deviations (a bigger one would be a regression).
    const jitter = (sd: number): number => Math.exp(sd * Math.max(-2, Math.min(2, rng.normal())));
    f = { errors: jitter(0.03), latency: jitter(0.008), logs: jitter(0.01), cpu: jitter(0.008) };
    const bad = this.regressions.get(version);
    if (bad) f[bad.kind] *= bad.factor;
    this.factors.set(version, f);
    return f;
  }
}

/** The whole service from its two cohorts: sums, a request-weighted error ratio and latency, host-weighted CPU. */
function combine(a: CohortMinute, hostsA: number, b: CohortMinute, hostsB: number): CohortMinute {
  const n = a.requests + b.requests;
  const errors = (a.requests ? a.errorRatio * a.requests : 0) + (b.requests ? b.errorRatio * b.requests : 0);
  const wa = n ? a.requests / n : 0.5;
  return {
    requests: n,
    errorRatio: n ? errors / n : NaN,
    // The percentile of the mix is close to the request-weighted geometric mean when the cohorts are alike.
    p95Seconds: Math.exp(wa * Math.log(a.p95Seconds) + (1 - wa) * Math.log(b.p95Seconds)),
    logLines: a.logLines + b.logLines,
    cpuPercent: (a.cpuPercent * hostsA + b.cpuPercent * hostsB) / Math.max(1, hostsA + hostsB),
  };
}
