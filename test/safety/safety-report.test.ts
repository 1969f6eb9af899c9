import { describe, expect, it } from 'vitest';
import type { ReportScope } from '../../src/safety/report-scope.js';
import { buildSafetyReport, type SafetyReport } from '../../src/safety/safety-report.js';
import { at, deploy, incident } from './support/fixtures.js';

const MIN = 60_000;
const teamOf = { 'web-a': 'web', 'web-b': 'web', pay: 'payments', search: null };

/*
 * The case, by month (March and April 2025), with "now" = 2025-04-20T00:00Z:
 *
 * incidents                                            counted?  impact               TTD   TTR   exposure  remediation
 * I1 high, web-a, d1   03-03 10:00 → det 10:04 → mit 10:09   yes       9 min                4m    9m    1%        automatic
 * I2 medium selected, pay, d2  03-10 12:00 → 12:15 → 12:45   yes       45 min               15m   45m   50%       manual
 * I3 medium (not selected), pay, d3  03-12 00:00 → mit 01:00  no
 * I4 low, web-a, d4    03-20 12:00 → mit 12:30               no
 * I5 high, web-b, no deploy (not change-triggered)           no
 * I6 high, web-a + search, d5  03-31 23:00 → det 23:30 → mit 04-01 01:00   yes   2 h (1 h in each month)   30m  120m  100%  manual
 * I7 high, web-b, d6   04-15 08:00 → det 08:05, ongoing      yes       to now = 112 h       5m    —     10%       automatic
 *
 * deploys (start, max traffic, rollback)                    bad?   stopped <10%?  remediation  recovery
 * d1 web-a 03-03 09:50  1%   automatic (asked 10:04)          yes    yes            automatic    I1: 9m
 * d2 pay   03-10 11:00  100% promoted                          yes(I2) no            manual (I2)  I2: 45m
 * d3 pay   03-11 23:30  10%  manual                            yes    no (10 ≮ 10)   manual       I3: 60m
 * d4 web-a 03-20       100% promoted                          yes(I4) no            manual (I4)  I4: 30m
 * d5 web-a 03-31 22:00 50%  manual                            yes    no             manual       I6: 120m
 * d7 web-a 03-05       100% promoted                          no
 * d6 web-b 04-15 07:30 10%  running                           yes(I7) no            none yet     unknown
 * d8 web-a 04-02 10:00 1%   manual, asked 10:20, ended 10:30  yes    yes            manual       10m (rollback)
 * d9 search 04-03      0%   aborted before any traffic        no (and not a deployment)
 * d10 web-b 04-10      100% promoted                          no
 */
