import { ReleasebotError } from '../../errors/releasebot-error.js';
import { parseNumber } from './parse-number.js';

/**
 * `openmetrics`: timestamps in seconds (integer or decimal), `# EOF` required, only HELP/TYPE/UNIT/EOF comments.
 * `prometheus`: the classic text format 0.0.4, timestamps in integer milliseconds, other comments ignored.
 */
export type ExpositionFormat = 'openmetrics' | 'prometheus';

/** Where parsed samples go. Labels include the metric name as `__name__`. */
export interface SampleSink {
  /** Called once per distinct series text; returns a reference passed back to `sample`. */
  series(labels: Record<string, string>): number;
  /** `t` in ms since the epoch. */
  sample(ref: number, t: number, v: number): void;
}

export interface OpenMetricsParserOptions {
  format: ExpositionFormat;
  /** Named in error messages (a path, or e.g. `push body`). */
  file?: string;
  /** ms; given to samples without a timestamp. Without it a missing timestamp is an error. */
  defaultTimestamp?: number;
}

const SP = 0x20;
const TAB = 0x09;
const NL = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const QUOTE = 0x22;
const BSLASH = 0x5c;
const EQ = 0x3d;
const COMMA = 0x2c;
const MAX_LINE = 1 << 20;

const OM_TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'stateset',
  'info',
  'summary',
  'unknown',
]);
const PROM_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}
function isLabelStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}
function isLabelChar(c: number): boolean {
  return isLabelStart(c) || (c >= 0x30 && c <= 0x39);
}
function isBlank(c: number): boolean {
  return c === SP || c === TAB;
}

/**
 * A streaming parser for the OpenMetrics and Prometheus text formats: feed it chunks with `write`, then `end`.
 * Works on bytes and recognises a line of the same series as the previous one by comparing bytes, so the labels of
 * a long run of samples are parsed once. A malformed line throws METRICS_PARSE naming file, line and column.
 */
export class OpenMetricsParser {
  /** Lines read so far. */
  lines = 0;
  samples = 0;
  private readonly om: boolean;
  private readonly file: string;
  private readonly defaultTs: number | undefined;
  private carry: Buffer | null = null;
  private prevKey = Buffer.alloc(256);
  private prevLen = 0;
  private prevBare = false;
  private prevRef = -1;
  private readonly cache = new Map<string, number>();
  private eof = false;

  constructor(
    private readonly sink: SampleSink,
    opts: OpenMetricsParserOptions,
  ) {
    this.om = opts.format === 'openmetrics';
    this.file = opts.file ?? '<input>';
    this.defaultTs = opts.defaultTimestamp;
  }

