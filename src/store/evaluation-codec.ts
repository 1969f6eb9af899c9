import { passResult } from '../analysis/reason-line.js';
import type { CheckResult, Evidence } from '../analysis/verdict.js';
import { ABSENT, packDecimal, unpackDecimal } from './packed-decimal.js';

/**
 * How a round's check results are stored. Every check of every running deploy is written every interval (20,000
 * results a round for 1,000 deploys x 20 checks), so the format is made cheap to write: each value every result
 * of the round shares (the verdict of a passing round, the action, the detector, thresholds, the unit…) once; per
 * result, the numbers that differ as base64 blocks of int32 (short decimals, packed exactly) or doubles
 * (formatting thousands of numbers as JSON text costs more than the whole judgement), and other differing values
 * (a note, a failing verdict) as JSON arrays.
 * A result without a stored reason (a passing check, whose line is made on demand) gets its line rebuilt from the
 * evidence when read. Readers use decodeResults (the API does); earlier formats are still read.
 */
interface EncodedV5 {
  f: 5;
  /** Values all results share, by column (`$verdict`, `$action`, `$reason` or an evidence key). */
  s: Record<string, unknown>;
  /** Check names, one per result. */
  n: string[];
  /** Numeric columns whose values differ, stored as doubles, in the order of each result's doubles in `b`. */
  k: string[];
  /** Base64 of little-endian doubles: results x k, NaN where a result has no value. */
  b: string;
  /** Numeric columns whose values differ and are all short decimals (packed-decimal.ts), in the order of `q`. */
  p: string[];
  /** Base64 of little-endian int32: results x p, packDecimal's, ABSENT where a result has no value. */
  q: string;
  /** Other columns whose values differ: one value per result, null where it has none. */
  x: Record<string, unknown[]>;
}

/** Format 5 without the packed columns (every differing number a double). */
type EncodedV4 = Omit<EncodedV5, 'f' | 'p' | 'q'> & { f: 4 };

/** The first compact format: evidence keys once, every value in every row. */
interface EncodedV2 {
  f: 2;
  k: string[];
  r: Array<[string, string, string, string | null, ...unknown[]]>;
}

/** Every evidence key, in the order readEvidence reads them (the type keeps the list complete). */
const EVIDENCE_FIELDS: Record<keyof Evidence, number> = {
  detector: 0,
  value: 1,
  unit: 2,
  baselineMean: 3,
  baselineSpread: 4,
  z: 5,
  zThreshold: 6,
  staticThreshold: 7,
  dynamicThreshold: 8,
  effectiveThreshold: 9,
  canaryValue: 10,
  baselineValue: 11,
  pValue: 12,
  effect: 13,
  samples: 14,
  canaryRequests: 15,
  baselineRequests: 16,
  note: 17,
  test: 18,
  compareZ: 19,
  boundary: 20,
  alpha: 21,
  minutes: 22,
  noiseScale: 23,
  attributed: 24,
  recent: 25,
  missing: 26,
};
const EVIDENCE_KEYS = Object.keys(EVIDENCE_FIELDS) as Array<keyof Evidence>;

/**
 * The evidence's values in EVIDENCE_KEYS order. Each property read by its own name: results of one round share one
 * object shape, so these are the cheapest reads there are (a loop over key names costs a generic lookup each).
 */
function readEvidence(e: Evidence, out: unknown[]): void {
  out[0] = e.detector;
  out[1] = e.value;
  out[2] = e.unit;
  out[3] = e.baselineMean;
  out[4] = e.baselineSpread;
  out[5] = e.z;
  out[6] = e.zThreshold;
  out[7] = e.staticThreshold;
  out[8] = e.dynamicThreshold;
  out[9] = e.effectiveThreshold;
  out[10] = e.canaryValue;
  out[11] = e.baselineValue;
  out[12] = e.pValue;
  out[13] = e.effect;
  out[14] = e.samples;
  out[15] = e.canaryRequests;
  out[16] = e.baselineRequests;
  out[17] = e.note;
  out[18] = e.test;
  out[19] = e.compareZ;
  out[20] = e.boundary;
  out[21] = e.alpha;
  out[22] = e.minutes;
  out[23] = e.noiseScale;
  out[24] = e.attributed;
  out[25] = e.recent;
  out[26] = e.missing;
}