const incidents = [
  incident({
    id: 'I1',
    impactStart: at('2025-03-03T10:00'),
    detectedAt: at('2025-03-03T10:04'),
    mitigatedAt: at('2025-03-03T10:09'),
    endedAt: at('2025-03-03T11:00'),
    deployIds: ['d1'],
    exposurePct: 1,
    remediation: 'automatic',
  }),
  incident({
    id: 'I2',
    severity: 'medium',
    selected: true,
    services: ['pay'],
    impactStart: at('2025-03-10T12:00'),
    detectedAt: at('2025-03-10T12:15'),
    mitigatedAt: at('2025-03-10T12:45'),
    deployIds: ['d2'],
    exposurePct: 50,
  }),
  incident({
    id: 'I3',
    severity: 'medium',
    services: ['pay'],
    impactStart: at('2025-03-12T00:00'),
    mitigatedAt: at('2025-03-12T01:00'),
    deployIds: ['d3'],
  }),
  incident({
    id: 'I4',
    severity: 'low',
    impactStart: at('2025-03-20T12:00'),
    mitigatedAt: at('2025-03-20T12:30'),
    deployIds: ['d4'],
  }),
  incident({
    id: 'I5',
    services: ['web-b'],
    impactStart: at('2025-03-25T12:00'),
    mitigatedAt: at('2025-03-25T14:00'),
  }),
  incident({
    id: 'I6',
    services: ['web-a', 'search'],
    impactStart: at('2025-03-31T23:00'),
    detectedAt: at('2025-03-31T23:30'),
    mitigatedAt: at('2025-04-01T01:00'),
    deployIds: ['d5'],
  }),
  incident({
    id: 'I7',
    services: ['web-b'],
    impactStart: at('2025-04-15T08:00'),
    detectedAt: at('2025-04-15T08:05'),
    deployIds: ['d6'],
    exposurePct: 10,
    remediation: 'automatic',
  }),
];
const deploys = [
  deploy({
    id: 'd1',
    service: 'web-a',
    state: 'rolled_back',
    startedAt: at('2025-03-03T09:50'),
    endedAt: at('2025-03-03T10:09'),
    maxTraffic: 1,
    rollback: 'automatic',
    rollbackAt: at('2025-03-03T10:04'),
  }),
  deploy({ id: 'd7', service: 'web-a', startedAt: at('2025-03-05T09:00') }),
  deploy({ id: 'd2', service: 'pay', startedAt: at('2025-03-10T11:00'), endedAt: at('2025-03-10T11:40') }),
  deploy({
    id: 'd3',
    service: 'pay',
    state: 'rolled_back',
    startedAt: at('2025-03-11T23:30'),
    endedAt: at('2025-03-12T01:00'),
    maxTraffic: 10,
    rollback: 'manual',
    rollbackAt: at('2025-03-12T00:50'),
  }),
  deploy({ id: 'd4', service: 'web-a', startedAt: at('2025-03-20T09:00') }),
  deploy({
    id: 'd5',
    service: 'web-a',
    state: 'rolled_back',
    startedAt: at('2025-03-31T22:00'),
    endedAt: at('2025-04-01T01:00'),
    maxTraffic: 50,
    rollback: 'manual',
    rollbackAt: at('2025-04-01T00:40'),
  }),
  deploy({
    id: 'd8',
    service: 'web-a',
    state: 'rolled_back',
    startedAt: at('2025-04-02T10:00'),
    endedAt: at('2025-04-02T10:30'),
    maxTraffic: 1,
    rollback: 'manual',
    rollbackAt: at('2025-04-02T10:20'),
  }),
  deploy({ id: 'd9', service: 'search', state: 'aborted', startedAt: at('2025-04-03T09:00'), maxTraffic: 0 }),
  deploy({ id: 'd10', service: 'web-b', startedAt: at('2025-04-10T09:00') }),
  deploy({ id: 'd6', service: 'web-b', state: 'running', startedAt: at('2025-04-15T07:30'), maxTraffic: 10 }),
];
const now = at('2025-04-20T00:00');

function report(scope: Partial<ReportScope> = {}): SafetyReport {
  return buildSafetyReport({
    incidents,
    deploys,
    from: at('2025-03-01T00:00'),
    to: at('2025-05-01T00:00'),
    period: 'month',
    now,
    scope: { teamOf, ...scope },
  });
}

/** Hours and shares are floats: compare every number to 9 digits. */
function close(actual: unknown, expected: unknown): void {
  if (typeof expected === 'number') return void expect(actual).toBeCloseTo(expected, 9);
  if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) close((actual as Record<string, unknown>)[k], v);
    return;
  }
  expect(actual).toEqual(expected);
}

