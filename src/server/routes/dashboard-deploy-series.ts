import { resolveSettings } from '../../analysis/judge-settings.js';
import { judgedSeries } from '../../analysis/judged-series.js';
import { valueUnit, type ValueUnit } from '../../analysis/value-format.js';
import type { Decision, Verdict } from '../../analysis/verdict.js';
import type {
  CohortQueries,
  ResolvedCheck,
  ResolvedService,
  ResolvedStage,
} from '../../config/resolved-config.js';
import type { StoredEvent } from '../../events/lifecycle-event.js';
import type { MetricSource } from '../../metrics/metric-source.js';
import type { Samples } from '../../metrics/samples.js';
import type { Deploy } from '../../pipeline/deploy.js';
import type { EvaluationRecord } from '../../store/store.js';
import { fetchRange, toPoints, type SeriesPoints } from './dashboard-fetch.js';

/**
 * How much of the time before the deploy the chart shows: twice the deploy's length, at least 15 minutes, at most
 * the z-score baseline. Enough to see what normal looked like without squeezing the deploy into a corner.
 */
const MIN_LEAD_MS = 15 * 60_000;
/** How long after the end the chart goes on (the recovery after a rollback is part of the story), at most. */
const MAX_TAIL_MS = 15 * 60_000;
const MIN_TAIL_MS = 5 * 60_000;

/** One evaluation of the check, as the chart draws it: the judged numbers and the thresholds in force. */
export interface EvaluationPoint {
  at: number;
  stageIndex: number;
  stage: string | null;
  verdict: Verdict;
  detector: string | null;
  value: number | null;
  canaryValue: number | null;
  baselineValue: number | null;
  baselineMean: number | null;
  /** The z-score band: baseline mean ± zThreshold × spread. */
  bandLow: number | null;
  bandHigh: number | null;
  z: number | null;
  zThreshold: number | null;
  staticThreshold: number | null;
  dynamicThreshold: number | null;
  effectiveThreshold: number | null;
  pValue: number | null;
  effect: number | null;
  boundary: number | null;
  note: string | null;
  reason: string;
  decision: Decision['action'];
  decisionReason: string;
  /** This check caused the evaluation's pause or rollback. */
  culprit: boolean;
}

export type MarkerKind =
  | 'start'
  | 'stage'
  | 'breach'
  | 'pause'
  | 'resume'
  | 'rollback'
  | 'rolled_back'
  | 'promote'
  | 'abort'
  | 'fail';

export interface ChartMarker {
  at: number;
  kind: MarkerKind;
  label: string;
}

export interface DeploySeries {
  deployId: string;
  service: string;
  check: {
    name: string;
    direction: ResolvedCheck['direction'];
    action: ResolvedCheck['action'];
    kind: string;
    unit: ValueUnit;
    queries: CohortQueries;
    static: { max?: number; min?: number } | null;
  };
  from: number;
  to: number;
  stepMs: number;
  deployStart: number | null;
  deployEnd: number | null;
  series: { all?: SeriesPoints; canary?: SeriesPoints; baseline?: SeriesPoints };
  /** Queries that gave no usable series, with why. */
  problems: Array<{ cohort: 'all' | 'canary' | 'baseline'; kind: string; message: string }>;
  evaluations: EvaluationPoint[];
  markers: ChartMarker[];
}

/** GET /api/v1/deploys/:id/charts: what the deploy page needs besides the deploy itself, in one answer. */
export interface DeployCharts {
  service: {
    name: string;
    team: string | null;
    intervalMs: number;
    stages: ResolvedStage[];
    checks: ResolvedCheck[];
  };
  /** One per check, in the service's order. */
  charts: DeploySeries[];
}

const num = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/**
 * The chart of one check across one deploy: the judged series (service-wide from before the deploy, canary and
 * baseline during it) fetched from the service's metric source, and the thresholds and verdicts of every stored
 * evaluation. `now` bounds a running deploy. Metric problems are reported in `problems`, never thrown.
 */