const VERDICT = '$verdict';
const ACTION = '$action';
const REASON = '$reason';
/** A column whose rows differ. */
const MIXED = Symbol('mixed');

/** Row-major results x EVIDENCE_KEYS of each result's numbers (NaN where absent); reused, encoding is synchronous. */
let numbers = new Float64Array(0);
/** Column-major results x (differing numeric columns) of packed decimals; reused likewise. */
let packedScratch = new Int32Array(0);

export function encodeResults(results: readonly CheckResult[]): string {
  // One pass over the evidence: which columns hold one value in every row, which hold only numbers, and every
  // number kept aside for the differing columns (reading each result's evidence once).
  const keys: string[] = [VERDICT, ACTION, REASON];
  const W = EVIDENCE_KEYS.length;
  const slot = EVIDENCE_KEYS.map(() => -1);
  const values: unknown[] = new Array(W);
  const shared: unknown[] = [];
  const present: number[] = [0, 0, 0];
  const numeric: boolean[] = [false, false, false];
  /** The evidence field (index into EVIDENCE_KEYS) of each column after the first three. */
  const field: number[] = [-1, -1, -1];
  const n = results.length;
  if (numbers.length < n * W) numbers = new Float64Array(n * W * 2);
  const nums = numbers;
  const names: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const res = results[i];
    names[i] = res.name;
    see(shared, 0, res.verdict, i);
    see(shared, 1, res.action, i);
    see(shared, 2, ownReason(res), i);
    readEvidence(res.evidence, values);
    const row = i * W;
    for (let e = 0; e < W; e++) {
      const v = values[e];
      if (v === undefined) {
        nums[row + e] = NaN;
        continue;
      }
      let c = slot[e];
      if (c < 0) {
        c = slot[e] = keys.push(EVIDENCE_KEYS[e]) - 1;
        present[c] = 0;
        numeric[c] = true;
        shared[c] = v;
        field[c] = e;
      }
      present[c]++;
      if (typeof v === 'number') nums[row + e] = v;
      else {
        numeric[c] = false;
        nums[row + e] = NaN;
      }
      if (shared[c] !== v) shared[c] = MIXED;
    }
  }
  // The shared values as JSON text, written here: an object given 15 keys one by one falls back to a slow
  // dictionary shape, and JSON.stringify of one costs more than this.
  let s = '';
  const numCols: number[] = [];
  const x: Record<string, unknown[]> = {};
  for (let c = 0; c < keys.length; c++) {
    const mixed = shared[c] === MIXED || (c > 2 && present[c] < n);
    if (!mixed) {
      if (n > 0) s += `${s ? ',' : ''}${JSON.stringify(keys[c])}:${JSON.stringify(shared[c])}`;
    } else if (numeric[c]) {
      numCols.push(c);
    } else {
      const column: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const res = results[i];
        const v =
          c === 0
            ? res.verdict
            : c === 1
              ? res.action
              : c === 2
                ? ownReason(res)
                : (res.evidence as Record<string, unknown>)[keys[c]];
        column[i] = v === undefined ? null : v;
      }
      x[keys[c]] = column;
    }
  }
  // The numbers that differ: a column as int32 when every value is a short decimal (most are: the judge rounds to
  // 5 significant digits), else as doubles. Row size is what a store's write costs.
  const width = numCols.length;
  if (packedScratch.length < n * width) packedScratch = new Int32Array(n * width * 2);
  const packedCols = packedScratch;
  const k: string[] = [];
  const p: string[] = [];
  const doubleFields: number[] = [];
  for (const c of numCols) {
    const e = field[c];
    const at = p.length * n;
    let packs = true;
    for (let i = 0; i < n; i++) {
      const v = nums[i * W + e];
      const q = Number.isNaN(v) ? ABSENT : packDecimal(v);
      if (q === null) {
        packs = false;
        break;
      }
      packedCols[at + i] = q;
    }
    if (packs) p.push(keys[c]);
    else {
      k.push(keys[c]);
      doubleFields.push(e);
    }
  }
  const pw = p.length;
  const packed = new Int32Array(n * pw);
  for (let i = 0, o = 0; i < n; i++) for (let j = 0; j < pw; j++) packed[o++] = packedCols[j * n + i];
  const dw = doubleFields.length;
  const doubles = new Float64Array(n * dw);
  for (let i = 0, o = 0; i < n; i++)
    for (let j = 0; j < dw; j++) doubles[o++] = nums[i * W + doubleFields[j]];
  // Base64 needs no escaping: spliced in rather than copied and scanned once more by JSON.stringify.
  return `{"f":5,"s":{${s}},"n":${JSON.stringify(names)},"k":${JSON.stringify(k)},"b":"${base64(doubles)}","p":${JSON.stringify(p)},"q":"${base64(packed)}","x":${JSON.stringify(x)}}`;
}

