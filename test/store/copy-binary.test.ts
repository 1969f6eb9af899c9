import { describe, expect, it } from 'vitest';
import { copyBinary, type CopyColumn } from '../../src/store/copy-binary.js';

const columns: CopyColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'at', type: 'int8' },
  { name: 'n', type: 'int4' },
  { name: 'doc', type: 'json' },
];

describe('binary COPY', () => {
  it('writes the signature, then per row the field count and each field as length and bytes, then -1', () => {
    const buf = copyBinary(columns, [['dé', 1_700_000_000_123, -2, null]]);
    expect(buf.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    let o = 11;
    expect(buf.readInt32BE(o)).toBe(0); // flags
    expect(buf.readInt32BE(o + 4)).toBe(0); // extension
    o += 8;
    expect(buf.readInt16BE(o)).toBe(4);
    o += 2;
    expect(buf.readInt32BE(o)).toBe(3); // "dé" is 3 bytes of UTF-8
    expect(buf.subarray(o + 4, o + 7).toString('utf8')).toBe('dé');
    o += 7;
    expect(buf.readInt32BE(o)).toBe(8);
    expect(buf.readBigInt64BE(o + 4)).toBe(1_700_000_000_123n);
    o += 12;
    expect(buf.readInt32BE(o)).toBe(4);
    expect(buf.readInt32BE(o + 4)).toBe(-2);
    o += 8;
    expect(buf.readInt32BE(o)).toBe(-1); // NULL
    o += 4;
    expect(buf.readInt16BE(o)).toBe(-1);
    expect(buf.length).toBe(o + 2);
  });

  it('refuses values that do not fit their column, naming it', () => {
    expect(() => copyBinary(columns, [['a', 1.5, 0, '{}']])).toThrow(
      /column at needs a whole number, got 1.5/,
    );
    expect(() => copyBinary(columns, [['a', 1, 2 ** 31, '{}']])).toThrow(/column n needs a 32-bit integer/);
    expect(() => copyBinary(columns, [['a', 1, 0, 5]])).toThrow(/column doc needs text, got number/);
    expect(() => copyBinary(columns, [['a', 1]])).toThrow(/2 values for 4 columns/);
  });
});
