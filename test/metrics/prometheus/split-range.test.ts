import { describe, expect, it } from 'vitest';
import { splitRange } from '../../../src/metrics/prometheus/split-range.js';

describe('splitRange', () => {
  it('keeps a small range whole', () => {
    expect(splitRange(0, 600, 60)).toEqual([{ start: 0, end: 600 }]);
  });

  it('cuts on the step grid into parts of at most maxPoints points that cover every point once', () => {
    const parts = splitRange(1000, 1000 + 25 * 10, 10, 10);
    expect(parts).toEqual([
      { start: 1000, end: 1090 },
      { start: 1100, end: 1190 },
      { start: 1200, end: 1250 },
    ]);
    const points = parts.flatMap((p) =>
      Array.from({ length: (p.end - p.start) / 10 + 1 }, (_, i) => p.start + i * 10),
    );
    expect(points).toEqual(Array.from({ length: 26 }, (_, i) => 1000 + i * 10));
  });
});
