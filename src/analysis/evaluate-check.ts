import type { Samples } from '../metrics/samples.js';
import { upperBound } from '../metrics/samples.js';
import type { CheckWindow, QueryProblem } from './check-data.js';
import type { CheckModel } from './check-model.js';
import { boundaryAt, compareCohorts } from './compare-cohorts.js';
import type { Comparison } from './comparison.js';
import type { ReasonParts } from './reason-line.js';
import { lazyReason, passResult, reasonLine } from './reason-line.js';
import type { CheckResult, DetectorName, Evidence, PriorResult, Verdict } from './verdict.js';
import { pow10 } from './pow10.js';
import { wholeService } from './whole-service.js';

/**
 * One-sided 5%: how sure the comparison must be that the canary is worse than the baseline by more than the effect
 * floor for a service-wide anomaly to count against the deploy. (Without the floor, harmless build-to-build jitter
 * would be "worse" and every incident during a deploy would be blamed on it.)
 */
const SUPPORT_Z = 1.645;
/** One-sided 5%: how sure a breaching comparison must be that the canary is worse by more than the floor. */
const FLOOR_Z = 1.645;
/**
 * Requests a cohort should have served over the last two intervals before its silence counts as missing data
 * (at 1% of a quiet service a canary may see no request in a minute, and then reports nothing).
 */
const MIN_EXPECTED_REQUESTS = 20;

/** Requests of a traffic series in (from, to]; NaN when the series is unknown. */
function requestsIn(s: Samples | undefined, from: number, to: number): number {
  if (!s) return NaN;
  let sum = 0;
  for (let i = upperBound(s.t, to) - 1; i >= 0 && s.t[i] > from; i--) if (s.v[i] > 0) sum += s.v[i];
  return sum;
}

/** Share of traffic on the new version at time t, percent (0 before the first step). */
export function exposureAt(exposure: CheckWindow['exposure'], t: number): number {
  let share = 0;
  for (let i = 0; i < exposure.length; i++) if (exposure[i].at <= t) share = exposure[i].traffic;
  return share;
}

/** True when s has a finite sample in (from, to]. */
function hasSample(s: Samples | undefined, from: number, to: number): boolean {
  if (!s) return false;
  for (let i = upperBound(s.t, to) - 1; i >= 0 && s.t[i] > from; i--)
    if (Number.isFinite(s.v[i])) return true;
  return false;
}

/**
 * Judges one check at one evaluation of a deploy. Pure: the same model, window and prior give the same result.
 *
 * - The canary comparison (when the check has canary and baseline queries) tests all minutes since the deploy
 *   started against the stage's sequential boundary; a crossing, with the canary worse than the effect floor at 95%
 *   confidence, is a breach at once.
 * - The whole-service detectors (z-score against the pre-deploy baseline, adjusted for the time of day; dynamic
 *   and static thresholds) judge the mean of the last few samples; they must breach in k of the last n
 *   evaluations. With cohorts, such an anomaly counts only if the canary is worse than the baseline by more than the
 *   floor (or has gone dark); at 100% traffic, with no baseline left, it is reported with action `alert`.
 * - Missing required data (no fresh sample in the last two intervals, or a query that matched nothing) gives
 *   `no_data` unless something breached; a query matching several series or a failing source gives `error`.
 *
 * `prior` is this check's result from the previous evaluation of the deploy (undefined on the first). `stageIndex`
 * selects the sequential boundary.
 */
