import { describe, expect, it } from 'vitest';
import { exposureShare } from '../../src/safety/exposure-share.js';
import { regressionStart } from '../../src/safety/regression-start.js';
import { parseTimeArg } from '../../src/safety/parse-time-arg.js';
import { quantile } from '../../src/safety/quantile.js';
import { addPeriods, periodLabel, periodStart } from '../../src/safety/report-period.js';
import { reportWindow } from '../../src/safety/report-window.js';
import { timeOrderProblems } from '../../src/safety/time-order.js';
import type { EvaluationRecord } from '../../src/store/store.js';
import { at } from './support/fixtures.js';

const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('report periods', () => {
  it('starts ISO weeks on Monday UTC and labels them by the year of their Thursday', () => {
    expect(iso(periodStart(at('2025-03-05T15:00'), 'week'))).toBe('2025-03-03');
    expect(iso(periodStart(at('2025-03-09T23:59'), 'week'))).toBe('2025-03-03'); // Sunday
    expect(periodLabel(at('2025-03-03T00:00'), 'week')).toBe('2025-W10');
    expect(periodLabel(periodStart(at('2025-01-01T00:00'), 'week'), 'week')).toBe('2025-W01'); // Mon 2024-12-30
    expect(periodLabel(periodStart(at('2021-01-03T00:00'), 'week'), 'week')).toBe('2020-W53');
  });

  it('aligns months and quarters and steps across years', () => {
    expect(iso(periodStart(at('2025-05-15T10:00'), 'quarter'))).toBe('2025-04-01');
    expect(periodLabel(at('2025-04-01T00:00'), 'quarter')).toBe('2025-Q2');
    expect(iso(addPeriods(at('2025-11-01T00:00'), 'quarter', 1))).toBe('2026-02-01');
    expect(iso(addPeriods(at('2025-01-01T00:00'), 'month', -1))).toBe('2024-12-01');
    expect(periodLabel(at('2024-12-01T00:00'), 'month')).toBe('2024-12');
  });

  it('aligns the window to whole periods, 12 months back by default', () => {
    const now = at('2025-04-20T00:00');
    const w = reportWindow({ period: 'month' }, now);
    expect([iso(w.from), iso(w.to)]).toEqual(['2024-05-01', '2025-05-01']);
    const q = reportWindow(
      { period: 'quarter', from: at('2025-02-10T00:00'), to: at('2025-07-01T00:00') },
      now,
    );
    expect([iso(q.from), iso(q.to)]).toEqual(['2025-01-01', '2025-07-01']); // `to` on a boundary stays
    expect(() => reportWindow({ period: 'week', from: now, to: now - MIN }, now)).toThrow(/before/);
    expect(() => reportWindow({ period: 'week', from: 0 }, now)).toThrow(/at most 520 weeks/);
  });
});

describe('numbers', () => {
  it('interpolates quantiles between the closest ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12); // rank 2.7
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91, 12); // rank 8.1
  });

  it('weights traffic by the time each share was live', () => {
    const steps = [
      { at: 0, traffic: 1 },
      { at: 10, traffic: 10 },
      { at: 20, traffic: 50 },
    ];
    expect(exposureShare(steps, 8, 13)).toBeCloseTo((2 * 1 + 3 * 10) / 5, 12); // 6.4
    expect(exposureShare(steps, 5, 25)).toBeCloseTo((5 * 1 + 10 * 10 + 5 * 50) / 20, 12); // 17.75
    expect(exposureShare(steps, 12, 12)).toBe(10);
    expect(exposureShare(steps, -5, 5)).toBeCloseTo((5 * 0 + 5 * 1) / 10, 12); // nothing live before the first shift
  });
});

describe('the regression start rule', () => {
  const evaluation = (
    minute: number,
    flags: Record<string, boolean>,
    verdicts: Record<string, 'pass' | 'breach'> = {},
  ): EvaluationRecord => ({
    deployId: 'd',
    at: minute * MIN,
    stageIndex: 0,
    results: Object.entries(flags).map(([name, flag]) => ({
      name,
      verdict: verdicts[name] ?? 'pass',
      action: 'rollback',
      reason: '',
      evidence: { recent: flag ? 1 : 0 },
    })),
    decision: { action: 'continue', reason: '', alerts: [], culprits: [], blind: false },
  });

  it('dates the regression from the last evaluation before each culprit’s unbroken breaching run', () => {
    const evals = [
      evaluation(1, { err: false, lat: false }),
      evaluation(2, { err: true, lat: false }),
      evaluation(3, { err: false, lat: false }), // breaks err's run
      evaluation(4, { err: true, lat: true }),
      evaluation(5, { err: true, lat: true }, { err: 'breach', lat: 'breach' }),
    ];
    // err's run is 4–5 → start 3; lat's run is 4–5 → 3. Earliest: 3.
    expect(regressionStart(evals, 4, ['err', 'lat'])).toBe(3 * MIN);
    // Only a verdict counts too (a canary comparison breaches at once, without the persistence flag).
    const canary = [evaluation(1, { c: false }), evaluation(2, { c: false }, { c: 'breach' })];
    expect(regressionStart(canary, 1, ['c'])).toBe(1 * MIN);
    // A run reaching the first evaluation: null (the caller uses the first traffic shift).
    expect(
      regressionStart([evaluation(1, { err: true }), evaluation(2, { err: true })], 1, ['err']),
    ).toBeNull();
    // No culprit named: the evaluation before the decision.
    expect(regressionStart(evals, 4, [])).toBe(4 * MIN);
  });
});

describe('times people type', () => {
  const now = at('2025-03-03T10:00');
  it('reads ISO dates and date-times (UTC unless an offset is given), epoch ms, now and durations ago', () => {
    expect(parseTimeArg('2025-03-01', now)).toBe(at('2025-03-01T00:00'));
    expect(parseTimeArg('2025-03-01T10:30', now)).toBe(at('2025-03-01T10:30'));
    expect(parseTimeArg('2025-03-01 10:30:15Z', now)).toBe(at('2025-03-01T10:30:15'));
    expect(parseTimeArg('2025-03-01T10:30+02:00', now)).toBe(at('2025-03-01T08:30'));
    expect(parseTimeArg(String(now), now)).toBe(now);
    expect(parseTimeArg('now', now)).toBe(now);
    expect(parseTimeArg('15m', now)).toBe(now - 15 * MIN);
    expect(parseTimeArg('2025-02-30', now)).toBeUndefined();
    expect(parseTimeArg('yesterday', now)).toBeUndefined();
    expect(parseTimeArg('15m', now, { relative: false })).toBeUndefined();
  });

  it('reports times that run backwards, naming both', () => {
    expect(
      timeOrderProblems([
        { field: 'impactStart', at: 10 * MIN },
        { field: 'detectedAt', at: null },
        { field: 'mitigatedAt', at: 5 * MIN },
        { field: 'endedAt', at: 20 * MIN },
      ]),
    ).toEqual([
      {
        field: 'mitigatedAt',
        message: 'mitigatedAt 1970-01-01T00:05:00Z is before impactStart 1970-01-01T00:10:00Z',
      },
    ]);
  });
});
