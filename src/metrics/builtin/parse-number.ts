// Number parsing straight from bytes: building a string per sample and calling Number() is the single largest cost
// of loading a big exposition file, so the common case (plain decimals) is parsed by hand.

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const GENERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a float as Go's strconv.ParseFloat does for the exposition formats: decimals, exponents, `NaN`, `+Inf`,
 * `-Inf`, `Inf` (any case). Returns undefined when the bytes [start, end) are not a number.
 */
export function parseNumber(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let neg = false;
  let c = buf[i];
  if (c === 0x2d || c === 0x2b) {
    neg = c === 0x2d;
    i++;
  }
  // Clinger's fast path: up to 15 significant digits and a power of ten <= 22 are both exact doubles, so one
  // multiplication or division gives the correctly rounded result.
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let any = false;
  for (; i < end; i++) {
    c = buf[i] - 0x30;
    if (c < 0 || c > 9) break;
    any = true;
    if (digits < 15) {
      mant = mant * 10 + c;
      if (mant !== 0) digits++;
    } else return slow(buf, start, end);
  }
  if (i < end && buf[i] === 0x2e) {
    for (i++; i < end; i++) {
      c = buf[i] - 0x30;
      if (c < 0 || c > 9) break;
      any = true;
      if (digits < 15) {
        mant = mant * 10 + c;
        if (mant !== 0) digits++;
        exp--;
      } else return slow(buf, start, end);
    }
  }
  if (i !== end || !any || exp < -22) return slow(buf, start, end);
  const x = exp === 0 ? mant : mant / POW10[-exp];
  return neg ? -x : x;
}

function slow(buf: Uint8Array, start: number, end: number): number | undefined {
  const s = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  const sign = s[0] === '-' ? -1 : 1;
  const word = (s[0] === '-' || s[0] === '+' ? s.slice(1) : s).toLowerCase();
  if (word === 'nan') return s.length === 3 ? NaN : undefined;
  if (word === 'inf' || word === 'infinity') return sign * Infinity;
  return GENERAL.test(s) ? Number(s) : undefined;
}
