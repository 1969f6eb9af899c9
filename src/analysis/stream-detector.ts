import type { Side } from './comparison.js';
import { MAD_TO_SD } from './robust-stats.js';
import { selectMedian } from './select.js';
import { SortedWindow } from './sorted-window.js';
import { robustSpread } from './zscore-detector.js';

export interface StreamDetectorOptions {
  /** Which change is anomalous: `up`, `down` or `both` (default). */
  direction?: Side;
}

const DAY_MS = 86_400_000;
/** The recent baseline: the median of this many last values predicts the next (the z-score detector's baseline). */
const RECENT = 144;
/** Errors each predictor keeps to know its own noise (robust sd by MAD). */
const ERRORS = 500;
/** A predictor needs this many errors before it may judge. */
const MIN_ERRORS = 30;
/** Errors between two recomputations of a predictor's scale. */
const REFRESH = 128;
/** Previous days at the same time of day that the seasonal predictor pools (the dynamic threshold's history). */
const DAYS = 7;
/** Points kept for the seasonal predictor (7 days at one point a minute fit; denser streams keep fewer days). */
const KEEP = 16_384;
/** Surprises remembered to judge novelty against. */
const SURPRISES = 1000;
const MIN_SURPRISES = 50;
/** A surprise counts only above this quantile of the stream's own past surprises. */
const NOVELTY_QUANTILE = 0.98;
/** After a high score, this many points must beat it to score fully: one episode, one alarm. */
const REFRACTORY = 50;

/**
 * A predictor's running error scale: the robust sd (MAD) of its last ERRORS errors, recomputed by selection every
 * REFRESH errors (it moves slowly; a sorted window per predictor would cost more than the rest of the detector).
 */
class ErrorScale {
  private readonly ring = new Float64Array(ERRORS);
  private readonly work = new Float64Array(ERRORS);
  private count = 0;
  private cached = NaN;

  /** Robust sd of the errors so far; NaN until MIN_ERRORS. */
  scale(): number {
    return this.cached;
  }

  learn(error: number): void {
    this.ring[this.count % ERRORS] = error;
    this.count++;
    if (this.count >= MIN_ERRORS && (this.count - MIN_ERRORS) % REFRESH === 0) {
      const n = Math.min(this.count, ERRORS);
      const w = this.work;
      w.set(n === ERRORS ? this.ring : this.ring.subarray(0, n));
      const med = selectMedian(w, n);
      for (let i = 0; i < n; i++) w[i] = Math.abs(this.ring[i] - med);
      this.cached = MAD_TO_SD * selectMedian(w, n);
    }
  }
}

/**
 * A streaming, causal anomaly scorer for one metric, built from the judge's detectors:
 * 1. three predictors of the next value: the median of the recent window (the z-score detector's pre-deploy
 *    baseline), the median of the same time of day on up to 7 previous days (the dynamic threshold's seasonal
 *    history), and the last value;
 * 2. each keeps the robust spread (MAD) of its own errors; the predictor with the smallest spread judges, and its
 *    robust z in the bad direction is the point's surprise;
 * 3. the surprise is compared with the stream's own past surprises: only surprises beyond their 98th percentile
 *    score, growing toward 1 with the distance beyond it (a series full of spikes learns that spikes are normal,
 *    a calm one alarms on its first);
 * 4. within 50 points after a score, only a higher one scores fully (one episode, one alarm).
 *
 * Scores are in [0, 1) and comparable across streams. push() is O(log n) per point plus a memmove of the
 * windows; the score of a point depends only on the points before it and itself. Non-finite values score 0 and
 * are not learned.
 */
export class StreamDetector {
  private readonly side: Side;
  private readonly recent = new SortedWindow(RECENT);
  private readonly surprises = new SortedWindow(SURPRISES);
  private readonly level = new ErrorScale();
  private readonly season = new ErrorScale();
  private readonly previous = new ErrorScale();
  private ts = new Float64Array(1024);
  private vs = new Float64Array(1024);
  private n = 0;
  private last = NaN;
  private readonly day = new Float64Array(DAYS);
  private readonly hint = new Int32Array(DAYS);
  private readonly scores = new Float64Array(REFRACTORY);
  private scored = 0;
  private peak = 0;
  private peakAt = -Infinity;

  constructor(opts: StreamDetectorOptions = {}) {
    this.side = opts.direction ?? 'both';
  }

