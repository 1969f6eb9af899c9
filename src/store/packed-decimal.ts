import { pow10 } from '../analysis/pow10.js';

/** A packed column's entry for a result without that value. */
export const ABSENT = -0x80000000;
/** |m| below this: six significant digits. */
const MANTISSA_LIMIT = 1 << 20;
const EXP_BIAS = 512;

/**
 * A number that is a short decimal m / 10^k (what sig5 and the 3-decimal roundings of the judge produce, and
 * counts below a million) as one int32, m * 1024 + k + 512, half the bytes of a double; null for any other
 * number. Exact: unpackDecimal gives back the very same double, which is checked here for every value.
 */
export function packDecimal(v: number): number | null {
  if (v === 0) return Object.is(v, -0) ? null : EXP_BIAS;
  if (!Number.isFinite(v)) return null;
  const e = Math.floor(Math.log10(Math.abs(v)));
  for (let digits = 5; digits <= 6; digits++) {
    const k = digits - 1 - e;
    if (k < -EXP_BIAS || k >= EXP_BIAS) return null;
    const m = Math.round(v * pow10(k));
    if (Math.abs(m) >= MANTISSA_LIMIT) return null;
    if (m / pow10(k) === v) return m * 1024 + k + EXP_BIAS;
  }
  return null;
}

/** The number packDecimal packed; undefined for ABSENT. */
export function unpackDecimal(x: number): number | undefined {
  if (x === ABSENT) return undefined;
  const e = x & 1023;
  return (x - e) / 1024 / pow10(e - EXP_BIAS);
}