export async function deploySeries(input: {
  deploy: Deploy;
  service: ResolvedService;
  check: ResolvedCheck;
  source: MetricSource;
  events: StoredEvent[];
  evaluations: EvaluationRecord[];
  now: number;
}): Promise<DeploySeries> {
  const { deploy, service: svc, check, source, now } = input;
  const settings = resolveSettings(check, svc);
  const perRequest = settings.kind === 'count' && !!svc.traffic;
  const start = deploy.startedAt ?? deploy.createdAt;
  const length = Math.max(0, (deploy.endedAt ?? now) - start);
  const from = start - Math.min(svc.baselineMs, Math.max(MIN_LEAD_MS, 2 * length));
  const tail = Math.min(MAX_TAIL_MS, Math.max(MIN_TAIL_MS, length / 2));
  const to = Math.max(from + svc.intervalMs, Math.min(now, (deploy.endedAt ?? now) + tail));
  const step = svc.intervalMs;

  const problems: DeploySeries['problems'] = [];
  const series: DeploySeries['series'] = {};
  const traffic = svc.traffic;
  const cohorts = ['all', 'canary', 'baseline'] as const;
  await Promise.all(
    cohorts.map(async (cohort) => {
      const q = check.queries[cohort];
      if (!q) return;
      // Cohorts exist only while the deploy runs; the service-wide series shows the time before it too.
      const a = cohort === 'all' ? from : start;
      const got = await fetchRange(source, q, a, to, step);
      if ('problem' in got) {
        if (got.problem.kind !== 'no_series' || cohort === 'all') {
          problems.push({ cohort, kind: got.problem.kind, message: describe(got.problem) });
        }
        return;
      }
      let values: Samples = got.samples;
      const tq = perRequest ? traffic?.[cohort] : undefined;
      if (tq) {
        // Counts are judged per request: show them on the judge's scale, or the thresholds would not line up.
        const tr = await fetchRange(source, tq, a, to, step);
        if ('samples' in tr)
          values = judgedSeries(settings.kind, got.samples, tr.samples, svc.intervalMs / 2);
        else problems.push({ cohort, kind: tr.problem.kind, message: `traffic: ${describe(tr.problem)}` });
      }
      series[cohort] = toPoints(values);
    }),
  );

  return {
    deployId: deploy.id,
    service: svc.name,
    check: {
      name: check.name,
      direction: check.direction,
      action: check.action,
      kind: settings.kind,
      unit: valueUnit(settings.kind, check.queries.all ?? check.queries.canary, perRequest),
      queries: check.queries,
      static: settings.static ?? null,
    },
    from,
    to,
    stepMs: step,
    deployStart: deploy.startedAt,
    deployEnd: deploy.endedAt,
    series,
    problems,
    evaluations: evaluationPoints(input.evaluations, check.name, svc),
    markers: chartMarkers(input.events, check.name),
  };
}

function describe(p: { kind: string; query: string; message?: string; labels?: string[] }): string {
  if (p.kind === 'no_series') return `${p.query} matched no series`;
  if (p.kind === 'multiple_series')
    return `${p.query} matched several series (${(p.labels ?? []).join(', ')}); it must match one`;
  return `${p.query} failed: ${p.message ?? 'source error'}`;
}

/** The check's result in every evaluation, with the z-score band worked out from the stored evidence. */
export function evaluationPoints(
  evaluations: EvaluationRecord[],
  name: string,
  svc: ResolvedService,
): EvaluationPoint[] {
  const out: EvaluationPoint[] = [];
  for (const e of evaluations) {
    const r = e.results.find((x) => x.name === name);
    if (!r) continue;
    const ev = r.evidence;
    const k = ev.zThreshold;
    const band = ev.baselineMean !== undefined && ev.baselineSpread !== undefined && k !== undefined;
    out.push({
      at: e.at,
      stageIndex: e.stageIndex,
      stage: svc.stages[e.stageIndex]?.name ?? null,
      verdict: r.verdict,
      detector: ev.detector ?? null,
      value: num(ev.value),
      canaryValue: num(ev.canaryValue),
      baselineValue: num(ev.baselineValue),
      baselineMean: num(ev.baselineMean),
      bandLow: band ? num(ev.baselineMean! - k * ev.baselineSpread!) : null,
      bandHigh: band ? num(ev.baselineMean! + k * ev.baselineSpread!) : null,
      z: num(ev.z),
      zThreshold: num(k),
      staticThreshold: num(ev.staticThreshold),
      dynamicThreshold: num(ev.dynamicThreshold),
      effectiveThreshold: num(ev.effectiveThreshold),
      pValue: num(ev.pValue),
      effect: num(ev.effect),
      boundary: num(ev.boundary),
      note: ev.note ?? null,
      reason: r.reason,
      decision: e.decision.action,
      decisionReason: e.decision.reason,
      culprit: e.decision.culprits.includes(name),
    });
  }
  return out;
}

/** Stage changes and outcomes from the deploy's event log, plus this check's breaches. */
export function chartMarkers(events: StoredEvent[], check: string): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const { at, event: e } of events) {
    switch (e.type) {
      case 'deploy:started':
        out.push({ at, kind: 'start', label: 'started' });
        break;
      case 'stage:advanced':
        out.push({ at, kind: 'stage', label: `${e.to} ${e.traffic}%` });
        break;
      case 'check:breached':
        if (e.check.name === check) out.push({ at, kind: 'breach', label: `breach: ${e.decision.action}` });
        break;
      case 'deploy:paused':
        out.push({ at, kind: 'pause', label: `paused (${e.kind})` });
        break;
      case 'deploy:resumed':
        out.push({ at, kind: 'resume', label: 'resumed' });
        break;
      case 'deploy:rolling_back':
        out.push({ at, kind: 'rollback', label: e.automatic ? 'automatic rollback' : 'rollback requested' });
        break;
      case 'deploy:rolled_back':
        out.push({ at, kind: 'rolled_back', label: 'rolled back' });
        break;
      case 'deploy:promoted':
        out.push({ at, kind: 'promote', label: 'promoted' });
        break;
      case 'deploy:aborted':
        out.push({ at, kind: 'abort', label: 'aborted' });
        break;
      case 'deploy:failed':
        out.push({ at, kind: 'fail', label: 'failed' });
        break;
      default:
        break;
    }
  }
  return out;
}
