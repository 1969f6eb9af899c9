import { describe, expect, it } from 'vitest';
import { REGRESSIONS } from '../../src/demo/regression.js';
import { WEBAPP_PROFILE } from '../../src/demo/service-profile.js';
import { SimulatedService, type CohortMinute } from '../../src/demo/simulated-service.js';
import type { SplitState } from '../../src/demo/traffic-split.js';

const T0 = Date.UTC(2025, 2, 4, 10, 0);
const MIN = 60_000;
const stableOnly: SplitState = { stable: 'v1', canary: null, share: 0, since: 0 };

/** Sums a cohort over many minutes: requests-weighted error ratio, mean p95, log lines per request. */
function totals(
  service: SimulatedService,
  split: SplitState,
  cohort: 'canary' | 'baseline',
  minutes: number,
) {
  let requests = 0;
  let errors = 0;
  let lines = 0;
  let p95 = 0;
  for (let k = 1; k <= minutes; k++) {
    const c = service.minute(T0 + k * MIN, split)[cohort] as CohortMinute;
    requests += c.requests;
    errors += c.errorRatio * c.requests;
    lines += c.logLines;
    p95 += c.p95Seconds;
  }
  return { errorRatio: errors / requests, linesPerRequest: lines / requests, p95: p95 / minutes };
}

describe('SimulatedService', () => {
  it('gives the same minute for the same seed, whatever was asked before', () => {
    const a = new SimulatedService(WEBAPP_PROFILE, 7);
    const b = new SimulatedService(WEBAPP_PROFILE, 7);
    b.minute(T0 + 5 * MIN, stableOnly);
    expect(a.minute(T0, stableOnly)).toEqual(b.minute(T0, stableOnly));
    expect(new SimulatedService(WEBAPP_PROFILE, 8).minute(T0, stableOnly)).not.toEqual(
      a.minute(T0, stableOnly),
    );
  });

  it('reports cohorts only while a deploy runs, and they add up to the whole service', () => {
    const s = new SimulatedService(WEBAPP_PROFILE, 1);
    const idle = s.minute(T0, stableOnly);
    expect(idle.canary).toBeUndefined();
    expect(idle.baseline).toBeUndefined();
    const m = s.minute(T0, { stable: 'v1', canary: 'v2', share: 10, since: T0 - 10 * MIN });
    expect(m.canary!.requests + m.baseline!.requests).toBe(m.all.requests);
    expect(m.canary!.requests / m.all.requests).toBeGreaterThan(0.07);
    expect(m.canary!.requests / m.all.requests).toBeLessThan(0.13);
    expect(m.all.logLines).toBe(m.canary!.logLines + m.baseline!.logLines);
    const full = s.minute(T0, { stable: 'v1', canary: 'v2', share: 100, since: T0 });
    expect(full.baseline).toBeUndefined();
    expect(full.all).toEqual(full.canary);
  });

  it('follows a daily curve: the afternoon is busier than the night', () => {
    const s = new SimulatedService(WEBAPP_PROFILE, 1);
    const at = (hour: number) => s.minute(Date.UTC(2025, 2, 4, hour, 0), stableOnly).all.requests;
    expect(at(16)).toBeGreaterThan(2 * at(4));
  });

  it('gives a bad version its regression on its own hosts only', () => {
    const s = new SimulatedService(WEBAPP_PROFILE, 3);
    s.markBad('bad', REGRESSIONS[0]);
    const split: SplitState = { stable: 'v1', canary: 'bad', share: 10, since: T0 - 60 * MIN };
    const canary = totals(s, split, 'canary', 600);
    const baseline = totals(s, split, 'baseline', 600);
    const ratio = canary.errorRatio / baseline.errorRatio;
    expect(ratio).toBeGreaterThan(6.5);
    expect(ratio).toBeLessThan(9.5);
    expect(baseline.errorRatio).toBeGreaterThan(0.0015);
    expect(baseline.errorRatio).toBeLessThan(0.003);
    // Latency is untouched by an error regression (within the canary hardware offset and build jitter).
    expect(Math.abs(canary.p95 / baseline.p95 - 1)).toBeLessThan(0.05);
  });

  it('lets a good canary differ from its baseline only by small, realistic amounts', () => {
    const s = new SimulatedService(WEBAPP_PROFILE, 4);
    const split: SplitState = { stable: 'v1', canary: 'v2', share: 50, since: T0 - 60 * MIN };
    const canary = totals(s, split, 'canary', 600);
    const baseline = totals(s, split, 'baseline', 600);
    expect(Math.abs(canary.errorRatio / baseline.errorRatio - 1)).toBeLessThan(0.15);
    expect(Math.abs(canary.linesPerRequest / baseline.linesPerRequest - 1)).toBeLessThan(0.05);
    expect(Math.abs(canary.p95 / baseline.p95 - 1)).toBeLessThan(0.05);
  });

  it('warms up new hosts after a traffic shift: latency starts higher and settles', () => {
    const s = new SimulatedService(WEBAPP_PROFILE, 5);
    const p95 = (sinceShift: number) => {
      let sum = 0;
      for (let k = 0; k < 200; k++) {
        const t = T0 + k * 30 * MIN;
        sum += Math.log(
          s.minute(t, { stable: 'v1', canary: 'v2', share: 50, since: t - sinceShift }).canary!.p95Seconds,
        );
      }
      return Math.exp(sum / 200);
    };
    expect(p95(MIN) / p95(30 * MIN)).toBeGreaterThan(1.02);
  });
});
