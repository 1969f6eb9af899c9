/**
 * Deterministic synthetic metrics for the dashboard's browser tests and benchmark: a seeded generator, so the same
 * start time always gives the same samples and the real judge reaches the same verdicts.
 */

/** Mulberry32: a tiny seeded PRNG; Math.random would make the judge's verdicts vary between runs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ServiceProfile {
  service: string;
  /** Requests per minute, whole service. */
  requests: number;
  /** Usual error ratio. */
  errorRatio: number;
  /** Usual p95 latency, seconds. */
  latency: number;
}

/** What the new version does while it has traffic. */
export interface CanaryBehaviour {
  /** Percent of traffic on the new version; 0 or 100 = no cohorts. */
  share: number;
  errorRatio?: number;
  latency?: number;
}

export const MINUTE = 60_000;

/**
 * A simulated service emitting Prometheus text (timestamps in ms): `http_requests`, `http_error_ratio` and
 * `http_latency_p95_seconds` with cohort="all", plus cohort="canary"/"baseline" while a new version has part of
 * the traffic. Call `sample` in time order (the built-in source drops samples older than a series' last one).
 */
export class SimulatedService {
  private readonly rnd: () => number;

  constructor(
    readonly profile: ServiceProfile,
    seed: number,
  ) {
    this.rnd = seededRandom(seed);
  }

  /** The lines of one sample time. */
  sample(t: number, canary: CanaryBehaviour = { share: 0 }): string[] {
    const p = this.profile;
    const noise = (scale: number) => (this.rnd() - 0.5) * 2 * scale;
    const sel = (name: string, cohort: string) => `${name}{service="${p.service}",cohort="${cohort}"}`;
    // A gentle daily wave, so the seasonal profile has something to learn.
    const day = 1 + 0.2 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);
    const req = Math.round(p.requests * day * (1 + noise(0.05)));
    const er = p.errorRatio * (1 + noise(0.15));
    const lat = p.latency * (1 + noise(0.08));
    const share = canary.share;
    const cEr = (canary.errorRatio ?? p.errorRatio) * (1 + noise(0.15));
    const cLat = (canary.latency ?? p.latency) * (1 + noise(0.08));
    const cReq = Math.round((req * share) / 100);
    const bReq = req - cReq;
    const allEr = share > 0 ? (cEr * cReq + er * bReq) / Math.max(1, req) : er;
    const allLat = share > 0 ? (cLat * cReq + lat * bReq) / Math.max(1, req) : lat;
    const lines = [
      `${sel('http_requests', 'all')} ${req} ${t}`,
      `${sel('http_error_ratio', 'all')} ${allEr.toFixed(6)} ${t}`,
      `${sel('http_latency_p95_seconds', 'all')} ${allLat.toFixed(4)} ${t}`,
    ];
    if (share > 0 && share < 100) {
      lines.push(
        `${sel('http_requests', 'canary')} ${cReq} ${t}`,
        `${sel('http_error_ratio', 'canary')} ${cEr.toFixed(6)} ${t}`,
        `${sel('http_latency_p95_seconds', 'canary')} ${cLat.toFixed(4)} ${t}`,
        `${sel('http_requests', 'baseline')} ${bReq} ${t}`,
        `${sel('http_error_ratio', 'baseline')} ${er.toFixed(6)} ${t}`,
        `${sel('http_latency_p95_seconds', 'baseline')} ${lat.toFixed(4)} ${t}`,
      );
    }
    return lines;
  }

  /** History without deploys: every `stepMs` before `fineFrom`, every minute from it up to `to` (inclusive). */
  history(from: number, fineFrom: number, to: number, stepMs: number): string {
    const out: string[] = [];
    for (let t = from; t <= to; t += t < fineFrom ? stepMs : MINUTE) out.push(...this.sample(t));
    return out.join('\n') + '\n';
  }
}
