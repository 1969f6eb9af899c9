import type { CohortPairs } from './cohort-pairs.js';
import type { NoiseModel } from './noise-model.js';
import { similarSplit } from './cohort-pairs.js';

/** Minutes of earlier deploys needed to learn the dispersion. */
const MIN_MINUTES = 40;

/**
 * Dispersion of canary error counts around what a common error rate predicts, per run of minutes (one deploy
 * stage), relative to binomial: the Pearson statistic per degree of freedom. At least 1.
 */
export function learnDispersion(p: CohortPairs, stepMs: number): NoiseModel | undefined {
  let pearson = 0;
  let df = 0;
  let used = 0;
  let start = 0;
  const tol = stepMs / 4;
  for (let i = 1; i <= p.n; i++) {
    const breakHere = i === p.n || Math.abs(p.t[i] - p.t[i - 1] - stepMs) > tol || !similarSplit(p, i - 1, i);
    if (!breakHere) continue;
    const r = runPearson(p, start, i);
    if (r.df > 0) {
      pearson += r.stat;
      df += r.df;
      used += r.df + 1;
    }
    start = i;
  }
  if (used < MIN_MINUTES || df === 0) return undefined;
  return { scale: 'raw', a: 0, b: 0, c: 0, phi: Math.max(1, pearson / df), residuals: used };
}

function runPearson(p: CohortPairs, from: number, to: number): { stat: number; df: number } {
  let ec = 0;
  let eb = 0;
  let nc = 0;
  let nb = 0;
  for (let i = from; i < to; i++) {
    if (!(p.canaryRequests[i] > 0) || !(p.baselineRequests[i] > 0)) continue;
    ec += p.canary[i] * p.canaryRequests[i];
    eb += p.baseline[i] * p.baselineRequests[i];
    nc += p.canaryRequests[i];
    nb += p.baselineRequests[i];
  }
  if (!(ec + eb > 0) || !(nc > 0) || !(nb > 0)) return { stat: 0, df: 0 };
  // Rate ratio of the run (a bad deploy in the history is a constant shift, not noise).
  const theta = ec > 0 && eb > 0 ? ec / nc / (eb / nb) : 1;
  let stat = 0;
  let m = 0;
  for (let i = from; i < to; i++) {
    const c = p.canaryRequests[i];
    const b = p.baselineRequests[i];
    if (!(c > 0) || !(b > 0)) continue;
    const x = Math.round(p.canary[i] * c);
    const total = x + Math.round(p.baseline[i] * b);
    if (total <= 0) continue;
    const pi = (c * theta) / (c * theta + b);
    const e = total * pi;
    const v = e * (1 - pi);
    if (!(v > 0)) continue;
    stat += ((x - e) * (x - e)) / v;
    m++;
  }
  return { stat, df: Math.max(0, m - 1) };
}