  /** Scores the next point (t: ms since the epoch; v: the value) and learns it. Returns a score in [0, 1). */
  push(t: number, v: number): number {
    let score = 0;
    if (Number.isFinite(v)) {
      const levelPred = this.recent.length >= 20 ? this.recent.median() : NaN;
      const seasonPred = this.seasonal(t);
      const prevPred = this.last;
      // The predictor whose errors have been smallest judges; all three learn from this point.
      const ls = Number.isFinite(levelPred) ? this.level.scale() : NaN;
      const ss = Number.isFinite(seasonPred) ? this.season.scale() : NaN;
      const ps = Number.isFinite(prevPred) ? this.previous.scale() : NaN;
      let pred = NaN;
      let scale = Infinity;
      if (ls < scale) {
        scale = ls;
        pred = levelPred;
      }
      if (ss < scale) {
        scale = ss;
        pred = seasonPred;
      }
      if (ps < scale) {
        scale = ps;
        pred = prevPred;
      }
      if (Number.isFinite(levelPred)) this.level.learn(v - levelPred);
      if (Number.isFinite(seasonPred)) this.season.learn(v - seasonPred);
      if (Number.isFinite(prevPred)) this.previous.learn(v - prevPred);
      const z = Number.isFinite(pred) ? (v - pred) / robustSpread(scale, pred) : NaN;
      if (Number.isFinite(z)) {
        const bad = this.side === 'up' ? z : this.side === 'down' ? -z : Math.abs(z);
        const surprise = bad > 0 ? bad : 0;
        const s = this.surprises;
        if (s.length >= MIN_SURPRISES) {
          const typical = s.median();
          const high = s.quantile(NOVELTY_QUANTILE);
          if (surprise > high) score = 1 - 1 / (1 + (surprise - high) / Math.max(high - typical, 0.1));
        }
        s.push(surprise);
      }
      this.recent.push(v);
      this.last = v;
      this.remember(t, v);
    }
    return this.refractory(score);
  }

  /** Median of the values at the same time of day on previous days (within half a step); NaN when none. */
  private seasonal(t: number): number {
    const n = this.n;
    if (n < 2) return NaN;
    const step = (this.ts[n - 1] - this.ts[0]) / (n - 1);
    let m = 0;
    for (let k = 1; k <= DAYS; k++) {
      const target = t - k * DAY_MS;
      if (target < this.ts[0] - step) break;
      const i = this.near(k - 1, target);
      if (Math.abs(this.ts[i] - target) <= step / 2 + 1) {
        // insertion sort into the small buffer
        const x = this.vs[i];
        let j = m++;
        while (j > 0 && this.day[j - 1] > x) {
          this.day[j] = this.day[j - 1];
          j--;
        }
        this.day[j] = x;
      }
    }
    if (m === 0) return NaN;
    return m & 1 ? this.day[m >> 1] : 0.5 * (this.day[(m >> 1) - 1] + this.day[m >> 1]);
  }

  /**
   * Index of the kept point nearest `target`, remembered per day back: time moves forward, so the search usually
   * steps from where it ended last time (O(1)), falling back to a binary search after a jump or a trim.
   */
  private near(slot: number, target: number): number {
    const ts = this.ts;
    const n = this.n;
    let i = this.hint[slot];
    if (i >= n || i < 0 || ts[i] > target) i = nearest(ts, n, target);
    else {
      let steps = 0;
      while (i + 1 < n && ts[i + 1] <= target && steps < 64) {
        i++;
        steps++;
      }
      if (steps === 64) i = nearest(ts, n, target);
      else if (i + 1 < n && ts[i + 1] - target < target - ts[i]) i++;
    }
    this.hint[slot] = i > 0 ? i - 1 : 0;
    return i;
  }

  private remember(t: number, v: number): void {
    if (this.n === this.ts.length) {
      if (this.n >= 2 * KEEP) {
        // Drop the oldest half (amortised O(1) per point).
        this.ts.copyWithin(0, this.n - KEEP, this.n);
        this.vs.copyWithin(0, this.n - KEEP, this.n);
        this.n = KEEP;
        this.hint.fill(0);
      } else {
        const ts = new Float64Array(this.n * 2);
        ts.set(this.ts);
        this.ts = ts;
        const vs = new Float64Array(this.n * 2);
        vs.set(this.vs);
        this.vs = vs;
      }
    }
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }

  private refractory(raw: number): number {
    const i = this.scored++;
    this.scores[i % REFRACTORY] = raw;
    // Highest score of the REFRACTORY points before this one; rescanned only when the one held ages out.
    if (i - this.peakAt > REFRACTORY) {
      this.peak = 0;
      this.peakAt = -Infinity;
      for (let k = Math.max(0, i - REFRACTORY); k < i; k++) {
        const x = this.scores[k % REFRACTORY];
        if (x >= this.peak) {
          this.peak = x;
          this.peakAt = k;
        }
      }
    }
    const damped = raw > 0 && raw <= this.peak;
    if (raw >= this.peak) {
      this.peak = raw;
      this.peakAt = i;
    }
    return damped ? raw / 2 : raw;
  }
}

/** Index in a[0..n) of the value nearest x (a ascending; n >= 1). */
function nearest(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= n) return n - 1;
  if (lo > 0 && x - a[lo - 1] < a[lo] - x) return lo - 1;
  return lo;
}
