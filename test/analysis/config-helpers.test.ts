import { describe, expect, it } from 'vitest';
import { historyRanges, mergeRanges } from '../../src/analysis/history-ranges.js';
import { resolveSettings } from '../../src/analysis/judge-settings.js';
import { metricName, resolveMetricKind } from '../../src/analysis/metric-kind.js';
import { learnSeasonalProfile, profileIndex, DAY_MS, WEEK_MS } from '../../src/analysis/seasonal-profile.js';
import { MIN, T0, check, series, service } from './synthetic.js';

describe('metric kind inference', () => {
  it('guesses ratios, counts and gauges from the metric name', () => {
    expect(resolveMetricKind('auto', 'http_error_ratio{service="a"}')).toBe('ratio');
    expect(resolveMetricKind(undefined, 'payment_failure_rate')).toBe('ratio');
    expect(resolveMetricKind(undefined, 'log_lines_per_minute{cohort="canary"}')).toBe('count');
    expect(resolveMetricKind(undefined, 'rate(http_requests_total[5m])')).toBe('count');
    expect(resolveMetricKind(undefined, 'http_latency_p95_seconds')).toBe('gauge');
    expect(resolveMetricKind(undefined, 'cpu_utilization')).toBe('gauge');
    expect(resolveMetricKind('gauge', 'http_error_ratio')).toBe('gauge');
    // `duration` contains "ratio": a latency must not be weighed as a ratio.
    expect(resolveMetricKind(undefined, 'http_request_duration_seconds{quantile="0.95"}')).toBe('gauge');
    expect(resolveMetricKind(undefined, 'http_request_duration_seconds_count')).toBe('count');
    expect(resolveMetricKind(undefined, 'cache_ratio_hits')).toBe('ratio');
    expect(metricName('histogram_quantile(0.95, sum by (le) (rate(req_seconds_bucket{a="b"}[5m])))')).toBe(
      'req_seconds_bucket',
    );
  });
});

describe('judge settings', () => {
  it('fill every default, and the comparison only with cohort queries', () => {
    const c = check('lat', 'http_latency_p95_seconds');
    const s = resolveSettings(c, service([c]));
    expect(s).toMatchObject({
      kind: 'gauge',
      zscore: { threshold: 3, minSamples: 10, baselineMs: 3_600_000 },
      dynamic: { days: 1, weeks: 4, windowMs: 1_800_000, threshold: 3 },
      compare: { minEffect: 0.05, minRequests: 50 },
      persistence: { breaches: 2, of: 3 },
      grace: 2,
    });
    const plain = { ...c, queries: { all: c.queries.all } };
    expect(resolveSettings(plain, service([plain])).compare).toBeUndefined();
    const off = check('x', 'x_ratio', {
      zscore: false,
      dynamic: false,
      compare: { minEffect: 0.3 },
      grace: 5,
    });
    const so = resolveSettings(off, service([off]));
    expect(so.zscore).toBeUndefined();
    expect(so.dynamic).toBeUndefined();
    expect(so).toMatchObject({ kind: 'ratio', compare: { minEffect: 0.3 }, grace: 5 });
  });
});

describe('history ranges', () => {
  it('asks for the last three days whole and the same stretch on previous weeks, merged', () => {
    const c = check('lat', 'http_latency_p95_seconds');
    const svc = service([c]);
    const r = historyRanges(svc, T0, c);
    expect(r[r.length - 1]).toEqual({ from: T0 - 3 * DAY_MS, to: T0 });
    expect(r).toHaveLength(5); // weeks 1..4 and the last three days (yesterday falls inside those)
    expect(r.every((x) => x.to <= T0)).toBe(true);
    expect(r[0].from).toBe(T0 - 4 * WEEK_MS - 60 * MIN - 15 * MIN);
    expect(
      mergeRanges([
        { from: 5, to: 9 },
        { from: 1, to: 3 },
        { from: 2, to: 6 },
      ]),
    ).toEqual([{ from: 1, to: 9 }]);
  });
});

describe('seasonal profile (dynamic thresholds)', () => {
  it('learns the usual level of this time of the week and says when history is short', () => {
    // Four weeks of minutes: 100, but 200 from 08:00 to 10:00 on the deploy's weekday.
    const pts: Array<[number, number]> = [];
    for (let t = T0 - 4 * WEEK_MS; t < T0; t += MIN) {
      const hour = (((t % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
      const busy = new Date(t).getUTCDay() === new Date(T0).getUTCDay() && hour >= 8 && hour < 10;
      pts.push([t, (busy ? 200 : 100) + ((t / MIN) % 7) - 3]);
    }
    const s = series(pts);
    const opts = { days: 0, weeks: 4, windowMs: 30 * MIN, threshold: 3 };
    // A deploy at 09:00 on that weekday, a week after the history ends.
    const start = T0 + WEEK_MS - 3 * 3_600_000;
    const p = learnSeasonalProfile(s, start - 60 * MIN, start + 60 * MIN, 5 * MIN, start, opts);
    const i = profileIndex(p, start);
    expect(p.weeksFound).toBe(4);
    expect(p.expected[i]).toBeGreaterThan(150); // the busy weekday morning is normal here
    expect(p.upper[i]).toBeGreaterThan(200);
    expect(p.note).toBeUndefined();
    const short = learnSeasonalProfile(s, start - 60 * MIN, start, 5 * MIN, start, { ...opts, weeks: 6 });
    expect(short.note).toBe('short history: dynamic threshold from 4 of 6 weeks');
    const none = learnSeasonalProfile(series([]), start, start, 5 * MIN, start, opts);
    expect(none.note).toBe('no history at similar times: dynamic threshold off');
    expect(Number.isNaN(none.upper[0])).toBe(true);
  });
});
