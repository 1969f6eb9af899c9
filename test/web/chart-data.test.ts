import { describe, expect, it } from 'vitest';
import type { DeploySeries, EvaluationPoint } from '../../src/server/routes/dashboard-deploy-series.js';
import { buildChartData } from '../../src/web/components/chart-data.js';

const evaluation = (at: number, over: Partial<EvaluationPoint> = {}): EvaluationPoint => ({
  at,
  stageIndex: 0,
  stage: 'canary',
  verdict: 'pass',
  detector: 'canary',
  value: 0.01,
  canaryValue: 0.012,
  baselineValue: 0.01,
  baselineMean: 0.01,
  bandLow: 0.008,
  bandHigh: 0.012,
  z: 0.5,
  zThreshold: 3,
  staticThreshold: null,
  dynamicThreshold: 0.013,
  effectiveThreshold: null,
  pValue: 0.4,
  effect: 0.2,
  boundary: 3.4,
  note: null,
  reason: 'r',
  decision: 'continue',
  decisionReason: 'all checks passed',
  culprit: false,
  ...over,
});

const series = (over: Partial<DeploySeries> = {}): DeploySeries => ({
  deployId: 'd1',
  service: 'checkout',
  check: {
    name: 'error-ratio',
    direction: 'up',
    action: 'rollback',
    kind: 'ratio',
    unit: 'ratio',
    queries: {},
    static: { max: 0.05 },
  },
  from: 0,
  to: 300,
  stepMs: 60,
  deployStart: 100,
  deployEnd: 240,
  series: {
    all: { t: [0, 60, 120, 180, 240], v: [0.01, 0.011, null, 0.012, 0.013] },
    canary: { t: [120, 180, 240], v: [0.02, 0.021, 0.022] },
  },
  problems: [],
  evaluations: [
    evaluation(180),
    evaluation(240, { verdict: 'breach', decision: 'rollback', culprit: true, canaryValue: 0.022 }),
  ],
  markers: [],
  ...over,
});

describe('chart data for a check across a deploy', () => {
  it('aligns series and evaluations on one time axis, with markers at the deciding numbers', () => {
    const d = buildChartData(series());
    expect(d.x).toEqual([0, 60, 120, 180, 240]);
    const byLabel = Object.fromEntries(d.series.map((s) => [s.label, s.values]));
    expect(byLabel['service-wide']).toEqual([0.01, 0.011, null, 0.012, 0.013]);
    expect(byLabel.canary).toEqual([null, null, 0.02, 0.021, 0.022]);
    expect(byLabel['dynamic threshold']).toEqual([null, null, null, 0.013, 0.013]);
    // The static threshold is configuration: drawn across the whole chart, before the deploy too.
    expect(byLabel['static threshold']).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    // The comparison decided: the markers sit on the canary's value.
    expect(byLabel.breach).toEqual([null, null, null, null, 0.022]);
    expect(byLabel.decision).toEqual([null, null, null, null, 0.022]);
    const labels = d.series.map((s) => s.label);
    expect(d.bands).toEqual([[labels.indexOf('band high'), labels.indexOf('band low')]]);
    // Nothing to draw, nothing in the legend.
    expect(labels).not.toContain('baseline');
    expect(labels).not.toContain('effective threshold');
  });

  it('puts a whole-service breach on the judged value, and has no band without z-score evidence', () => {
    const d = buildChartData(
      series({
        check: {
          name: 'latency',
          direction: 'up',
          action: 'pause',
          kind: 'gauge',
          unit: 'seconds',
          queries: {},
          static: null,
        },
        evaluations: [
          evaluation(240, {
            detector: 'static',
            value: 0.9,
            verdict: 'breach',
            bandLow: null,
            bandHigh: null,
            staticThreshold: 0.8,
            effectiveThreshold: 0.8,
          }),
        ],
      }),
    );
    const byLabel = Object.fromEntries(d.series.map((s) => [s.label, s.values]));
    expect(byLabel.breach).toEqual([null, null, null, null, 0.9]);
    expect(byLabel['effective threshold']).toEqual([null, null, null, null, 0.8]);
    expect(byLabel['static threshold']).toEqual([0.8, 0.8, 0.8, 0.8, 0.8]);
    expect(d.bands).toEqual([]);
    expect(byLabel.decision).toBeUndefined();
  });
});