export function evaluateCheck(
  model: CheckModel,
  w: CheckWindow,
  prior: PriorResult | undefined,
  stageIndex: number,
): CheckResult {
  const check = model.check;
  const name = check.name;
  const s = model.settings;
  const interval = model.intervalMs;
  const share = exposureAt(w.exposure, w.now);
  const cohortStage = model.hasCohorts && share > 0 && share < 100;
  const priorMissing = prior?.evidence.missing ?? 0;

  if (w.problems) {
    for (const p of w.problems) if (p.kind !== 'no_series') return errorResult(model, p, priorMissing);
  }

  const metric = w.metric;
  const wholeSeries = metric.all ?? (share >= 100 || !model.hasCohorts ? metric.canary : undefined);
  const freshFrom = w.now - 2 * interval;
  const canaryFresh = hasSample(metric.canary, freshFrom, w.now);
  const baselineFresh = hasSample(metric.baseline, freshFrom, w.now);
  // A cohort that served next to no requests has nothing to report: silence is expected, not missing data.
  const served = requestsIn(w.traffic?.all, freshFrom, w.now);
  const canaryExpected = Number.isNaN(served) || served * (share / 100) >= MIN_EXPECTED_REQUESTS;
  const baselineExpected = Number.isNaN(served) || served * (1 - share / 100) >= MIN_EXPECTED_REQUESTS;
  let missing: string | undefined;
  if (cohortStage) {
    if (!canaryFresh && canaryExpected) missing = describeMissing(w.problems, 'canary', check.queries.canary);
    else if (!baselineFresh && baselineExpected) {
      missing = describeMissing(w.problems, 'baseline', check.queries.baseline);
    }
  } else if (!hasSample(wholeSeries, freshFrom, w.now)) {
    missing = describeMissing(w.problems, 'all', check.queries.all ?? check.queries.canary);
  }

  // ---- canary vs baseline ----
  let cmp: Comparison | undefined;
  let compareBreach = false;
  let boundary = Infinity;
  let enough = true;
  if (s.compare && metric.canary && metric.baseline) {
    cmp = compareCohorts(model, w);
    if (cmp) {
      boundary = cohortStage ? boundaryAt(model, stageIndex, w) : Infinity;
      enough = !(cmp.canaryRequests < s.compare.minRequests);
      compareBreach = enough && cmp.z >= boundary && cmp.zFloor >= FLOOR_Z;
    }
  }

  // ---- whole service ----
  const ws = wholeSeries ? wholeService(model, w, wholeSeries) : undefined;

  // ---- attribution and persistence ----
  const canaryDark = cohortStage && !canaryFresh && canaryExpected && baselineFresh;
  const attributed = !model.hasCohorts || canaryDark || (!!cmp && cmp.zFloor >= SUPPORT_Z);
  let alertOnly = false;
  let suppressed = false;
  let flag = !!ws && ws.staticHit;
  if (ws && ws.statBreach) {
    if (attributed) flag = true;
    else if (cohortStage) suppressed = true;
    else {
      flag = true;
      alertOnly = !ws.staticHit;
    }
  }
  const n = s.persistence.of;
  const recent = (((prior?.evidence.recent ?? 0) << 1) | (flag ? 1 : 0)) & ((1 << n) - 1);
  // A canary that went dark while the whole service degrades is two signals agreeing: no need to wait.
  const windowBreach = flag && (canaryDark || popcount(recent) >= s.persistence.breaches);

  // ---- verdict ----
  const breach = compareBreach || windowBreach;
  let detector: DetectorName = cmp ? 'canary' : 'none';
  if (compareBreach) detector = 'canary';
  else if (windowBreach && ws) detector = ws.staticHit ? 'static' : ws.z !== undefined ? 'zscore' : 'dynamic';
  else if (!cmp && ws?.z !== undefined) detector = 'zscore';
  const verdict: Verdict = breach ? 'breach' : missing ? 'no_data' : 'pass';
  const action = breach && !compareBreach && alertOnly ? 'alert' : check.action;

  // ---- the notes ----
  // The model's notes (short history, fallbacks) explain results that need explaining; repeating them on every
  // passing minute would only grow the stored evaluations.
  let note = verdict === 'pass' ? undefined : model.notesText;
  if (missing || suppressed || ws?.tooFewBaseline) {
    const notes = model.notes.slice();
    if (ws?.tooFewBaseline) notes.push('too few pre-deploy samples for the z-score');
    if (suppressed)
      notes.push(
        'service-wide anomaly, but the canary is no worse than the baseline: not attributed to the deploy',
      );
    if (missing && !breach) notes.push(missing);
    note = notes.join('; ');
  }

  const evidence: Evidence = {
    detector,
    value: sig5(ws?.value),
    unit: model.unit,
    baselineMean: sig5(ws?.expected),
    baselineSpread: sig5(ws?.spread),
    z: ws?.z === undefined ? undefined : round(ws.z, 3),
    zThreshold: ws?.z === undefined ? undefined : s.zscore?.threshold,
    staticThreshold: ws?.staticThreshold,
    dynamicThreshold: sig5(ws?.dynamicThreshold),
    effectiveThreshold: sig5(ws?.effectiveThreshold),
    canaryValue: sig5(cmp?.canaryValue),
    baselineValue: sig5(cmp?.baselineValue),
    pValue: sig5(cmp?.p),
    effect: sig5(cmp?.effect),
    samples: undefined,
    canaryRequests: cmp && Number.isFinite(cmp.canaryRequests) ? cmp.canaryRequests : undefined,
    baselineRequests: cmp && Number.isFinite(cmp.baselineRequests) ? cmp.baselineRequests : undefined,
    note,
    test: cmp?.test,
    compareZ: cmp ? round(cmp.z, 3) : undefined,
    boundary: Number.isFinite(boundary) ? round(boundary, 3) : undefined,
    alpha: model.alpha,
    minutes: cmp?.minutes,
    noiseScale: cmp ? roundOpt(cmp.noiseScale ?? cmp.dispersion, 3) : undefined,
    attributed: ws?.statBreach && model.hasCohorts ? attributed : undefined,
    recent,
    missing: missing && !breach ? priorMissing + 1 : 0,
  };
  const line = (): ReasonParts => ({
    name,
    missing: missing && !breach ? missing : undefined,
    cmp,
    ws,
    compareBreach,
    boundary,
    waitFor: enough ? undefined : s.compare?.minRequests,
    zThreshold: s.zscore?.threshold,
    alertOnly: windowBreach && alertOnly,
    unit: model.unit,
  });
  if (verdict !== 'pass') return { name, verdict, action, reason: reasonLine(line()), evidence };
  // Most results of most rounds pass: their line is made only if someone reads it, and is not stored. When it
  // names nothing the evidence does not hold (no threshold crossed, nothing awaited), it is made from the evidence.
  const plain =
    enough &&
    (!cmp || (Number.isFinite(cmp.effect) && Number.isFinite(cmp.p))) &&
    (!ws || (!ws.zHit && !ws.staticHit && !(ws.statBreach && ws.dynHit)));
  if (plain) return passResult(name, verdict, action, evidence);
  return lazyReason({ name, verdict, action, evidence }, () => reasonLine(line()));
}

