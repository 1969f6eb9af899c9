import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/config/did-you-mean.js';

describe('didYouMean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('stagse', 'stages')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests close names only', () => {
    expect(didYouMean('stagse', ['stages', 'checks', 'source'])).toBe('stages');
    expect(didYouMean('Stages', ['stages'])).toBe('stages');
    expect(didYouMean('colour', ['type', 'url', 'secret'])).toBeUndefined();
    expect(didYouMean('x', ['y'])).toBeUndefined();
    expect(didYouMean('URL', ['url'])).toBe('url');
  });
});
