import { describe, expect, it } from 'vitest';
import { ReleasebotError } from '../../../src/errors/releasebot-error.js';
import { parseSelector } from '../../../src/metrics/builtin/selector.js';

const summary = (q: string): [string, string, string][] =>
  parseSelector(q).matchers.map((m) => [m.name, m.op, m.value]);

function queryError(q: string): ReleasebotError {
  try {
    parseSelector(q);
  } catch (e) {
    expect(e).toBeInstanceOf(ReleasebotError);
    expect((e as ReleasebotError).code).toBe('QUERY_INVALID');
    return e as ReleasebotError;
  }
  throw new Error(`expected ${q} to be rejected`);
}

describe('parseSelector', () => {
  it('reads every matcher kind, a bare name and {__name__=…}', () => {
    expect(summary('name{a="b",c!="d",e=~"f.*",g!~"h"}')).toEqual([
      ['__name__', '=', 'name'],
      ['a', '=', 'b'],
      ['c', '!=', 'd'],
      ['e', '=~', 'f.*'],
      ['g', '!~', 'h'],
    ]);
    expect(summary('up')).toEqual([['__name__', '=', 'up']]);
    expect(summary('{__name__="x"}')).toEqual([['__name__', '=', 'x']]);
    expect(summary(' job:rate5m { a = "1" , } ')).toEqual([
      ['__name__', '=', 'job:rate5m'],
      ['a', '=', '1'],
    ]);
  });

  it('decodes PromQL strings: escapes, single quotes and raw backticks', () => {
    expect(summary(`m{a="x\\"y\\n\\u00e9\\x41\\101",b='it\\'s',c=\`C:\\dir\`}`).slice(1)).toEqual([
      ['a', '=', 'x"y\néAA'],
      ['b', '=', "it's"],
      ['c', '=', 'C:\\dir'],
    ]);
  });

  it('anchors regexes fully, as PromQL does', () => {
    const [, m] = parseSelector('m{e=~"f.*"}').matchers;
    expect(m.matches('foo')).toBe(true);
    expect(m.matches('afoo')).toBe(false);
    const [, alt] = parseSelector('m{e=~"a|b"}').matchers;
    expect(alt.matches('a')).toBe(true);
    expect(alt.matches('ab')).toBe(false);
    const [, neg] = parseSelector('m{e!~"a|b"}').matchers;
    expect(neg.matches('ab')).toBe(true);
    expect(neg.matches('b')).toBe(false);
    const [, ci] = parseSelector('m{e=~"(?i)get"}').matchers;
    expect(ci.matches('GET')).toBe(true);
  });

  it.each([
    ['m{a="b"', 8, 'unterminated selector'],
    ['m{a=b}', 5, 'expected a quoted string'],
    ['m{a~"b"}', 4, 'expected a matcher operator'],
    ['m{="b"}', 3, 'expected a label name'],
    ['m{a="b}', 5, 'unterminated string'],
    ['m{a="b" c="d"}', 9, 'expected `,` or `}`'],
    ['m{a="\\q"}', 6, 'invalid escape sequence'],
    ['m{a=~"("}', 3, 'invalid regular expression'],
    ['', 1, 'empty query'],
    ['{}', 1, 'at least one matcher that does not match the empty string'],
    ['{a=~".*"}', 1, 'at least one matcher'],
    ['m{__name__="x"}', 3, 'set twice'],
  ])('rejects %j at column %i', (q, column, message) => {
    const e = queryError(q);
    expect(e.details[0].column).toBe(column);
    expect(e.message).toContain(`column ${column}`);
    expect(e.message).toContain(message);
  });

  it.each([
    ['rate(m[5m])', 5, 'function call'],
    ['sum(m)', 4, 'function call'],
    ['m[5m]', 2, 'range selector'],
    ['m + n', 3, 'operator'],
    ['m{a="b"} > 1', 10, 'operator'],
    ['m offset 5m', 3, 'more text'],
    ['1', 1, 'expected a metric name'],
  ])('says that %j is beyond a selector and points to the prometheus source', (q, column, what) => {
    const e = queryError(q);
    expect(e.details[0].column).toBe(column);
    expect(e.message).toContain(what);
    expect(e.message).toContain('need a `prometheus` source');
  });
});