  write(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carry) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        this.checkLineLength(this.carry.length);
        return;
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, nl)]);
      this.carry = null;
      this.line(line, 0, line.length);
      pos = nl + 1;
    }
    const n = buf.length;
    while (pos < n) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) {
        this.carry = Buffer.from(buf.subarray(pos));
        this.checkLineLength(this.carry.length);
        return;
      }
      this.line(buf, pos, nl);
      pos = nl + 1;
    }
  }

  /** Parses a trailing line without a newline; in OpenMetrics, fails unless `# EOF` was seen. */
  end(): void {
    if (this.carry) {
      const line = this.carry;
      this.carry = null;
      this.line(line, 0, line.length);
    }
    if (this.om && !this.eof) {
      throw this.error(
        this.lines + 1,
        1,
        'the input ends without `# EOF` (OpenMetrics requires it; truncated file?)',
        '',
      );
    }
  }

  private checkLineLength(n: number): void {
    if (n > MAX_LINE) throw this.error(this.lines + 1, 1, `line longer than ${MAX_LINE} bytes`, '');
  }

  private line(buf: Buffer, s: number, e: number): void {
    this.lines++;
    if (e > s && buf[e - 1] === CR) e--;
    let p = s;
    while (p < e && isBlank(buf[p])) p++;
    if (p === e) return; // blank lines are harmless; accepted in both formats
    if (this.eof) this.fail(buf, s, e, p, 'text after `# EOF`');
    if (buf[s] === HASH) this.comment(buf, s, e);
    else this.sampleLine(buf, s, e);
  }

  private sampleLine(buf: Buffer, s: number, e: number): void {
    let p: number;
    let ref: number;
    const pl = this.prevLen;
    if (
      pl > 0 &&
      e - s > pl &&
      isBlank(buf[s + pl]) &&
      this.sameAsPrevious(buf, s, pl) &&
      !(this.prevBare && this.braceFollows(buf, s + pl, e))
    ) {
      ref = this.prevRef;
      p = s + pl;
    } else {
      p = this.seriesEnd(buf, s, e);
      const raw = buf.toString('latin1', s, p);
      let r = this.cache.get(raw);
      if (r === undefined) {
        r = this.sink.series(this.parseLabels(buf, s, p, e));
        this.cache.set(raw, r);
      }
      ref = r;
      this.remember(buf, s, p, r);
    }

    if (p >= e || !isBlank(buf[p])) this.fail(buf, s, e, p, 'expected a space and a value after the series');
    while (p < e && isBlank(buf[p])) p++;
    const vs = p;
    while (p < e && !isBlank(buf[p])) p++;
    const v = parseNumber(buf, vs, p);
    if (v === undefined) this.fail(buf, s, e, vs, `invalid value "${buf.toString('utf8', vs, p)}"`);
    while (p < e && isBlank(buf[p])) p++;

    let t: number;
    if (p >= e || (this.om && buf[p] === HASH)) {
      if (this.defaultTs === undefined) this.fail(buf, s, e, p, 'missing timestamp');
      t = this.defaultTs;
    } else {
      const ts = p;
      while (p < e && !isBlank(buf[p])) p++;
      t = this.timestamp(buf, s, e, ts, p);
      while (p < e && isBlank(buf[p])) p++;
    }
    if (p < e) {
      // An OpenMetrics exemplar (` # {trace_id="…"} 1 123`) belongs to the sample but is not stored.
      if (!(this.om && buf[p] === HASH && p + 2 < e && buf[p + 1] === SP && buf[p + 2] === LBRACE)) {
        this.fail(buf, s, e, p, 'unexpected text after the sample');
      }
    }
    this.samples++;
    this.sink.sample(ref, t, v as number);
  }

  private timestamp(buf: Buffer, s: number, e: number, ts: number, te: number): number {
    const x = parseNumber(buf, ts, te);
    if (x === undefined || !Number.isFinite(x))
      this.fail(buf, s, e, ts, `invalid timestamp "${buf.toString('utf8', ts, te)}"`);
    if (this.om) return Math.round((x as number) * 1000);
    if (!Number.isInteger(x)) {
      this.fail(
        buf,
        s,
        e,
        ts,
        `invalid timestamp "${buf.toString('utf8', ts, te)}": expected integer milliseconds`,
      );
    }
    return x as number;
  }

  private sameAsPrevious(buf: Buffer, s: number, n: number): boolean {
    // A plain loop: Buffer#compare with offsets costs more in argument checks than ~50 byte comparisons.
    const key = this.prevKey;
    for (let i = 0; i < n; i++) if (key[i] !== buf[s + i]) return false;
    return true;
  }

  private braceFollows(buf: Buffer, p: number, e: number): boolean {
    while (p < e && isBlank(buf[p])) p++;
    return buf[p] === LBRACE;
  }

  private remember(buf: Buffer, s: number, p: number, ref: number): void {
    const n = p - s;
    if (n > this.prevKey.length) this.prevKey = Buffer.alloc(n * 2);
    buf.copy(this.prevKey, 0, s, p);
    this.prevLen = n;
    this.prevRef = ref;
    this.prevBare = buf[p - 1] !== RBRACE;
  }

  /** Index just after the series text (`name` or `name{…}`), checking only what is needed to find its end. */
  private seriesEnd(buf: Buffer, s: number, e: number): number {
    let p = s;
    if (!isNameStart(buf[p])) {
      this.fail(
        buf,
        s,
        e,
        p,
        buf[p] === LBRACE ? 'expected a metric name before `{`' : 'expected a metric name',
      );
    }
    while (p < e && isNameChar(buf[p])) p++;
    let q = p;
    if (!this.om) while (q < e && isBlank(buf[q])) q++;
    if (buf[q] !== LBRACE || q >= e) return p;
    p = q + 1;
    while (p < e) {
      const c = buf[p];
      if (c === RBRACE) return p + 1;
      if (c === QUOTE) {
        p++;
        while (p < e && buf[p] !== QUOTE) p += buf[p] === BSLASH ? 2 : 1;
        if (p >= e) this.fail(buf, s, e, e, 'unterminated label value (missing `"`)');
      }
      p++;
    }
    return this.fail(buf, s, e, e, 'unterminated label set (missing `}`)');
  }

  private parseLabels(buf: Buffer, s: number, end: number, e: number): Record<string, string> {
    let p = s;
    while (p < end && isNameChar(buf[p])) p++;
    const labels: Record<string, string> = { __name__: buf.toString('latin1', s, p) };
    const seen = new Set(['__name__']);
    while (p < end && isBlank(buf[p])) p++;
    if (p >= end) return labels;
    p++; // `{`
    for (;;) {
      while (p < end && isBlank(buf[p])) p++;
      if (buf[p] === RBRACE) return labels;
      const ns = p;
      if (!isLabelStart(buf[p])) this.fail(buf, s, e, p, 'expected a label name');
      while (isLabelChar(buf[p])) p++;
      const name = buf.toString('latin1', ns, p);
      while (isBlank(buf[p])) p++;
      if (buf[p] !== EQ) this.fail(buf, s, e, p, `expected \`=\` after label name "${name}"`);
      p++;
      while (isBlank(buf[p])) p++;
      if (buf[p] !== QUOTE) this.fail(buf, s, e, p, `expected a quoted value for label "${name}"`);
      p++;
      const [value, after] = this.labelValue(buf, s, e, p);
      if (seen.has(name)) this.fail(buf, s, e, ns, `duplicate label "${name}"`);
      seen.add(name);
      // As in Prometheus, a label with an empty value is the same as no label.
      if (value !== '') labels[name] = value;
      p = after;
      while (isBlank(buf[p])) p++;
      if (buf[p] === COMMA) p++;
      else if (buf[p] !== RBRACE) this.fail(buf, s, e, p, 'expected `,` or `}` after a label');
    }
  }

  /** Decodes a label value starting after its opening quote; returns it and the index after the closing quote. */
  private labelValue(buf: Buffer, s: number, e: number, p: number): [string, number] {
    const vs = p;
    while (buf[p] !== QUOTE && buf[p] !== BSLASH) p++;
    if (buf[p] === QUOTE) return [buf.toString('utf8', vs, p), p + 1];
    const bytes: number[] = [...buf.subarray(vs, p)];
    for (; buf[p] !== QUOTE; p++) {
      if (buf[p] !== BSLASH) {
        bytes.push(buf[p]);
        continue;
      }
      const c = buf[++p];
      if (c === BSLASH || c === QUOTE) bytes.push(c);
      else if (c === 0x6e) bytes.push(NL);
      else
        this.fail(
          buf,
          s,
          e,
          p - 1,
          `invalid escape \`\\${String.fromCharCode(c)}\` in a label value (use \\\\, \\" or \\n)`,
        );
    }
    return [Buffer.from(bytes).toString('utf8'), p + 1];
  }

  private comment(buf: Buffer, s: number, e: number): void {
    const text = buf.toString('utf8', s, e);
    if (text === '# EOF') {
      if (this.om) this.eof = true;
      return;
    }
    const m = /^#[ \t]+(HELP|TYPE|UNIT)(?:[ \t]+(\S*))?(?:[ \t]+(.*))?$/.exec(text);
    if (!m) {
      if (this.om)
        this.fail(buf, s, e, s, 'unknown comment; OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF');
      return;
    }
    const [, keyword, name = '', rest = ''] = m;
    if (keyword === 'UNIT' && !this.om) return;
    if (!NAME_RE.test(name))
      this.fail(
        buf,
        s,
        e,
        s + text.indexOf(keyword) + keyword.length + 1,
        `# ${keyword} needs a valid metric name`,
      );
    if (keyword === 'TYPE') {
      const types = this.om ? OM_TYPES : PROM_TYPES;
      if (!types.has(rest.trim())) {
        this.fail(
          buf,
          s,
          e,
          s + text.lastIndexOf(rest),
          `unknown metric type "${rest.trim()}" (expected ${[...types].join(', ')})`,
        );
      }
    }
  }

  private fail(buf: Buffer, s: number, e: number, at: number, message: string): never {
    const column = buf.toString('utf8', s, Math.min(at, e)).length + 1;
    throw this.error(this.lines, column, message, buf.toString('utf8', s, Math.min(e, s + 200)));
  }

  private error(line: number, column: number, message: string, text: string): ReleasebotError {
    const where = `${this.file}:${line}:${column}`;
    return new ReleasebotError('METRICS_PARSE', `${where}: ${message}${text ? `: ${text}` : ''}`, {
      details: [{ file: this.file, line, column, message }],
    });
  }
}
