import { ReleasebotError } from '../../errors/releasebot-error.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  /** Whether a label value (`''` when the label is missing) satisfies the matcher. */
  matches(value: string): boolean;
}

/** A PromQL instant-vector selector; the metric name is a `__name__ =` matcher. */
export interface Selector {
  query: string;
  matchers: Matcher[];
}

const BEYOND =
  'the built-in metric source answers only instant-vector selectors such as name{label="value"}; ' +
  'functions, operators, ranges and modifiers need a `prometheus` source';
const OPERATORS = '+-*/%^=!<>([@';

/**
 * Parses `name`, `name{a="b",c!="d",e=~"f.*",g!~"h"}` or `{__name__="x"}`. Regexes are fully anchored, as in
 * PromQL. Bad syntax, or anything beyond a selector, throws QUERY_INVALID with the 1-based column.
 */
export function parseSelector(query: string): Selector {
  return new SelectorParser(query).parse();
}

export function createMatcher(
  name: string,
  op: MatchOp,
  value: string,
  onBadRegex?: (msg: string) => never,
): Matcher {
  if (op === '=') return { name, op, value, matches: (v) => v === value };
  if (op === '!=') return { name, op, value, matches: (v) => v !== value };
  const re = compileAnchored(value, onBadRegex);
  return op === '=~'
    ? { name, op, value, matches: (v) => re.test(v) }
    : { name, op, value, matches: (v) => !re.test(v) };
}

function compileAnchored(source: string, onBad?: (msg: string) => never): RegExp {
  // RE2's leading `(?i)` is common in PromQL; JavaScript spells it as a flag.
  let flags = 'u';
  let body = source;
  if (body.startsWith('(?i)')) {
    flags += 'i';
    body = body.slice(4);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags);
  } catch (e) {
    const msg = `invalid regular expression "${source}": ${(e as Error).message}`;
    if (onBad) return onBad(msg);
    throw new ReleasebotError('QUERY_INVALID', msg, { cause: e });
  }
}

class SelectorParser {
  private p = 0;
  constructor(private readonly q: string) {}

  parse(): Selector {
    const matchers: Matcher[] = [];
    this.blank();
    const name = this.ident(/[a-zA-Z_:]/, /[a-zA-Z0-9_:]/);
    if (name) {
      this.blank();
      if (this.q[this.p] === '(') this.fail(`"${name}(" looks like a function call; ${BEYOND}`);
      matchers.push(createMatcher('__name__', '=', name));
    }
    if (this.q[this.p] === '{') {
      this.p++;
      this.matchers(matchers, name !== '');
    } else if (!name) {
      this.fail(
        this.p >= this.q.length
          ? 'empty query: expected a metric name or `{`'
          : `expected a metric name or \`{\`; ${BEYOND}`,
      );
    }
    this.blank();
    if (this.p < this.q.length) {
      const c = this.q[this.p];
      const what = c === '[' ? 'a range selector' : OPERATORS.includes(c) ? 'an operator' : 'more text';
      this.fail(`found ${what} after the selector; ${BEYOND}`);
    }
    if (!matchers.some((m) => !m.matches(''))) {
      this.p = 0;
      this.fail(
        'the selector must contain at least one matcher that does not match the empty string, e.g. name{label="value"}',
      );
    }
    return { query: this.q, matchers };
  }

  private matchers(out: Matcher[], hasName: boolean): void {
    for (;;) {
      this.blank();
      if (this.q[this.p] === '}') {
        this.p++;
        return;
      }
      const at = this.p;
      const label = this.ident(/[a-zA-Z_]/, /[a-zA-Z0-9_]/);
      if (!label)
        this.fail(this.p >= this.q.length ? 'unterminated selector: expected `}`' : 'expected a label name');
      if (label === '__name__' && hasName) {
        this.p = at;
        this.fail('the metric name is set twice (before `{` and as __name__)');
      }
      this.blank();
      const op = this.op();
      this.blank();
      const value = this.string();
      out.push(createMatcher(label, op, value, (msg) => this.failAt(at, msg)));
      this.blank();
      if (this.q[this.p] === ',') this.p++;
      else if (this.q[this.p] !== '}') {
        this.fail(
          this.p >= this.q.length
            ? 'unterminated selector: expected `}`'
            : 'expected `,` or `}` after a matcher',
        );
      }
    }
  }

  private op(): MatchOp {
    const two = this.q.slice(this.p, this.p + 2);
    if (two === '!=' || two === '=~' || two === '!~') {
      this.p += 2;
      return two;
    }
    if (this.q[this.p] === '=') {
      this.p++;
      return '=';
    }
    return this.fail('expected a matcher operator: =, !=, =~ or !~');
  }

  /** A PromQL string: "…" or '…' with Go escapes, or `…` raw. */
  private string(): string {
    const quote = this.q[this.p];
    if (quote !== '"' && quote !== "'" && quote !== '`') return this.fail('expected a quoted string');
    const start = this.p;
    this.p++;
    let out = '';
    while (this.p < this.q.length && this.q[this.p] !== quote) {
      const c = this.q[this.p++];
      if (c !== '\\' || quote === '`') out += c;
      else out += this.escape();
    }
    if (this.p >= this.q.length) {
      this.p = start;
      this.fail(`unterminated string (missing ${quote})`);
    }
    this.p++;
    return out;
  }

  private escape(): string {
    const c = this.q[this.p++];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      '"': '"',
      "'": "'",
    };
    if (c !== undefined && Object.hasOwn(simple, c)) return simple[c];
    const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    const digits = hexLen ? this.q.slice(this.p, this.p + hexLen) : this.q.slice(this.p - 1, this.p + 2);
    if (hexLen && /^[0-9a-fA-F]+$/.test(digits) && digits.length === hexLen) {
      this.p += hexLen;
      return String.fromCodePoint(parseInt(digits, 16));
    }
    if (!hexLen && /^[0-7]{3}$/.test(digits)) {
      this.p += 2;
      return String.fromCharCode(parseInt(digits, 8));
    }
    this.p -= 2;
    return this.fail(`invalid escape sequence \\${c ?? ''}`);
  }

  private ident(first: RegExp, rest: RegExp): string {
    const s = this.p;
    if (this.p < this.q.length && first.test(this.q[this.p])) {
      this.p++;
      while (this.p < this.q.length && rest.test(this.q[this.p])) this.p++;
    }
    return this.q.slice(s, this.p);
  }

  private blank(): void {
    while (this.p < this.q.length && /\s/.test(this.q[this.p])) this.p++;
  }

  private fail(message: string): never {
    return this.failAt(this.p, message);
  }

  private failAt(at: number, message: string): never {
    const column = at + 1;
    throw new ReleasebotError(
      'QUERY_INVALID',
      `query ${JSON.stringify(this.q)}, column ${column}: ${message}`,
      {
        details: [{ message, column, path: 'query' }],
      },
    );
  }
}
