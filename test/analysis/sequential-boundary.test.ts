import { describe, expect, it } from 'vitest';
import { normQuantile } from '../../src/analysis/normal.js';
import { stageBoundaries } from '../../src/analysis/sequential-boundary.js';
import { rng } from './synthetic.js';

const plan = [
  { traffic: 1, looks: 10 },
  { traffic: 10, looks: 10 },
  { traffic: 50, looks: 10 },
  { traffic: 100, looks: 20 },
];

/** Share of simulated healthy deploys whose cumulative z ever crosses the boundaries (Brownian motion). */
function crossing(b: Float64Array[], stages: typeof plan, runs: number, seed: number): number {
  const r = rng(seed);
  let crossed = 0;
  for (let run = 0; run < runs; run++) {
    let s = 0;
    let info = 0;
    let hit = false;
    for (let i = 0; i < stages.length && !hit; i++) {
      const share = stages[i].traffic / 100;
      if (share >= 1) continue;
      const dI = share * (1 - share);
      for (let k = 0; k < stages[i].looks; k++) {
        s += Math.sqrt(dI) * r.normal();
        info += dI;
        if (s / Math.sqrt(info) > b[i][k]) {
          hit = true;
          break;
        }
      }
    }
    if (hit) crossed++;
  }
  return crossed / runs;
}

describe('sequential boundaries', () => {
  it('are the plain one-sided quantile for a single look', () => {
    const [b] = stageBoundaries([{ traffic: 10, looks: 1 }], 0.01);
    expect(b[0]).toBeCloseTo(-normQuantile(0.01), 3);
  });

  it('keep the chance that a healthy deploy ever crosses them at alpha over all looks', () => {
    const b = stageBoundaries(plan, 0.01);
    expect(crossing(b, plan, 100_000, 1)).toBeGreaterThan(0.008);
    expect(crossing(b, plan, 100_000, 1)).toBeLessThan(0.012);
    // Checking a fixed one-look threshold every minute instead would raise the false alarms several-fold.
    const naive = plan.map((s) => new Float64Array(s.looks).fill(-normQuantile(0.01)));
    expect(crossing(naive, plan, 100_000, 1)).toBeGreaterThan(0.03);
  });

  it('spend more of the budget on the early, small stages and compare nothing at 100%', () => {
    const b = stageBoundaries(plan, 0.01);
    expect(b[0][0]).toBeLessThan(b[1][0]);
    expect(b[1][0]).toBeLessThan(b[2][0]);
    expect(b[3].every((x) => x === Infinity)).toBe(true);
  });
});
