import { normCdf, normPdf, normQuantile, normSf } from './normal.js';

/** One stage of a deploy as the sequential test sees it. */
export interface LookStage {
  /** Percent of traffic on the new version, (0, 100]. Stages at 100% have no baseline and make no comparison. */
  traffic: number;
  /** Evaluations (looks) in the stage: bake / interval, at least 1. */
  looks: number;
}

/**
 * Why: evaluating every minute is sequential testing. A fixed z threshold checked at 30 looks would raise the
 * false-alarm rate several-fold. This computes, for each stage, a constant z boundary such that the chance that a
 * healthy deploy's cumulative canary-vs-baseline statistic ever crosses it, over all looks of all stages, is
 * `alpha` (exactly, for a Brownian motion in information time, by the Armitage-McPherson-Rowe recursion).
 *
 * The budget is spent over the stages in proportion to 1/sqrt(traffic): stopping in an early, small stage saves
 * the most customer impact, and later stages see so much more traffic that a higher boundary costs them little
 * power. Information per look is taken proportional to share x (1 - share) (the precision of a difference between
 * two cohorts splitting the traffic), so the boundaries depend only on the stage plan, not on traffic levels.
 *
 * Returns per stage the z boundary of each look (`Infinity` for stages without a baseline). alpha in (0, 0.5).
 */
export function stageBoundaries(stages: readonly LookStage[], alpha: number): Float64Array[] {
  const key = `${alpha}|${stages.map((s) => `${s.traffic}:${s.looks}`).join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = compute(stages, alpha);
  if (cache.size > 256) cache.clear();
  cache.set(key, out);
  return out;
}

const cache = new Map<string, Float64Array[]>();

/** Grid points per standard deviation of the running sum (Simpson on an odd count). */
const GRID_PER_SD = 8;
/** Lower truncation of the continuation region, in standard deviations. */
const LOWER_SD = 7;

function compute(stages: readonly LookStage[], alpha: number): Float64Array[] {
  const out: Float64Array[] = stages.map((s) =>
    new Float64Array(Math.max(1, Math.round(s.looks))).fill(Infinity),
  );
  const compared = stages.map((s) => s.traffic > 0 && s.traffic < 100);
  let weightSum = 0;
  stages.forEach((s, i) => {
    if (compared[i]) weightSum += 1 / Math.sqrt(s.traffic);
  });
  if (weightSum === 0) return out;

  // State: density of the running sum S on a grid, restricted to paths that have not crossed yet.
  let grid: Float64Array = new Float64Array(0);
  let dens: Float64Array = new Float64Array(0);
  let info = 0;
  let spent = 0;
  for (let i = 0; i < stages.length; i++) {
    if (!compared[i]) continue;
    const share = stages[i].traffic / 100;
    const dI = share * (1 - share);
    const looks = Math.max(1, Math.round(stages[i].looks));
    const target = spent + alpha / Math.sqrt(stages[i].traffic) / weightSum;
    // Find the constant z boundary whose cumulative crossing probability after this stage equals `target`.
    // Bracket: no lower than the one-look boundary for the stage's share, no higher than Bonferroni over looks.
    const share0 = target - spent;
    let lo = -normQuantile(Math.min(0.49, share0)) - 1;
    let hi = -normQuantile(share0 / looks) + 0.01;
    for (let it = 0; it < 16; it++) {
      const mid = 0.5 * (lo + hi);
      const p = spent + runStage(grid, dens, info, dI, looks, shape(mid, looks)).crossed;
      if (p > target) lo = mid;
      else hi = mid;
    }
    const c = shape(hi, looks);
    out[i] = c;
    const r = runStage(grid, dens, info, dI, looks, c);
    spent += r.crossed;
    grid = r.grid;
    dens = r.dens;
    info = r.info;
  }
  return out;
}

/** A stage's looks all share one boundary (Pocock-like: early looks are worth as much as late ones here). */
function shape(c: number, looks: number): Float64Array {
  return new Float64Array(looks).fill(c);
}

/** Runs `looks` looks of a stage from the current state; returns the crossing probability and the new state. */
function runStage(
  grid0: Float64Array,
  dens0: Float64Array,
  info0: number,
  dI: number,
  looks: number,
  cs: Float64Array,
): { crossed: number; grid: Float64Array; dens: Float64Array; info: number } {
  let grid: Float64Array = grid0;
  let dens: Float64Array = dens0;
  let info = info0;
  let crossed = 0;
  for (let k = 0; k < looks; k++) {
    const newInfo = info + dI;
    const sd = Math.sqrt(newInfo);
    const c = cs[k];
    const upper = c * sd;
    if (grid.length === 0) {
      // First look: S ~ N(0, I).
      crossed += normSf(c);
      const g = makeGrid(-LOWER_SD * sd, upper, sd);
      const d = new Float64Array(g.length);
      for (let j = 0; j < g.length; j++) d[j] = normPdf(g[j] / sd) / sd;
      grid = g;
      dens = d;
    } else {
      const step = Math.sqrt(dI);
      const w = simpsonWeights(grid);
      for (let j = 0; j < grid.length; j++) crossed += w[j] * dens[j] * normSf((upper - grid[j]) / step);
      const g = makeGrid(-LOWER_SD * sd, upper, sd);
      const d = new Float64Array(g.length);
      for (let m = 0; m < g.length; m++) {
        let s = 0;
        for (let j = 0; j < grid.length; j++) s += w[j] * dens[j] * normPdf((g[m] - grid[j]) / step);
        d[m] = s / step;
      }
      grid = g;
      dens = d;
    }
    info = newInfo;
  }
  return { crossed, grid, dens, info };
}

function makeGrid(lo: number, hi: number, sd: number): Float64Array {
  let n = Math.max(21, Math.ceil(((hi - lo) / sd) * GRID_PER_SD));
  if (n % 2 === 0) n++;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = lo + ((hi - lo) * i) / (n - 1);
  return g;
}

function simpsonWeights(grid: Float64Array): Float64Array {
  const n = grid.length;
  const h = (grid[n - 1] - grid[0]) / (n - 1);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = ((i === 0 || i === n - 1 ? 1 : i % 2 ? 4 : 2) * h) / 3;
  return w;
}

/** The one-look z threshold for a one-sided level `alpha` (for tests and comparisons in docs). */
export function singleLookBoundary(alpha: number): number {
  return -normQuantile(alpha);
}

/** Upper-tail probability of a z value, the nominal one-look p-value shown in reasons. */
export function zToP(z: number): number {
  return normSf(z);
}

/** Re-exported for callers that turn a boundary back into a level. */
export const boundaryLevel = (c: number): number => 1 - normCdf(c);
