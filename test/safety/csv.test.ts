import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/safety/parse-csv.js';
import { writeCsv } from '../../src/safety/write-csv.js';

describe('CSV', () => {
  it('reads RFC 4180: quotes, doubled quotes, commas and line breaks in fields, CRLF, a BOM, blank lines', () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""",3\n\n2,"two\nlines",\n';
    expect(parseCsv(text)).toEqual({
      records: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', 'x, "y"', '3'] },
        { line: 4, fields: ['2', 'two\nlines', ''] },
      ],
      problems: [],
    });
  });

  it('reports malformed records by line and keeps reading', () => {
    const { records, problems } = parseCsv('a,b\n1,x"y\n2,"ok"z\n3,4\n5,"never closed\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['3', '4'] },
    ]);
    expect(problems).toEqual([
      { line: 2, message: 'a quote inside unquoted field 2; quote the whole field' },
      { line: 3, message: 'unexpected text after the closing quote of field 2' },
      { line: 5, message: 'unterminated quoted field (opened on line 5)' },
    ]);
  });

  it('writes what it reads back, and defuses spreadsheet formulas', () => {
    const text = writeCsv(
      ['title', 'n'],
      [
        ['a, "b"\nc', 1],
        ['=HYPERLINK("x")', -2],
        [null, true],
      ],
    );
    expect(text).toBe('title,n\r\n"a, ""b""\nc",1\r\n"\'=HYPERLINK(""x"")",-2\r\n,true\r\n');
    expect(parseCsv(text).records.map((r) => r.fields)).toEqual([
      ['title', 'n'],
      ['a, "b"\nc', '1'],
      ['\'=HYPERLINK("x")', '-2'],
      ['', 'true'],
    ]);
  });
});