describe('safety report (hand-computed)', () => {
  const r = report();
  const [march, april] = r.periods;

  it('buckets by calendar month', () => {
    expect(
      r.periods.map((p) => [p.label, new Date(p.start).toISOString(), new Date(p.end).toISOString()]),
    ).toEqual([
      ['2025-03', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
      ['2025-04', '2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
    ]);
  });

  it('counts customer-impact hours of high and selected medium change-triggered incidents, raw and weighted', () => {
    // March: I1 9 min at 1% = 0.15 h / 0.0015; I2 45 min at 50% = 0.75 / 0.375; I6's first hour (23:00–24:00) at
    // 100% = 1 / 1, split half to web-a and half to search. I3 (medium, not selected), I4 (low) and I5 (no deploy)
    // do not count.
    close(march.impactHours, {
      raw: 0.15 + 0.75 + 1,
      weighted: 0.0015 + 0.375 + 1,
      bySeverity: { high: { raw: 1.15, weighted: 1.0015 }, medium: { raw: 0.75, weighted: 0.375 } },
      byService: {
        'web-a': { raw: 0.65, weighted: 0.5015 },
        pay: { raw: 0.75, weighted: 0.375 },
        search: { raw: 0.5, weighted: 0.5 },
      },
      byTeam: {
        web: { raw: 0.65, weighted: 0.5015 },
        payments: { raw: 0.75, weighted: 0.375 },
        '(none)': { raw: 0.5, weighted: 0.5 },
      },
    });
    // April: I6's second hour (1 / 1); I7 ongoing from 04-15 08:00 to now 04-20 00:00 = 112 h, at 10% = 11.2.
    close(april.impactHours, {
      raw: 113,
      weighted: 12.2,
      bySeverity: { high: { raw: 113, weighted: 12.2 }, medium: { raw: 0, weighted: 0 } },
      byService: {
        'web-a': { raw: 0.5, weighted: 0.5 },
        search: { raw: 0.5, weighted: 0.5 },
        'web-b': { raw: 112, weighted: 11.2 },
      },
      byTeam: { web: { raw: 112.5, weighted: 11.7 }, '(none)': { raw: 0.5, weighted: 0.5 } },
    });
    close(r.totals.impactHours.raw, 114.9);
    close(r.totals.impactHours.weighted, 13.5765);
  });

  it('gives TTD and TTR median and p90 (linear between ranks) over counted incidents started in the period', () => {
    // March: TTD [4, 15, 30] m → median 15; p90 at rank 0.9·2 = 1.8 → 15 + 0.8·15 = 27.
    //        TTR [9, 45, 120] m → median 45; p90 → 45 + 0.8·75 = 105.
    expect(march.incidents).toBe(3);
    expect(march.ttd).toEqual({ median: 15 * MIN, p90: 27 * MIN, count: 3, missing: 0 });
    expect(march.ttr).toEqual({ median: 45 * MIN, p90: 105 * MIN, count: 3, missing: 0 });
    // April: only I7 started; detected after 5 m, not mitigated yet.
    expect(april.ttd).toEqual({ median: 5 * MIN, p90: 5 * MIN, count: 1, missing: 0 });
    expect(april.ttr).toEqual({ median: null, p90: null, count: 0, missing: 1 });
    // Whole window: TTD [4, 5, 15, 30] → median (5 + 15) / 2 = 10; p90 at 2.7 → 15 + 0.7·15 = 25.5.
    expect(r.totals.ttd).toEqual({ median: 10 * MIN, p90: 25.5 * MIN, count: 4, missing: 0 });
  });

  it('measures the shares within the 10-minute automatic and 20-minute manual goals', () => {
    // March automatic: I1 (4 m, 9 m) → both within 10 m. Manual: I2 (15 m ✓, 45 m ✗), I6 (30 m ✗, 120 m ✗).
    expect(march.goals).toEqual({
      automatic: { goalMs: 10 * MIN, incidents: 1, detectedWithinGoal: 1, remediatedWithinGoal: 1 },
      manual: { goalMs: 20 * MIN, incidents: 2, detectedWithinGoal: 0.5, remediatedWithinGoal: 0 },
    });
    // April: I7 automatic, detected in 5 m, not remediated yet (no share).
    expect(april.goals.automatic).toEqual({
      goalMs: 10 * MIN,
      incidents: 1,
      detectedWithinGoal: 1,
      remediatedWithinGoal: null,
    });
    expect(april.goals.manual).toEqual({
      goalMs: 20 * MIN,
      incidents: 0,
      detectedWithinGoal: null,
      remediatedWithinGoal: null,
    });
  });

  it('counts bad deploys stopped before 10% traffic and how they were remediated', () => {
    // March bad: d1, d2, d3, d4, d5 (d7 is good); stopped below 10%: d1 only (d3 reached exactly 10%).
    // Remediation: d1 automatic (its rollback); d2, d4 manual (their incidents); d3, d5 manual rollbacks.
    expect(march).toMatchObject({
      badDeploys: 5,
      stoppedBefore10: 1,
      stoppedBefore10Share: 0.2,
      automatic: 1,
      manual: 4,
    });
    // April bad: d6 (I7, not remediated yet), d8 (manual rollback at 1%); d9 never reached traffic and is not bad.
    expect(april).toMatchObject({
      badDeploys: 2,
      stoppedBefore10: 1,
      stoppedBefore10Share: 0.5,
      automatic: 0,
      manual: 1,
    });
    expect(r.totals).toMatchObject({ badDeploys: 7, stoppedBefore10: 2, automatic: 1, manual: 5 });
    close(r.totals.stoppedBefore10Share, 2 / 7);
  });

  it('computes the DORA measures per service', () => {
    // March: 6 deploys reached traffic over 31 elapsed days; 5 failed; recoveries [9, 30, 45, 60, 120] m
    // (I1, I4, I2, I3, I6) → median 45, p90 at 3.6 → 60 + 0.6·60 = 96.
    close(march.dora.all, {
      deploys: 6,
      perDay: 6 / 31,
      failed: 5,
      changeFailureRate: 5 / 6,
      recovery: { median: 45 * MIN, p90: 96 * MIN, count: 5, missing: 0 },
    });
    // web-a in March: d1, d7, d4, d5 → 3 failed of 4; recoveries [9, 30, 120] → median 30, p90 30 + 0.8·90 = 102.
    close(march.dora.byService['web-a'], {
      deploys: 4,
      perDay: 4 / 31,
      failed: 3,
      changeFailureRate: 0.75,
      recovery: { median: 30 * MIN, p90: 102 * MIN, count: 3, missing: 0 },
    });
    // pay in March: d2, d3 both failed; recoveries [45, 60] → median 52.5.
    expect(march.dora.byService.pay).toMatchObject({
      deploys: 2,
      failed: 2,
      changeFailureRate: 1,
      recovery: { median: 52.5 * MIN },
    });
    // April: 19 days elapsed by now; d6, d8, d10 reached traffic (d9 did not); d6 and d8 failed. d8 recovered from
    // its rollback request (10:20) to its end (10:30) = 10 m; d6 has no recovery yet.
    close(april.dora.all, {
      deploys: 3,
      perDay: 3 / 19,
      failed: 2,
      changeFailureRate: 2 / 3,
      recovery: { median: 10 * MIN, p90: 10 * MIN, count: 1, missing: 1 },
    });
    expect(Object.keys(april.dora.byService).sort()).toEqual(['search', 'web-a', 'web-b']);
    expect(april.dora.byService.search).toMatchObject({ deploys: 0, failed: 0, changeFailureRate: null });
    // Whole window: 9 deploys over 50 elapsed days (March 1 to April 20).
    close(r.totals.dora.all.perDay, 9 / 50);
  });

  it('lists the change-triggered incidents of the window with their measures', () => {
    expect(r.incidents.map((i) => [i.id, i.counted])).toEqual([
      ['I1', true],
      ['I2', true],
      ['I3', false],
      ['I4', false],
      ['I6', true],
      ['I7', true],
    ]);
    const i6 = r.incidents.find((i) => i.id === 'I6')!;
    expect(i6).toMatchObject({
      teams: ['web', '(none)'],
      ttdMs: 30 * MIN,
      ttrMs: 120 * MIN,
      goalMs: 20 * MIN,
      detectedWithinGoal: false,
      remediatedWithinGoal: false,
    });
    close(i6.hours, { raw: 2, weighted: 2 });
  });

  it('filters by team and by service, splitting shared incidents', () => {
    // team web = web-a, web-b. March: I1 (0.15 / 0.0015) + half of I6's March hour (0.5 / 0.5); pay is out.
    const web = report({ team: 'web' });
    close(web.periods[0].impactHours.raw, 0.65);
    close(web.periods[0].impactHours.weighted, 0.5015);
    expect(Object.keys(web.periods[0].impactHours.byService)).toEqual(['web-a']);
    expect(web.periods[0].ttd).toMatchObject({ median: 17 * MIN, count: 2 }); // [4, 30]
    expect(web.periods[0]).toMatchObject({ badDeploys: 3 }); // d1, d4, d5
    // service search: only its half of I6.
    const search = report({ service: 'search' });
    close(
      search.periods.map((p) => p.impactHours.raw),
      [0.5, 0.5],
    );
    expect(search.incidents.map((i) => i.id)).toEqual(['I6']);
    // A token limited to pay sees only pay.
    const payOnly = report({ visible: new Set(['pay']) });
    close(payOnly.totals.impactHours.raw, 0.75);
    expect(payOnly.incidents.map((i) => i.id)).toEqual(['I2', 'I3']);
    expect(payOnly.totals.dora.all).toMatchObject({ deploys: 2, failed: 2 });
  });
});
