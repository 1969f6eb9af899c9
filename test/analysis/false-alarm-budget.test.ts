import { describe, expect, it } from 'vitest';
import type { CheckModel } from '../../src/analysis/check-model.js';
import { evaluateRound } from '../../src/analysis/evaluate-round.js';
import { prepareCheck } from '../../src/analysis/prepare-check.js';
import type { CheckResult } from '../../src/analysis/verdict.js';
import type { ResolvedCheck } from '../../src/config/resolved-config.js';
import { MIN, T0, check, historyOf, service, windowAt, world } from './synthetic.js';
import type { World } from './synthetic.js';

const share = (m: number): number => (m < 10 ? 10 : m < 20 ? 50 : 100);
const exposure = [
  { at: T0, traffic: 10 },
  { at: T0 + 10 * MIN, traffic: 50 },
  { at: T0 + 20 * MIN, traffic: 100 },
];
const stageOf = (k: number): number => (k <= 10 ? 0 : k <= 20 ? 1 : 2);

/** Share of healthy deploys (20 checks each, every one a look a minute) that get stopped. */
function falseStops(deploys: number, perCheckAlpha?: number): number {
  const checks: ResolvedCheck[] = Array.from({ length: 20 }, (_, i) =>
    check(
      `c${i}`,
      i % 2 ? `latency_${i}_seconds` : `errors_${i}_ratio`,
      perCheckAlpha ? { compare: { alpha: perCheckAlpha } } : {},
    ),
  );
  const svc = service(checks);
  let stopped = 0;
  for (let d = 0; d < deploys; d++) {
    const worlds: Record<string, World> = {};
    const models: Record<string, CheckModel> = {};
    checks.forEach((c, i) => {
      const w = world({
        kind: i % 2 ? 'latency' : 'errors',
        seed: 1000 * d + i,
        historyMinutes: 4 * 60,
        deployMinutes: 30,
        rpm: 5000,
        share,
        pastDeploys: true,
      });
      worlds[c.name] = w;
      models[c.name] = prepareCheck(c, svc, historyOf(w));
    });
    let prior: CheckResult[] = [];
    for (let k = 1; k <= 30; k++) {
      const windows = Object.fromEntries(
        checks.map((c) => [
          c.name,
          windowAt(worlds[c.name], T0 + k * MIN, exposure, T0 + stageOf(k) * 10 * MIN),
        ]),
      );
      const out = evaluateRound({ service: svc, models, windows, prior, stageIndex: stageOf(k) });
      prior = out.results;
      if (out.decision.action === 'rollback' || out.decision.action === 'pause') {
        stopped++;
        break;
      }
    }
  }
  return stopped / deploys;
}

describe('false-alarm budget', () => {
  it('keeps false stops of a service with 20 checks, looked at every minute, near the 1% budget', () => {
    // The service's 1% is shared by its checks and spent across every look; 20 checks do not make 20 times more
    // false stops. (Deterministic: seeded.)
    const rate = falseStops(80);
    expect(rate).toBeLessThanOrEqual(0.025);
  }, 120_000);

  it('would stop far more healthy deploys if every check spent the whole budget', () => {
    const rate = falseStops(40, 0.2);
    expect(rate).toBeGreaterThan(0.1);
  }, 120_000);
});
