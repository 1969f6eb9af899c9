import type { ResolvedKind } from './metric-kind.js';
import { metricName } from './metric-kind.js';

/** How a judged value is shown in reasons. */
export type ValueUnit = 'ratio' | 'seconds' | 'percent' | 'per request' | '';

/** The unit of a check's judged value, from its kind and metric name. */
export function valueUnit(kind: ResolvedKind, query: string | undefined, perRequest: boolean): ValueUnit {
  if (kind === 'ratio') return 'ratio';
  if (kind === 'count' && perRequest) return 'per request';
  const name = metricName(query ?? '').toLowerCase();
  if (/_seconds?$|_seconds_/.test(name)) return 'seconds';
  if (/utili[sz]ation|_percent$|_pct$/.test(name)) return 'percent';
  return '';
}

/** `0.84%`, `412 ms`, `1.25 s`, `63.2%`, `3.02/req`, `1.23e+4`: three significant digits, unit attached. */
export function formatValue(v: number, unit: ValueUnit): string {
  if (!Number.isFinite(v)) return String(v);
  switch (unit) {
    case 'ratio':
      return `${sig(v * 100, 2)}%`;
    case 'seconds':
      return Math.abs(v) < 1 ? `${sig(v * 1000, 3)} ms` : `${sig(v, 3)} s`;
    case 'percent':
      return `${sig(v, 3)}%`;
    case 'per request':
      return `${sig(v, 3)}/req`;
    default:
      return sig(v, 3);
  }
}

/** A relative change as `+12%` / `-3.4%` / `x25`. */
export function formatEffect(e: number): string {
  if (!Number.isFinite(e)) return e > 0 ? 'from 0' : 'n/a';
  if (e >= 9) return `x${sig(e + 1, 2)}`;
  const pct = e * 100;
  return `${pct >= 0 ? '+' : ''}${sig(pct, 2)}%`;
}

/** A p-value: `2e-9`, `0.031`, `0.41`. */
export function formatP(p: number): string {
  if (!(p >= 0)) return 'n/a';
  if (p < 1e-3) {
    if (p < 1e-300) return '<1e-300';
    // One significant digit in exponent form, by hand (toExponential is slow on a hot path).
    let e = Math.floor(Math.log10(p));
    let m = Math.round(p / 10 ** e);
    if (m >= 10) {
      m = 1;
      e++;
    }
    return `${m}e${e}`;
  }
  return p < 0.1 ? sig(p, 2) : p.toFixed(2);
}

/** Number with `digits` significant digits, no trailing zeros, no exponent for ordinary magnitudes. */
export function sig(v: number, digits: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return stripZeros(v.toPrecision(digits), true);
  // Whole numbers with more digits than asked: round, never switch to exponent notation.
  if (a >= 10 ** digits) return String(Math.round(v));
  const s = v.toPrecision(digits);
  // 99.96 at 2 digits rounds up to an exponent form (1.0e+2): show the whole number instead.
  return s.indexOf('e') >= 0 ? String(Math.round(v)) : stripZeros(s, false);
}

/** `1.50` -> `1.5`, `2.00` -> `2`, `1.50e-7` -> `1.5e-7`. */
function stripZeros(s: string, exponent: boolean): string {
  let mant = s;
  let exp = '';
  if (exponent) {
    const e = s.indexOf('e');
    if (e >= 0) {
      mant = s.slice(0, e);
      exp = s.slice(e);
    }
  }
  if (mant.indexOf('.') < 0) return s;
  let end = mant.length;
  while (mant.charCodeAt(end - 1) === 48) end--;
  if (mant.charCodeAt(end - 1) === 46) end--;
  return mant.slice(0, end) + exp;
}
