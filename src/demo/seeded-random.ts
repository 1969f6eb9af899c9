/**
 * A small, fast, seeded random source (mulberry32) with the draws the simulated service needs. The demo derives
 * one per simulated minute from (seed, minute), so a minute's numbers do not depend on how fast the demo ran.
 */
export class SeededRandom {
  private state: number;
  private spare = NaN;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one key (e.g. seed and minute index), independent of every other key. */
  static for(...keys: number[]): SeededRandom {
    return new SeededRandom(mixKeys(keys));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(0, sd)): multiplicative noise with median 1. */
  logNormal(sd: number): number {
    return Math.exp(sd * this.normal());
  }

  /** Poisson count with mean `mean` (exact below 30, normal approximation above: requests, errors, log lines). */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }

  /** Binomial count of `n` trials with probability `p` (normal approximation for large n, Poisson for rare events). */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const mean = n * p;
    if (mean < 30 && p < 0.05) return Math.min(n, this.poisson(mean));
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * this.normal())));
  }
}

/** Mixes integer keys into one 32-bit seed (murmur3's finaliser per key). */
export function mixKeys(keys: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) {
    let x = (Math.floor(k) ^ Math.floor(k / 4294967296)) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ x ^ (x >>> 16), 0x27d4eb2f) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h >>> 0;
}

/** A stable 32-bit hash of a text (FNV-1a): turns version names into keys. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
