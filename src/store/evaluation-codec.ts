import { lazyReason, passReasonLine } from '../analysis/reason-line.js';
import type { CheckResult, Evidence } from '../analysis/verdict.js';

/**
 * How a round's check results are stored: evidence keys once per record, each result as a row of values, absent
 * values as null. Every check of every running deploy is written every interval, and repeating ~20 key names per
 * check would double what the store writes and parses. A result without a stored reason (a passing check, whose
 * line is made on demand) gets its line rebuilt from the evidence when read.
 */
interface Encoded {
  /** Format version. */
  f: 2;
  /** Evidence keys, in the order of each row's values. */
  k: string[];
  /** [name, verdict, action, reason | null, values…] per result. */
  r: Array<[string, string, string, string | null, ...unknown[]]>;
}

export function encodeResults(results: readonly CheckResult[]): string {
  const keys: string[] = [];
  const slot = new Map<string, number>();
  const rows: Encoded['r'] = [];
  for (const res of results) {
    const ev = res.evidence as Record<string, unknown>;
    // `reason` is read only when it is the result's own (enumerable) property: a lazy one is not stored.
    const reason = Object.prototype.propertyIsEnumerable.call(res, 'reason') ? res.reason : null;
    const row: Encoded['r'][number] = [res.name, res.verdict, res.action, reason];
    for (const key in ev) {
      const v = ev[key];
      if (v === undefined) continue;
      let i = slot.get(key);
      if (i === undefined) {
        i = keys.push(key) - 1;
        slot.set(key, i);
      }
      while (row.length < 4 + i) row.push(null);
      row[4 + i] = v;
    }
    rows.push(row);
  }
  const doc: Encoded = { f: 2, k: keys, r: rows };
  return JSON.stringify(doc);
}

/** Reads what encodeResults wrote, and plain JSON arrays of results as well. */
export function decodeResults(stored: unknown): CheckResult[] {
  if (Array.isArray(stored)) return stored as CheckResult[];
  const doc = stored as Encoded;
  return doc.r.map(([name, verdict, action, reason, ...values]) => {
    const evidence: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i++) if (values[i] !== null) evidence[doc.k[i]] = values[i];
    const r = {
      name,
      verdict: verdict as CheckResult['verdict'],
      action: action as CheckResult['action'],
      evidence: evidence as Evidence,
    };
    // A passing check's line was not stored: it is rebuilt from its evidence when read (and again not stored).
    return reason !== null ? { ...r, reason } : lazyReason(r, () => passReasonLine(name, r.evidence));
  });
}
