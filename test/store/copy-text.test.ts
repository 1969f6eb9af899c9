import { describe, expect, it } from 'vitest';
import { copyField, copyRows } from '../../src/store/copy-text.js';

describe('COPY text', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('{"a":"x\\"y"}')).toBe('{"a":"x\\\\"y"}');
    expect(copyField('plain – 延迟')).toBe('plain – 延迟');
    expect(copyField('\\N')).toBe('\\\\N'); // the text "\N", not NULL
    expect(copyField(null)).toBe('\\N');
    expect(copyField(1234567890123)).toBe('1234567890123');
  });

  it('joins fields with tabs and ends every row with a newline', () => {
    expect(copyRows([])).toBe('');
    expect(
      copyRows([
        ['a', 1, null],
        ['b\tc', 2, 'x'],
      ]),
    ).toBe('a\t1\t\\N\nb\\tc\t2\tx\n');
  });
});
