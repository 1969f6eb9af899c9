import { describe, expect, it } from 'vitest';
import { parseSelector } from '../../../src/metrics/builtin/selector.js';
import { AppendResult, newReadHint, SeriesStore } from '../../../src/metrics/builtin/series-store.js';

const MIN = 60_000;
const T0 = 1_740_000_000_000;

function fill(store: SeriesStore, id: number, n: number, value = (i: number) => i): void {
  for (let i = 0; i < n; i++) store.append(id, T0 + i * MIN, value(i));
}

describe('SeriesStore', () => {
  it('returns samples in (start, end] or [start, end] across sealed chunks and the open head', () => {
    const store = new SeriesStore({ retention: Infinity, chunkSize: 64 });
    const id = store.seriesId({ __name__: 'm', a: '1' });
    fill(store, id, 1000, (i) => i / 10);
    for (const [from, to] of [
      [0, 999],
      [10, 20],
      [60, 70],
      [63, 64],
      [128, 128],
      [990, 999],
      [500, 100],
    ]) {
      const s = store.read(id, T0 + from * MIN, T0 + to * MIN);
      const expected = to > from ? Array.from({ length: to - from }, (_, k) => (from + 1 + k) / 10) : [];
      expect([...s.v]).toEqual(expected);
      expect([...s.t]).toEqual(expected.map((v) => T0 + Math.round(v * 10) * MIN));
      const inclusive = store.read(id, T0 + from * MIN, T0 + to * MIN, true);
      expect(inclusive.t.length).toBe(to >= from ? to - from + 1 : 0);
    }
    expect(store.read(id, T0 - 10 * MIN, T0 - MIN).t.length).toBe(0);
    expect(store.read(id, T0 + 5000 * MIN, T0 + 6000 * MIN).t.length).toBe(0);
  });

  it('reads with a hint exactly what it reads without, while samples arrive, change and move to sealed chunks', () => {
    const store = new SeriesStore({ retention: Infinity, chunkSize: 40 });
    const id = store.seriesId({ __name__: 'm' });
    const hint = newReadHint();
    let rng = 7;
    const rand = () => (rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648;
    let start = T0 + 5 * MIN;
    let end = T0;
    let n = 0;
    for (let round = 0; round < 300; round++) {
      // New samples (sometimes none, sometimes many), now and then a replaced last value, a moved start or an
      // end that goes back: each read must equal an unhinted one.
      const add = rand() < 0.2 ? 0 : Math.floor(rand() * 4);
      for (let k = 0; k < add; k++, n++) store.append(id, T0 + n * MIN, n);
      if (n && rand() < 0.2) store.append(id, T0 + (n - 1) * MIN, -n);
      if (rand() < 0.05) start = T0 + Math.floor(rand() * n) * MIN;
      end = rand() < 0.05 ? end - 3 * MIN : T0 + Math.floor(n * (0.8 + rand() * 0.4)) * MIN;
      const inclusive = rand() < 0.5;
      const hinted = store.read(id, start, end, inclusive, hint);
      const plain = store.read(id, start, end, inclusive);
      expect([...hinted.t]).toEqual([...plain.t]);
      expect([...hinted.v]).toEqual([...plain.v]);
    }
    expect(n).toBeGreaterThan(100); // several chunks were sealed on the way
    // A window that starts after the newest sample, while samples arrive one by one into it and past it.
    const late = store.seriesId({ __name__: 'late' });
    const lateHint = newReadHint();
    for (let k = 0; k < 30; k++) {
      store.append(late, T0 + k * MIN, k);
      const hinted = store.read(late, T0 + 10 * MIN, T0 + 20 * MIN, false, lateHint);
      expect([...hinted.v]).toEqual([...store.read(late, T0 + 10 * MIN, T0 + 20 * MIN).v]);
    }
  });

  it('drops samples older than the last one, replaces equal timestamps, and counts both', () => {
    const store = new SeriesStore({ retention: Infinity });
    const id = store.seriesId({ __name__: 'm' });
    expect(store.append(id, T0, 1)).toBe(AppendResult.Added);
    expect(store.append(id, T0 + MIN, 2)).toBe(AppendResult.Added);
    expect(store.append(id, T0 + MIN, 3)).toBe(AppendResult.Replaced);
    expect(store.append(id, T0, 9)).toBe(AppendResult.OutOfOrder);
    const s = store.read(id, T0, T0 + MIN, true);
    expect([...s.v]).toEqual([1, 3]);
    expect(store.stats()).toMatchObject({ series: 1, samples: 2, outOfOrder: 1, replaced: 1 });
  });

  it('keeps only the retention window, counted back from the newest sample, and frees what expired', () => {
    const store = new SeriesStore({ retention: 100 * MIN, chunkSize: 16 });
    const a = store.seriesId({ __name__: 'a' });
    const b = store.seriesId({ __name__: 'b' });
    fill(store, b, 10);
    fill(store, a, 500);
    expect(store.append(b, T0 + 300 * MIN, 1)).toBe(AppendResult.TooOld);
    const s = store.read(a, 0, Infinity);
    expect(s.t[0]).toBe(T0 + 400 * MIN);
    expect(s.t.length).toBe(100);
    expect(store.read(b, 0, Infinity).t.length).toBe(0);
    const before = store.stats();
    expect(store.reclaim()).toBe(1);
    const after = store.stats();
    expect(after.series).toBe(1);
    expect(after.samples).toBeLessThan(before.samples);
    expect(after.samples).toBeGreaterThanOrEqual(100);
    expect(store.has(b)).toBe(false);
    expect(store.select(parseSelector('b').matchers)).toEqual([]);
  });

  it('selects series with every matcher kind, a missing label counting as empty', () => {
    const store = new SeriesStore({ retention: Infinity });
    const ids = [
      store.seriesId({ __name__: 'http', cohort: 'all', service: 'web' }),
      store.seriesId({ __name__: 'http', cohort: 'canary', service: 'web' }),
      store.seriesId({ __name__: 'http', cohort: 'baseline', service: 'api' }),
      store.seriesId({ __name__: 'http', service: 'web' }),
      store.seriesId({ __name__: 'cpu', cohort: 'all', service: 'web' }),
    ];
    const sel = (q: string): number[] => store.select(parseSelector(q).matchers).map((id) => ids.indexOf(id));
    expect(sel('http{service="web"}')).toEqual([0, 1, 3]);
    expect(sel('http{service="web",cohort!="all"}')).toEqual([1, 3]);
    expect(sel('http{cohort=~"c.*|b.*"}')).toEqual([1, 2]);
    expect(sel('http{cohort!~"c.*"}')).toEqual([0, 2, 3]);
    expect(sel('http{cohort=""}')).toEqual([3]);
    expect(sel('{__name__=~"http|cpu",cohort="all"}')).toEqual([0, 4]);
    expect(sel('{service="web"}')).toEqual([0, 1, 3, 4]);
    expect(sel('nothing{a="b"}')).toEqual([]);
    expect(sel('http{service="nowhere"}')).toEqual([]);
  });

  it('identifies a series by its labels whatever their order', () => {
    const store = new SeriesStore({ retention: Infinity });
    const a = store.seriesId({ __name__: 'm', x: '1', y: '2' });
    expect(store.seriesId({ y: '2', __name__: 'm', x: '1' })).toBe(a);
    expect(store.seriesId({ __name__: 'm', x: '1' })).not.toBe(a);
    expect(Object.keys(store.labelsOf(a))).toEqual(['__name__', 'x', 'y']);
  });

  it('holds weeks of per-minute history in a few bytes per sample', () => {
    const store = new SeriesStore({ retention: Infinity });
    const id = store.seriesId({ __name__: 'ratio' });
    const n = 5 * 7 * 1440;
    fill(store, id, n, (i) => Number((0.001 + 0.0005 * Math.sin(i / 100)).toFixed(7)));
    const { samples, bytes } = store.stats();
    expect(samples).toBe(n);
    expect(bytes / samples).toBeLessThan(4);
    const last = store.read(id, T0 + (n - 61) * MIN, T0 + (n - 1) * MIN);
    expect(last.t.length).toBe(60);
  });
});