function errorResult(model: CheckModel, p: QueryProblem, priorMissing: number): CheckResult {
  const what = p.target === 'traffic' ? `traffic (${p.cohort})` : p.cohort;
  const message =
    p.kind === 'multiple_series'
      ? `query for ${what} ${p.query} matched ${p.labels?.length ?? 'several'} series${p.labels?.length ? `: ${p.labels.join(', ')}` : ''}; it must match exactly one`
      : `query for ${what} ${p.query} failed: ${p.message ?? 'source error'}`;
  return {
    name: model.check.name,
    verdict: 'error',
    action: model.check.action,
    reason: `${model.check.name}: ${message}`,
    evidence: { detector: 'none', note: message, missing: priorMissing + 1, alpha: model.alpha },
  };
}

function describeMissing(
  problems: QueryProblem[] | undefined,
  cohort: 'all' | 'canary' | 'baseline',
  query: string | undefined,
): string {
  const p = problems?.find((x) => x.target === 'metric' && x.cohort === cohort);
  if (p) return `no data: query for ${cohort} ${p.query} matched no series`;
  return `no data: no recent sample for ${cohort}${query ? ` (${query})` : ''}`;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Five significant digits: more than any reader needs, and the stored evaluations (every check, every interval)
 * stay a third of their size with full doubles.
 */
function sig5(x: number | undefined): number | undefined {
  if (x === undefined || x === 0 || !Number.isFinite(x)) return x;
  const f = pow10(4 - Math.floor(Math.log10(Math.abs(x))));
  return Number.isFinite(f) ? Math.round(x * f) / f : x;
}

function roundOpt(x: number | undefined, digits: number): number | undefined {
  return x === undefined ? undefined : round(x, digits);
}
