import { describe, expect, it } from 'vitest';
import { ReleasebotError } from '../../../src/errors/releasebot-error.js';
import { OpenMetricsParser, type ExpositionFormat } from '../../../src/metrics/builtin/openmetrics-parser.js';

interface Parsed {
  series: Record<string, string>[];
  samples: { labels: Record<string, string>; t: number; v: number }[];
}

function parse(
  text: string | Buffer[],
  format: ExpositionFormat = 'openmetrics',
  defaultTimestamp?: number,
): Parsed {
  const out: Parsed = { series: [], samples: [] };
  const parser = new OpenMetricsParser(
    {
      series: (labels) => out.series.push(labels) - 1,
      sample: (ref, t, v) => out.samples.push({ labels: out.series[ref], t, v }),
    },
    { format, file: 'm.om', defaultTimestamp },
  );
  for (const chunk of typeof text === 'string' ? [Buffer.from(text)] : text) parser.write(chunk);
  parser.end();
  return out;
}

function parseError(text: string, format: ExpositionFormat = 'openmetrics'): ReleasebotError {
  try {
    parse(text, format);
  } catch (e) {
    expect(e).toBeInstanceOf(ReleasebotError);
    return e as ReleasebotError;
  }
  throw new Error('expected a parse error');
}

describe('OpenMetricsParser', () => {
  it('reads HELP, TYPE, labelled and bare samples with second timestamps (integer and decimal) in OpenMetrics', () => {
    const r = parse(
      [
        '# HELP http_error_ratio Errors per request.',
        '# TYPE http_error_ratio gauge',
        '# UNIT http_error_ratio ratio',
        'http_error_ratio{service="webapp",cohort="all"} 0.0001787 1738540860',
        'http_error_ratio{service="webapp",cohort="all"} 1.5e-3 1738540920.25',
        'up 1 1738540860',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(r.series).toEqual([
      { __name__: 'http_error_ratio', service: 'webapp', cohort: 'all' },
      { __name__: 'up' },
    ]);
    expect(r.samples.map((s) => [s.labels.__name__, s.t, s.v])).toEqual([
      ['http_error_ratio', 1738540860000, 0.0001787],
      ['http_error_ratio', 1738540920250, 0.0015],
      ['up', 1738540860000, 1],
    ]);
  });

  it('parses special values and signs', () => {
    const r = parse('a NaN 1\na +Inf 2\na -Inf 3\na -0.5 4\na +2 5\na 1E3 6\na .5 7\n# EOF\n');
    expect(r.samples.map((s) => s.v)).toEqual([NaN, Infinity, -Infinity, -0.5, 2, 1000, 0.5]);
  });

  it('gives the same doubles as Number() for many decimals', () => {
    const values = [
      '0.1',
      '0.0012563',
      '123456789012345',
      '1234567890123456789',
      '3.14159265358979',
      '9007199254740993',
      '1e-30',
      '0.000000000000000000000001',
    ];
    const r = parse(values.map((v, i) => `x ${v} ${i}`).join('\n') + '\n# EOF\n');
    expect(r.samples.map((s) => s.v)).toEqual(values.map(Number));
  });

  it('decodes escaped label values and UTF-8, and drops empty-valued labels', () => {
    const r = parse('m{path="/a\\"b\\\\c\\nd",city="Zürich",empty=""} 1 1\n# EOF\n');
    expect(r.series[0]).toEqual({ __name__: 'm', path: '/a"b\\c\nd', city: 'Zürich' });
  });

  it('accepts whitespace, a trailing comma, CRLF, blank lines and exemplars', () => {
    const r = parse('m{ a = "1" , b="2", } \t 7   1\r\n\nc_total 3 2 # {trace_id="x"} 1 2\n# EOF\r\n');
    expect(r.samples.map((s) => [s.labels, s.v, s.t])).toEqual([
      [{ __name__: 'm', a: '1', b: '2' }, 7, 1000],
      [{ __name__: 'c_total' }, 3, 2000],
    ]);
  });

  it('handles lines split across chunks anywhere', () => {
    const text = 'm{a="x"} 1 1\nm{a="x"} 2 2\nm{a="y"} 3 3\n# EOF\n';
    const whole = parse(text);
    for (let cut = 1; cut < text.length - 1; cut++) {
      const bytes = Buffer.from(text);
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it('treats the same series text as one series, and different texts of the same labels as separate refs', () => {
    const r = parse('m{a="1"} 1 1\nm{a="1"} 2 2\nm{a="2"} 3 3\nm{a="1"} 4 4\n# EOF\n');
    expect(r.series).toHaveLength(2);
    expect(r.samples.map((s) => s.labels.a)).toEqual(['1', '1', '2', '1']);
  });

  it('does not confuse a series with a longer one sharing its prefix', () => {
    const r = parse('m 1 1\nm_total 2 2\nm 3 3\nm{a="1"} 4 4\n# EOF\n');
    expect(r.samples.map((s) => s.labels)).toEqual([
      { __name__: 'm' },
      { __name__: 'm_total' },
      { __name__: 'm' },
      { __name__: 'm', a: '1' },
    ]);
    expect(parseError('m{a="1"} 1 1\nm{a="1"}x 2 2\n# EOF\n').details[0]).toMatchObject({
      line: 2,
      column: 9,
    });
  });

  describe('Prometheus text format', () => {
    it('reads timestamps as milliseconds, gives the default time to samples without one, ignores other comments', () => {
      const r = parse(
        '# a comment\n# TYPE m counter\nm{a="1"} 5 1700000000123\nm {a="2"} 6\nm 7\n',
        'prometheus',
        42,
      );
      expect(r.samples.map((s) => [s.labels, s.v, s.t])).toEqual([
        [{ __name__: 'm', a: '1' }, 5, 1700000000123],
        [{ __name__: 'm', a: '2' }, 6, 42],
        [{ __name__: 'm' }, 7, 42],
      ]);
    });

    it('does not require # EOF', () => {
      expect(parse('m 1 1\n', 'prometheus').samples).toHaveLength(1);
    });

    it('rejects fractional millisecond timestamps', () => {
      expect(parseError('m 1 1.5\n', 'prometheus').message).toContain('expected integer milliseconds');
    });
  });

  describe('malformed lines name file, line and column', () => {
    const cases: [string, string, number, number, string][] = [
      ['missing value', 'm{a="1"}\n', 1, 9, 'expected a space and a value'],
      ['missing value after space', 'm{a="1"} \n', 1, 10, 'invalid value ""'],
      ['bad value', 'ok 1 1\nm{a="1"} abc 1\n', 2, 10, 'invalid value "abc"'],
      ['bad timestamp', 'm 1 yesterday\n', 1, 5, 'invalid timestamp "yesterday"'],
      ['infinite timestamp', 'm 1 +Inf\n', 1, 5, 'invalid timestamp'],
      ['missing timestamp (OpenMetrics replay)', 'm 1\n', 1, 4, 'missing timestamp'],
      ['trailing text', 'm 1 1 2\n', 1, 7, 'unexpected text after the sample'],
      ['no metric name', '{a="1"} 1 1\n', 1, 1, 'expected a metric name before `{`'],
      ['invalid metric name', '9m 1 1\n', 1, 1, 'expected a metric name'],
      ['unterminated label set', 'm{a="1" 1 1\n', 1, 12, 'unterminated label set (missing `}`)'],
      ['unterminated label value', 'm{a="1} 1 1\n', 1, 12, 'unterminated label value'],
      ['missing =', 'm{a "1"} 1 1\n', 1, 5, 'expected `=` after label name "a"'],
      ['unquoted value', 'm{a=1} 1 1\n', 1, 5, 'expected a quoted value for label "a"'],
      ['bad label name', 'm{1a="1"} 1 1\n', 1, 3, 'expected a label name'],
      ['duplicate label', 'm{a="1",a="2"} 1 1\n', 1, 9, 'duplicate label "a"'],
      ['bad escape', 'm{a="x\\t"} 1 1\n', 1, 7, 'invalid escape'],
      ['unknown type', '# TYPE m bogus\n', 1, 10, 'unknown metric type "bogus"'],
      ['TYPE without name', '# TYPE\n', 1, 7, '# TYPE needs a valid metric name'],
      ['unknown comment', '# hello\n', 1, 1, 'unknown comment'],
      ['text after EOF', 'm 1 1\n# EOF\nm 2 2\n', 3, 1, 'text after `# EOF`'],
      ['missing EOF', 'm 1 1\nm 2 2\n', 3, 1, 'ends without `# EOF`'],
    ];
    it.each(cases)('%s', (_name, text, line, column, message) => {
      const e = parseError(text.includes('# EOF') || _name === 'missing EOF' ? text : `${text}# EOF\n`);
      expect(e.code).toBe('METRICS_PARSE');
      expect(e.details[0]).toMatchObject({ file: 'm.om', line, column });
      expect(e.message).toContain(message);
      expect(e.message).toMatch(new RegExp(`^m\\.om:${line}:${column}: `));
    });

    it('counts columns in characters, not bytes', () => {
      expect(parseError('m{city="Zürich"} x 1\n# EOF\n').details[0].column).toBe(18);
    });
  });

  it('loads a large file in one pass with every sample intact', () => {
    const lines: string[] = ['# TYPE big gauge'];
    const n = 200_000;
    for (let i = 0; i < n; i++)
      lines.push(`big{shard="${i % 7}"} ${(i * 0.001).toFixed(3)} ${1_700_000_000 + Math.floor(i / 7) * 60}`);
    lines.push('# EOF', '');
    const buf = Buffer.from(lines.join('\n'));
    const chunks: Buffer[] = [];
    for (let p = 0; p < buf.length; p += 65_536) chunks.push(buf.subarray(p, p + 65_536));
    const r = parse(chunks);
    expect(r.series).toHaveLength(7);
    expect(r.samples).toHaveLength(n);
    expect(r.samples[n - 1]).toEqual({
      labels: { __name__: 'big', shard: String((n - 1) % 7) },
      t: (1_700_000_000 + Math.floor((n - 1) / 7) * 60) * 1000,
      v: Number(((n - 1) * 0.001).toFixed(3)),
    });
  });
});
