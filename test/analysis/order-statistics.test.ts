import { describe, expect, it } from 'vitest';
import { robustSummary, newScratch } from '../../src/analysis/robust-stats.js';
import { selectInPlace, selectMedian } from '../../src/analysis/select.js';
import { SortedWindow } from '../../src/analysis/sorted-window.js';
import { rng } from './synthetic.js';

const sortedMedian = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

describe('robust summary', () => {
  it('is the median and the MAD scaled to a normal sd, ignoring NaN', () => {
    const s = robustSummary([1, 2, 3, 4, 100, NaN], newScratch(2));
    expect(s.center).toBe(3);
    // |x - 3| = 2, 1, 0, 1, 97 -> MAD 1
    expect(s.spread).toBeCloseTo(1.4826, 4);
    expect(s.n).toBe(5);
  });
});

describe('sliding sorted window', () => {
  it('gives the median and MAD of the last values, as sorting would', () => {
    const r = rng(7);
    for (let trial = 0; trial < 300; trial++) {
      const cap = 1 + Math.floor(r.u() * 30);
      const w = new SortedWindow(cap);
      const all: number[] = [];
      const pushes = 1 + Math.floor(r.u() * 60);
      for (let i = 0; i < pushes; i++) {
        const v = Math.floor(r.u() * 10) / 2; // many ties on purpose
        w.push(v);
        all.push(v);
      }
      const win = all.slice(-cap);
      const med = sortedMedian(win);
      expect(w.median()).toBe(med);
      expect(w.mad(med)).toBe(sortedMedian(win.map((x) => Math.abs(x - med))));
      expect(w.mad(2)).toBe(sortedMedian(win.map((x) => Math.abs(x - 2))));
    }
  });
});

describe('selection', () => {
  it('finds the k-th smallest and the median', () => {
    const r = rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(r.u() * 40);
      const a = Float64Array.from({ length: n }, () => Math.floor(r.u() * 6));
      const sorted = Array.from(a).sort((x, y) => x - y);
      const k = Math.floor(r.u() * n);
      expect(selectInPlace(a.slice(), n, k)).toBe(sorted[k]);
      expect(selectMedian(a.slice(), n)).toBe(sortedMedian(sorted));
    }
  });
});
