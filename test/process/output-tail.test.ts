import { describe, expect, it } from 'vitest';
import { OutputTail, tailText } from '../../src/process/output-tail.js';

describe('OutputTail', () => {
  it('keeps everything under the limit', () => {
    const t = new OutputTail(10);
    t.push('abc');
    t.push(Buffer.from('def'));
    expect(t.text()).toBe('abcdef');
  });

  it('keeps the last bytes across chunks and counts the rest', () => {
    const t = new OutputTail(4);
    for (const c of ['12345', '67', '89']) t.push(c);
    expect(t.text()).toBe('[... 5 earlier bytes not kept]\n6789');
  });

  it('never starts in the middle of a UTF-8 character', () => {
    expect(tailText('aé€', 3)).toBe('[... 3 earlier bytes not kept]\n€');
    expect(tailText('aé€', 4)).toBe('[... 3 earlier bytes not kept]\n€');
  });
});
