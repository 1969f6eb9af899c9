import {
  deployOutcome,
  incidentsByDeploy,
  STOP_BEFORE_TRAFFIC,
  type DeployOutcome,
} from './deploy-outcome.js';
import type { DeployFact } from './deploy-fact.js';
import { doraMeasures, type DoraMeasures } from './dora-measures.js';
import { addImpact, emptyImpact, incidentHours, type HoursPair, type ImpactHours } from './impact-hours.js';
import type { Incident, Remediation, Severity } from './incident.js';
import { impactEndOf, isChangeTriggered, isCounted } from './incident.js';
import { addPeriods, periodLabel, type Period } from './report-period.js';
import { inScope, scopeShare, teamName, type ReportScope } from './report-scope.js';
import {
  GOAL_MS,
  goalShare,
  timeStats,
  ttdOf,
  ttrOf,
  type GoalShare,
  type TimeStats,
} from './response-times.js';

/** One bucket of the report (a week, month or quarter; or the whole window for `totals`). */
export interface PeriodReport {
  start: number;
  /** Exclusive. */
  end: number;
  label: string;
  /** Counted change-triggered incidents whose impact started in the bucket. */
  incidents: number;
  /** Hours of counted incidents' impact inside the bucket. */
  impactHours: ImpactHours;
  /** Over the counted incidents that started in the bucket. */
  ttd: TimeStats;
  ttr: TimeStats;
  goals: { automatic: GoalShare; manual: GoalShare };
  /** Deploys started in the bucket that were rolled back or linked to a change-triggered incident. */
  badDeploys: number;
  stoppedBefore10: number;
  /** stoppedBefore10 / badDeploys, 0–1; null without bad deploys. */
  stoppedBefore10Share: number | null;
  /** Bad deploys remediated automatically / by people. */
  automatic: number;
  manual: number;
  dora: { all: DoraMeasures; byService: Record<string, DoraMeasures> };
}

/** A change-triggered incident in the window, with its measures. */
export interface IncidentLine {
  id: string;
  title: string;
  severity: Severity;
  selected: boolean;
  /** Whether it counts (high, or medium and selected). */
  counted: boolean;
  services: string[];
  teams: string[];
  deployIds: string[];
  impactStart: number;
  detectedAt: number | null;
  mitigatedAt: number | null;
  endedAt: number | null;
  exposurePct: number;
  remediation: Remediation;
  ttdMs: number | null;
  ttrMs: number | null;
  goalMs: number;
  detectedWithinGoal: boolean | null;
  remediatedWithinGoal: boolean | null;
  /** Its impact hours inside the window and scope. */
  hours: HoursPair;
}

export interface SafetyReport {
  from: number;
  to: number;
  period: Period;
  generatedAt: number;
  filter: { service: string | null; team: string | null };
  goals: { automaticMs: number; manualMs: number; stopBeforeTraffic: number };
  periods: PeriodReport[];
  totals: PeriodReport;
  incidents: IncidentLine[];
}

export interface SafetyReportInput {
  incidents: readonly Incident[];
  /** Deploys started in [from, to). */
  deploys: readonly DeployFact[];
  /** Period-aligned window, `to` exclusive. */
  from: number;
  to: number;
  period: Period;
  /** Ongoing incidents count up to now. */
  now: number;
  scope: ReportScope;
}

function bucket(
  start: number,
  end: number,
  label: string,
  counted: readonly Incident[],
  outcomes: readonly DeployOutcome[],
  input: SafetyReportInput,
): PeriodReport {
  const impactHours = emptyImpact();
  for (const i of counted) addImpact(impactHours, i, start, end, input.now, input.scope);
  const started = counted.filter((i) => i.impactStart >= start && i.impactStart < end);
  const deploys = outcomes.filter((o) => o.fact.startedAt >= start && o.fact.startedAt < end);
  const bad = deploys.filter((o) => o.bad);
  const stopped = bad.filter((o) => o.stoppedEarly).length;
  const services = [...new Set(deploys.map((o) => o.fact.service))].sort();
  return {
    start,
    end,
    label,
    incidents: started.length,
    impactHours,
    ttd: timeStats(started.map(ttdOf)),
    ttr: timeStats(started.map(ttrOf)),
    goals: { automatic: goalShare(started, 'automatic'), manual: goalShare(started, 'manual') },
    badDeploys: bad.length,
    stoppedBefore10: stopped,
    stoppedBefore10Share: bad.length ? stopped / bad.length : null,
    automatic: bad.filter((o) => o.remediation === 'automatic').length,
    manual: bad.filter((o) => o.remediation === 'manual').length,
    dora: {
      all: doraMeasures(deploys, start, end, input.now),
      byService: Object.fromEntries(
        services.map((s) => [
          s,
          doraMeasures(
            deploys.filter((o) => o.fact.service === s),
            start,
            end,
            input.now,
          ),
        ]),
      ),
    },
  };
}

function incidentLine(i: Incident, input: SafetyReportInput): IncidentLine {
  const ttdMs = ttdOf(i);
  const ttrMs = ttrOf(i);
  const goalMs = GOAL_MS[i.remediation];
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    selected: i.selected,
    counted: isCounted(i),
    services: i.services,
    teams: [...new Set(i.services.map((s) => teamName(input.scope, s)))],
    deployIds: i.deployIds,
    impactStart: i.impactStart,
    detectedAt: i.detectedAt,
    mitigatedAt: i.mitigatedAt,
    endedAt: i.endedAt,
    exposurePct: i.exposurePct,
    remediation: i.remediation,
    ttdMs,
    ttrMs,
    goalMs,
    detectedWithinGoal: ttdMs === null ? null : ttdMs <= goalMs,
    remediatedWithinGoal: ttrMs === null ? null : ttrMs <= goalMs,
    hours: incidentHours(i, input.from, input.to, input.now, input.scope),
  };
}

/**
 * The deploy-safety report over plain data: customer-impact hours, response times against the goals, bad deploys
 * stopped early, remediations and DORA measures, per period and in total. Pure; docs/safety.md defines each number.
 */
export function buildSafetyReport(input: SafetyReportInput): SafetyReport {
  const { scope, from, to, period } = input;
  const inScopeIncident = (i: Incident) => scopeShare(scope, i.services) > 0;
  const counted = input.incidents.filter((i) => isCounted(i) && inScopeIncident(i));
  const linked = incidentsByDeploy(input.incidents);
  const outcomes = input.deploys
    .filter((d) => inScope(scope, d.service))
    .map((d) => deployOutcome(d, linked.get(d.id) ?? []));
  const periods: PeriodReport[] = [];
  for (let s = from; s < to; s = addPeriods(s, period, 1)) {
    periods.push(
      bucket(s, Math.min(addPeriods(s, period, 1), to), periodLabel(s, period), counted, outcomes, input),
    );
  }
  const inWindow = (i: Incident) => i.impactStart < to && impactEndOf(i, input.now) >= from;
  return {
    from,
    to,
    period,
    generatedAt: input.now,
    filter: { service: scope.service ?? null, team: scope.team ?? null },
    goals: {
      automaticMs: GOAL_MS.automatic,
      manualMs: GOAL_MS.manual,
      stopBeforeTraffic: STOP_BEFORE_TRAFFIC,
    },
    periods,
    totals: bucket(from, to, 'total', counted, outcomes, input),
    incidents: input.incidents
      .filter((i) => isChangeTriggered(i) && inScopeIncident(i) && inWindow(i))
      .sort((a, b) => a.impactStart - b.impactStart || a.id.localeCompare(b.id))
      .map((i) => incidentLine(i, input)),
  };
}
