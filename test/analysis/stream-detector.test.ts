import { describe, expect, it } from 'vitest';
import { StreamDetector } from '../../src/analysis/stream-detector.js';
import { rng } from './synthetic.js';

const MIN5 = 300_000;
const T = Date.UTC(2024, 0, 1);

function scores(values: number[], direction: 'up' | 'down' | 'both' = 'both'): number[] {
  const d = new StreamDetector({ direction });
  return values.map((v, i) => d.push(T + i * MIN5, v));
}

/** Daily sine with noise, 5-minute points. */
function daily(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / 288) + r.normal());
}

describe('stream detector', () => {
  it('scores every point in [0, 1]', () => {
    const s = scores(daily(3000, 1));
    expect(s.every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it('stays quiet on a flat line and on steady noise', () => {
    expect(Math.max(...scores(new Array(2000).fill(5)))).toBe(0);
    const r = rng(2);
    const noise = Array.from({ length: 3000 }, () => 10 + r.normal());
    expect(Math.max(...scores(noise).slice(1000))).toBeLessThan(0.7);
  });

  it('flags a spike in the bad direction', () => {
    const v = daily(2500, 3);
    v[2000] += 30;
    const s = scores(v);
    const before = Math.max(...s.slice(1000, 2000));
    expect(s[2000]).toBeGreaterThan(0.8);
    expect(s[2000]).toBeGreaterThan(before);
    const down = daily(2500, 3);
    down[2000] += 30;
    expect(scores(down, 'down')[2000]).toBeLessThan(0.5);
  });

  it('flags a break in the daily pattern that a plain window would miss', () => {
    const v = daily(3000, 4);
    // At 2600 the series stops following its daily shape and holds its level.
    for (let i = 2600; i < 3000; i++) v[i] = v[2599] + rng(i).normal();
    const s = scores(v);
    // Higher than anything the normal days scored once the detector had learned them.
    expect(Math.max(...s.slice(2600, 2800))).toBeGreaterThan(Math.max(...s.slice(1000, 2600)));
    expect(Math.max(...s.slice(2600, 2800))).toBeGreaterThan(0.5);
  });

  it('is causal: a prefix scores the same alone', () => {
    const v = daily(2000, 5);
    v[1500] += 15;
    const full = scores(v);
    const prefix = scores(v.slice(0, 1600));
    expect(prefix).toEqual(full.slice(0, 1600));
  });

  it('tolerates repeated and out-of-order timestamps and non-finite values', () => {
    const d = new StreamDetector();
    const out = [d.push(T, 1), d.push(T, 2), d.push(T - MIN5, 3), d.push(T + MIN5, NaN), d.push(T + MIN5, 4)];
    expect(out.every((x) => x >= 0 && x <= 1)).toBe(true);
  });
});