const base64 = (a: Float64Array | Int32Array): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

// `reason` is stored only when it is the result's own (enumerable) property: a lazy one is rebuilt when read.
const ownReason = (r: CheckResult): string | null =>
  Object.prototype.propertyIsEnumerable.call(r, 'reason') ? r.reason : null;

/** Marks column c as mixed once row i's value differs from the rows before. */
function see(shared: unknown[], c: number, v: unknown, i: number): void {
  if (i === 0) shared[c] = v;
  else if (shared[c] !== MIXED && shared[c] !== v) shared[c] = MIXED;
}

/** Reads what encodeResults wrote, the formats before it (4, 2), and plain JSON arrays of results. */
export function decodeResults(stored: unknown): CheckResult[] {
  if (Array.isArray(stored)) return stored as CheckResult[];
  const doc = stored as EncodedV2 | EncodedV4 | EncodedV5;
  if (doc.f === 2) {
    return doc.r.map(([name, verdict, action, reason, ...values]) => {
      const evidence: Record<string, unknown> = {};
      for (let i = 0; i < values.length; i++) if (values[i] !== null) evidence[doc.k[i]] = values[i];
      return result(name, verdict, action, reason, evidence);
    });
  }
  return decodeColumns(doc);
}

/** Base64 of little-endian numbers, copied into an aligned array (a decoded Buffer may start anywhere in a pool). */
function fromBase64<T extends Float64Array | Int32Array>(
  text: string,
  Type: { new (n: number): T },
  size: number,
): T {
  const bytes = Buffer.from(text, 'base64');
  const out = new Type(Math.floor(bytes.length / size));
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * size));
  return out;
}

function decodeColumns(doc: EncodedV4 | EncodedV5): CheckResult[] {
  const doubles = fromBase64(doc.b, Float64Array, 8);
  const packedKeys = doc.f === 5 ? doc.p : [];
  const packed = doc.f === 5 ? fromBase64(doc.q, Int32Array, 4) : new Int32Array(0);
  const sharedEvidence: Record<string, unknown> = {};
  for (const key in doc.s) if (key[0] !== '$' && doc.s[key] !== null) sharedEvidence[key] = doc.s[key];
  const width = doc.k.length;
  return doc.n.map((name, i) => {
    const evidence: Record<string, unknown> = { ...sharedEvidence };
    // Not-a-number and infinities read back as absent, as JSON (null) stored them before.
    for (let j = 0; j < width; j++) {
      const v = doubles[i * width + j];
      if (Number.isFinite(v)) evidence[doc.k[j]] = v;
    }
    for (let j = 0; j < packedKeys.length; j++) {
      const v = unpackDecimal(packed[i * packedKeys.length + j]);
      if (v !== undefined) evidence[packedKeys[j]] = v;
    }
    const top = (key: string) => (key in doc.x ? doc.x[key][i] : doc.s[key]);
    for (const key in doc.x) if (key[0] !== '$' && doc.x[key][i] !== null) evidence[key] = doc.x[key][i];
    return result(
      name,
      top(VERDICT) as string,
      top(ACTION) as string,
      (top(REASON) ?? null) as string | null,
      evidence,
    );
  });
}

function result(
  name: string,
  verdict: string,
  action: string,
  reason: string | null,
  evidence: Record<string, unknown>,
): CheckResult {
  const r = {
    name,
    verdict: verdict as CheckResult['verdict'],
    action: action as CheckResult['action'],
    evidence: evidence as Evidence,
  };
  // A passing check's line was not stored: it is rebuilt from its evidence when read (and again not stored).
  return reason !== null ? { ...r, reason } : passResult(r.name, r.verdict, r.action, r.evidence);
}
