/** Exponents of POW10 run from -POW10_ZERO to +POW10_ZERO (finite doubles span 1e-324..1e308). */
const POW10_ZERO = 340;
// The same values `10 ** k` gives: a lookup instead of a power, for the numbers of every check of every round.
const POW10 = Float64Array.from({ length: 2 * POW10_ZERO + 1 }, (_, i) => 10 ** (i - POW10_ZERO));

/** 10^k for an integer k (0 below the table, Infinity above it). */
export function pow10(k: number): number {
  const i = k + POW10_ZERO;
  return i < 0 ? 0 : i >= POW10.length ? Infinity : POW10[i];
}
