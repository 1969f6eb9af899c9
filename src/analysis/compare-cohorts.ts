import type { Samples } from '../metrics/samples.js';
import type { CheckWindow } from './check-data.js';
import type { CheckModel } from './check-model.js';
import type { CohortPairs } from './cohort-pairs.js';
import { pairCohorts } from './cohort-pairs.js';
import { judgeScratch } from './judge-scratch.js';
import type { Comparison } from './comparison.js';
import { pairedTest } from './paired-test.js';
import { mannWhitneyTest, signedRankTest } from './rank-test.js';
import { rateTest } from './rate-test.js';

/** The boundary of this look: by stage, and by evaluations into the stage (the last one if the stage runs long). */
export function boundaryAt(model: CheckModel, stageIndex: number, w: CheckWindow): number {
  const b = model.boundaries[stageIndex];
  if (!b) return Infinity;
  const k = Math.round((w.now - w.stageStart) / model.intervalMs) - 1;
  return b[k < 0 ? 0 : k >= b.length ? b.length - 1 : k];
}

/** The canary comparison over the deploy so far; undefined while either cohort has nothing to compare. */
export function compareCohorts(model: CheckModel, w: CheckWindow): Comparison | undefined {
  const m = w.metric;
  const canary = m.canary as Samples;
  const baseline = m.baseline as Samples;
  const kind = model.settings.kind;
  const floor = model.floor;
  const pairs = judgeScratch.pairs;
  const tol = model.intervalMs / 2;
  const tc = w.traffic?.canary;
  const tb = w.traffic?.baseline;
  pairCohorts(pairs, canary, baseline, tc, tb, w.deployStart, w.now, tol);
  if (model.warmup > 0) dropWarmup(pairs, w.exposure, model.warmup * model.intervalMs);
  if (pairs.n === 0) {
    // Samples that never line up in time: compare the two distributions instead (when both have some).
    const mw = mannWhitneyTest(canary, baseline, w.deployStart, w.now, model.side, floor.relative);
    return Number.isFinite(mw.canaryValue) && Number.isFinite(mw.baselineValue) ? mw : undefined;
  }
  const withRequests = !!tc && !!tb;
  if (kind === 'ratio' && withRequests)
    return rateTest(pairs, model.noise?.phi ?? 1, model.side, floor.relative);
  const scale = model.scale ?? (allPositive(pairs) ? 'log' : 'raw');
  if (kind !== 'ratio' && (model.noise || withRequests)) {
    // Without a learned model, requests still say how noisy each minute is (sampling noise ~ 1/requests); the
    // scale is then this deploy's own.
    const noise = model.noise ?? { scale, a: 0, b: 1, c: 0, phi: 1, residuals: 0 };
    return pairedTest(pairs, kind, noise, scale, model.side, floor, judgeScratch);
  }
  return signedRankTest(pairs, kind, scale, model.side, floor, judgeScratch);
}

/** Removes the pairs of the first `span` ms after each traffic shift (a sample at t covers the interval before t). */
function dropWarmup(pairs: CohortPairs, exposure: CheckWindow['exposure'], span: number): void {
  let k = 0;
  for (let i = 0; i < pairs.n; i++) {
    const t = pairs.t[i];
    let warm = false;
    for (let e = 0; e < exposure.length; e++) {
      const a = exposure[e].at;
      if (t > a && t <= a + span) {
        warm = true;
        break;
      }
    }
    if (warm) continue;
    if (k !== i) {
      pairs.t[k] = pairs.t[i];
      pairs.canary[k] = pairs.canary[i];
      pairs.baseline[k] = pairs.baseline[i];
      pairs.canaryRequests[k] = pairs.canaryRequests[i];
      pairs.baselineRequests[k] = pairs.baselineRequests[i];
    }
    k++;
  }
  pairs.n = k;
}

function allPositive(p: { n: number; canary: Float64Array; baseline: Float64Array }): boolean {
  for (let i = 0; i < p.n; i++) if (!(p.canary[i] > 0) || !(p.baseline[i] > 0)) return false;
  return true;
}
