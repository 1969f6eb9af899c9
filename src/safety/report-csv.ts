import type { TimeStats } from './response-times.js';
import type { PeriodReport, SafetyReport } from './safety-report.js';
import { writeCsv } from './write-csv.js';

/** The CSV exports: one row per period; impact hours by dimension; DORA per service; the incidents. */
export type ReportTable = 'periods' | 'breakdown' | 'dora' | 'incidents';
export const REPORT_TABLES: readonly ReportTable[] = ['periods', 'breakdown', 'dora', 'incidents'];

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));
const minutes = (ms: number | null) => round(ms === null ? null : ms / 60_000, 2);
const hours = (h: number) => round(h, 4);
const share = (s: number | null) => round(s, 4);
const stats = (s: TimeStats) => [minutes(s.median), minutes(s.p90), s.count];

function periodRows(r: SafetyReport): string {
  const header = [
    'period',
    'start',
    'end',
    'incidents',
    'impact_hours',
    'impact_hours_weighted',
    'high_hours',
    'high_hours_weighted',
    'medium_hours',
    'medium_hours_weighted',
    'ttd_median_min',
    'ttd_p90_min',
    'ttd_count',
    'ttr_median_min',
    'ttr_p90_min',
    'ttr_count',
    'automatic_incidents',
    'automatic_detected_within_goal',
    'automatic_remediated_within_goal',
    'manual_incidents',
    'manual_detected_within_goal',
    'manual_remediated_within_goal',
    'bad_deploys',
    'stopped_before_10',
    'stopped_before_10_share',
    'automatic_remediations',
    'manual_remediations',
    'deploys',
    'deploys_per_day',
    'failed_deploys',
    'change_failure_rate',
    'recovery_median_min',
    'recovery_p90_min',
  ];
  const row = (p: PeriodReport) => [
    p.label,
    iso(p.start),
    iso(p.end),
    p.incidents,
    hours(p.impactHours.raw),
    hours(p.impactHours.weighted),
    hours(p.impactHours.bySeverity.high.raw),
    hours(p.impactHours.bySeverity.high.weighted),
    hours(p.impactHours.bySeverity.medium.raw),
    hours(p.impactHours.bySeverity.medium.weighted),
    ...stats(p.ttd),
    ...stats(p.ttr),
    p.goals.automatic.incidents,
    share(p.goals.automatic.detectedWithinGoal),
    share(p.goals.automatic.remediatedWithinGoal),
    p.goals.manual.incidents,
    share(p.goals.manual.detectedWithinGoal),
    share(p.goals.manual.remediatedWithinGoal),
    p.badDeploys,
    p.stoppedBefore10,
    share(p.stoppedBefore10Share),
    p.automatic,
    p.manual,
    p.dora.all.deploys,
    round(p.dora.all.perDay, 3),
    p.dora.all.failed,
    share(p.dora.all.changeFailureRate),
    minutes(p.dora.all.recovery.median),
    minutes(p.dora.all.recovery.p90),
  ];
  return writeCsv(header, [...r.periods.map(row), row(r.totals)]);
}

function breakdownRows(r: SafetyReport): string {
  const rows = [...r.periods, r.totals].flatMap((p) =>
    (['severity', 'service', 'team'] as const).flatMap((dim) => {
      const by =
        dim === 'severity'
          ? p.impactHours.bySeverity
          : dim === 'service'
            ? p.impactHours.byService
            : p.impactHours.byTeam;
      return Object.entries(by)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, h]) => [p.label, iso(p.start), dim, key, hours(h.raw), hours(h.weighted)]);
    }),
  );
  return writeCsv(['period', 'start', 'dimension', 'key', 'impact_hours', 'impact_hours_weighted'], rows);
}

function doraRows(r: SafetyReport): string {
  const rows = [...r.periods, r.totals].flatMap((p) =>
    Object.entries(p.dora.byService)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([service, d]) => [
        p.label,
        iso(p.start),
        service,
        d.deploys,
        round(d.perDay, 3),
        d.failed,
        share(d.changeFailureRate),
        minutes(d.recovery.median),
        minutes(d.recovery.p90),
        d.recovery.count,
      ]),
  );
  return writeCsv(
    [
      'period',
      'start',
      'service',
      'deploys',
      'deploys_per_day',
      'failed_deploys',
      'change_failure_rate',
      'recovery_median_min',
      'recovery_p90_min',
      'recoveries',
    ],
    rows,
  );
}

function incidentRows(r: SafetyReport): string {
  return writeCsv(
    [
      'id',
      'title',
      'severity',
      'selected',
      'counted',
      'services',
      'teams',
      'deploys',
      'impact_start',
      'detected_at',
      'mitigated_at',
      'ended_at',
      'exposure_pct',
      'remediation',
      'ttd_min',
      'ttr_min',
      'goal_min',
      'detected_within_goal',
      'remediated_within_goal',
      'impact_hours',
      'impact_hours_weighted',
    ],
    r.incidents.map((i) => [
      i.id,
      i.title,
      i.severity,
      i.selected,
      i.counted,
      i.services.join(';'),
      i.teams.join(';'),
      i.deployIds.join(';'),
      iso(i.impactStart),
      iso(i.detectedAt),
      iso(i.mitigatedAt),
      iso(i.endedAt),
      round(i.exposurePct, 3),
      i.remediation,
      minutes(i.ttdMs),
      minutes(i.ttrMs),
      minutes(i.goalMs),
      i.detectedWithinGoal,
      i.remediatedWithinGoal,
      hours(i.hours.raw),
      hours(i.hours.weighted),
    ]),
  );
}

/** The report as CSV: times ISO 8601 UTC, durations in minutes, impact in hours, shares 0–1; empty = no value. */
export function reportCsv(r: SafetyReport, table: ReportTable = 'periods'): string {
  switch (table) {
    case 'periods':
      return periodRows(r);
    case 'breakdown':
      return breakdownRows(r);
    case 'dora':
      return doraRows(r);
    case 'incidents':
      return incidentRows(r);
  }
}
