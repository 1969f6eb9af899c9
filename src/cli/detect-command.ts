import { readFile, writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { Side } from '../analysis/comparison.js';
import { StreamDetector } from '../analysis/stream-detector.js';

export interface DetectOptions {
  /** CSV file to read; stdin when absent. */
  input?: string;
  /** CSV file to write; stdout when absent. Written only when the whole input was valid. */
  output?: string;
  /** Which change is anomalous (default both). */
  direction?: Side;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** A problem with the input, at a 1-based line of the file. */
class InputError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `releasebot detect`: scores one metric series for anomalies as a stream (spec/detect.md). Reads CSV
 * `timestamp,value` (timestamps `YYYY-MM-DD HH:MM:SS` UTC or ISO-8601), writes `timestamp,value,anomaly_score`
 * with one row per input row in the same order, scores in [0, 1], each depending only on the rows up to it.
 * Returns the exit code: 0, or 1 on bad input (missing header, a bad timestamp or value, an empty file) with a
 * message naming the file and line on stderr and nothing on stdout.
 */
export async function runDetect(opts: DetectOptions): Promise<number> {
  const name = opts.input ?? 'stdin';
  let text: Buffer;
  try {
    text = opts.input ? await readFile(opts.input) : await readAll(opts.stdin);
  } catch (e) {
    opts.stderr.write(`releasebot detect: cannot read ${name}: ${(e as Error).message}\n`);
    return 1;
  }
  let out: Buffer;
  try {
    out = detectCsv(text, opts.direction ?? 'both');
  } catch (e) {
    if (e instanceof InputError) {
      opts.stderr.write(`releasebot detect: ${name}:${e.line}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (opts.output) {
    try {
      await writeFile(opts.output, out);
    } catch (e) {
      opts.stderr.write(`releasebot detect: cannot write ${opts.output}: ${(e as Error).message}\n`);
      return 1;
    }
  } else await write(opts.stdout, out);
  return 0;
}

/**
 * Scores a whole CSV input and returns the output CSV bytes. Throws InputError (with the line) on bad input;
 * nothing is produced unless every row is valid. Works on bytes: a million rows must not make a million strings.
 */
export function detectCsv(input: Buffer | string, direction: Side): Buffer {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const len = buf.length;
  let pos = len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  // Header: the first non-blank line.
  let lineNo = 0;
  let header = '';
  while (pos < len) {
    const end = lineEnd(buf, pos);
    lineNo++;
    header = buf.toString('utf8', pos, end).trim();
    pos = end + 1;
    if (header) break;
  }
  if (!header) throw new InputError(Math.max(1, lineNo), 'empty input: expected the header timestamp,value');
  const cols = header.split(',').map((c) => unquote(c.trim()).toLowerCase());
  const tCol = cols.indexOf('timestamp');
  const vCol = cols.indexOf('value');
  if (tCol < 0 || vCol < 0)
    throw new InputError(lineNo, `expected the header timestamp,value, got "${header}"`);
  const detector = new StreamDetector({ direction });
  const head = Buffer.from('timestamp,value,anomaly_score\n');
  let out = Buffer.allocUnsafe(head.length + len + 16 * 1024);
  head.copy(out, 0);
  let o = head.length;
  while (pos < len) {
    let end = lineEnd(buf, pos);
    lineNo++;
    const start = pos;
    pos = end + 1;
    if (end > start && buf[end - 1] === 13) end--;
    // Blank lines are not rows.
    let a = start;
    while (a < end && buf[a] <= 32) a++;
    if (a === end) continue;
    let t: number;
    let tFrom: number;
    let tTo: number;
    let vFrom: number;
    let vTo: number;
    const comma = buf.indexOf(44, start);
    if (
      tCol === 0 &&
      vCol === 1 &&
      comma >= 0 &&
      comma < end &&
      (buf.indexOf(44, comma + 1) < 0 || buf.indexOf(44, comma + 1) >= end)
    ) {
      [tFrom, tTo] = trimRange(buf, start, comma);
      [vFrom, vTo] = trimRange(buf, comma + 1, end);
    } else {
      const fields = splitRanges(buf, start, end);
      if (fields.length / 2 <= Math.max(tCol, vCol)) {
        throw new InputError(lineNo, `expected ${cols.length} columns, got ${fields.length / 2}`);
      }
      [tFrom, tTo] = trimRange(buf, fields[2 * tCol], fields[2 * tCol + 1]);
      [vFrom, vTo] = trimRange(buf, fields[2 * vCol], fields[2 * vCol + 1]);
    }
    if (tTo - tFrom >= 2 && buf[tFrom] === 34 && buf[tTo - 1] === 34) {
      tFrom++;
      tTo--;
    }
    if (vTo - vFrom >= 2 && buf[vFrom] === 34 && buf[vTo - 1] === 34) {
      vFrom++;
      vTo--;
    }
    t = parseTimestampBytes(buf, tFrom, tTo);
    if (Number.isNaN(t)) {
      t = parseTimestamp(buf.toString('utf8', tFrom, tTo));
      if (Number.isNaN(t)) {
        const text = buf.toString('utf8', tFrom, tTo);
        throw new InputError(lineNo, `bad timestamp "${text}" (expected YYYY-MM-DD HH:MM:SS or ISO-8601)`);
      }
    }
    let v = parseDecimalBytes(buf, vFrom, vTo);
    if (Number.isNaN(v) && vTo > vFrom) v = Number(buf.toString('latin1', vFrom, vTo));
    if (!Number.isFinite(v))
      throw new InputError(lineNo, `value "${buf.toString('utf8', vFrom, vTo)}" is not a number`);
    const score = detector.push(t, v);
    // timestamp,value,score: the two fields as read, then the score with six decimals.
    const need = tTo - tFrom + vTo - vFrom + 12;
    if (o + need > out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, o + need));
      out.copy(bigger, 0, 0, o);
      out = bigger;
    }
    // Byte loops: Buffer.copy costs more than the copy itself for a few bytes.
    for (let i = tFrom; i < tTo; i++) out[o++] = buf[i];
    out[o++] = 44;
    for (let i = vFrom; i < vTo; i++) out[o++] = buf[i];
    out[o++] = 44;
    o = writeScore(out, o, score);
    out[o++] = 10;
  }
  return out.subarray(0, o);
}

/** Writes a score in [0, 1] as `0` or `0.dddddd` (six decimals, `1` when it rounds up); returns the new offset. */
function writeScore(out: Buffer, o: number, score: number): number {
  const q = Math.round(score * 1e6);
  if (q <= 0) {
    out[o] = 48;
    return o + 1;
  }
  if (q >= 1e6) {
    out[o] = 49;
    return o + 1;
  }
  out[o] = 48;
  out[o + 1] = 46;
  let x = q;
  for (let i = 7; i >= 2; i--) {
    out[o + i] = 48 + (x % 10);
    x = Math.floor(x / 10);
  }
  return o + 8;
}

/** [from, to) without surrounding whitespace. */
function trimRange(buf: Buffer, from: number, to: number): [number, number] {
  let a = from;
  let b = to;
  while (a < b && buf[a] <= 32) a++;
  while (b > a && buf[b - 1] <= 32) b--;
  return [a, b];
}

/** Field ranges of a line split at commas: [from0, to0, from1, to1, ...]. */
function splitRanges(buf: Buffer, from: number, to: number): number[] {
  const out: number[] = [];
  let a = from;
  for (let i = from; i <= to; i++) {
    if (i === to || buf[i] === 44) {
      out.push(a, i);
      a = i + 1;
    }
  }
  return out;
}

/**
 * A plain decimal (`-12.5`, `3`, `0.001`) from bytes, exactly as Number() would read it: up to 15 significant
 * digits make an exact integer and a power of ten, and dividing two exact doubles rounds correctly. NaN for
 * anything else (exponents, more digits, words), which the caller hands to Number().
 */
export function parseDecimalBytes(b: Buffer, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && (b[i] === 45 || b[i] === 43)) {
    neg = b[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let seenPoint = false;
  let any = false;
  for (; i < to; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      any = true;
      if (mant === 0 && c === 48 && !seenPoint) continue;
      mant = mant * 10 + (c - 48);
      if (mant !== 0) digits++;
      if (seenPoint) frac++;
    } else if (c === 46 && !seenPoint) seenPoint = true;
    else return NaN;
  }
  if (!any || digits > 15 || frac > 22) return NaN;
  const v = frac ? mant / POW10[frac] : mant;
  return neg ? -v : v;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** `YYYY-MM-DD HH:MM:SS[.fff][Z]` (or with `T`) from bytes; NaN for anything else (then Date.parse decides). */
function parseTimestampBytes(b: Buffer, from: number, to: number): number {
  const n = to - from;
  if (n < 19 || b[from + 4] !== 45 || b[from + 7] !== 45 || b[from + 13] !== 58 || b[from + 16] !== 58)
    return NaN;
  const sep = b[from + 10];
  if (sep !== 32 && sep !== 84) return NaN;
  const y = digitsAt(b, from, 4);
  const mo = digitsAt(b, from + 5, 2);
  const d = digitsAt(b, from + 8, 2);
  const h = digitsAt(b, from + 11, 2);
  const mi = digitsAt(b, from + 14, 2);
  const sec = digitsAt(b, from + 17, 2);
  let ms = 0;
  let i = from + 19;
  if (i < to && b[i] === 46) {
    let scale = 100;
    i++;
    while (i < to && b[i] >= 48 && b[i] <= 57) {
      ms += (b[i] - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  if (i < to && (b[i] === 90 || b[i] === 122)) i++;
  if (i !== to || y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, sec) + ms;
}

function digitsAt(b: Buffer, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function lineEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf(10, from);
  return i < 0 ? buf.length : i;
}

function unquote(s: string): string {
  return s.length >= 2 && s.charCodeAt(0) === 34 && s.charCodeAt(s.length - 1) === 34 ? s.slice(1, -1) : s;
}

/**
 * `YYYY-MM-DD HH:MM:SS` (UTC) or `YYYY-MM-DDTHH:MM:SS[.fff][Z]` parsed by hand (a Date per row would cost more
 * than the detector); anything else ISO-8601 (offsets, date only) through Date.parse, UTC when no zone. NaN when
 * unparseable.
 */
export function parseTimestamp(s: string): number {
  const n = s.length;
  if (
    n >= 19 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58
  ) {
    const sep = s.charCodeAt(10);
    if (sep === 32 || sep === 84) {
      const y = digits(s, 0, 4);
      const mo = digits(s, 5, 2);
      const d = digits(s, 8, 2);
      const h = digits(s, 11, 2);
      const mi = digits(s, 14, 2);
      const sec = digits(s, 17, 2);
      let ms = 0;
      let i = 19;
      if (i < n && s.charCodeAt(i) === 46) {
        let scale = 100;
        i++;
        while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
          ms += (s.charCodeAt(i) - 48) * scale;
          scale /= 10;
          i++;
        }
      }
      const tail = s.slice(i);
      if (
        y >= 0 &&
        mo >= 1 &&
        mo <= 12 &&
        d >= 1 &&
        d <= 31 &&
        h <= 24 &&
        mi <= 59 &&
        sec <= 60 &&
        (tail === '' || tail === 'Z' || tail === 'z')
      ) {
        return Date.UTC(y, mo - 1, d, h, mi, sec) + ms;
      }
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return NaN;
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(s) || s.length === 10;
  return Date.parse(zoned ? s : `${s.replace(' ', 'T')}Z`);
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

function write(stream: Writable, text: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
