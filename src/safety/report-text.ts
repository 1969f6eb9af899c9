import { textTable as columns } from '../text/text-table.js';
import { formatDuration } from '../time/duration.js';
import type { TimeStats } from './response-times.js';
import type { PeriodReport, SafetyReport } from './safety-report.js';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const when = (t: number | null) =>
  t === null ? '-' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z`;
const dur = (ms: number | null) => (ms === null ? '-' : formatDuration(Math.round(ms / 1000) * 1000));
const pct = (s: number | null) => (s === null ? '-' : `${Math.round(s * 100)}%`);
const hours = (h: number) => (h === 0 ? '0' : h < 0.01 ? h.toFixed(4) : h.toFixed(2));
const stats = (s: TimeStats) => (s.count ? `${dur(s.median)} / ${dur(s.p90)}` : '-');
const met = (v: boolean | null) => (v === null ? '-' : v ? 'yes' : 'no');

function periodRow(p: PeriodReport): string[] {
  const a = p.goals.automatic;
  const m = p.goals.manual;
  return [
    p.label,
    String(p.incidents),
    hours(p.impactHours.raw),
    hours(p.impactHours.weighted),
    stats(p.ttd),
    stats(p.ttr),
    a.incidents ? `${pct(a.detectedWithinGoal)} / ${pct(a.remediatedWithinGoal)}` : '-',
    m.incidents ? `${pct(m.detectedWithinGoal)} / ${pct(m.remediatedWithinGoal)}` : '-',
    p.badDeploys ? `${p.stoppedBefore10}/${p.badDeploys} (${pct(p.stoppedBefore10Share)})` : '-',
    `${p.automatic}/${p.manual}`,
    String(p.dora.all.deploys),
    pct(p.dora.all.changeFailureRate),
  ];
}

/** The report for a terminal: periods with the totals, the change-triggered incidents, and DORA per service. */
export function reportText(r: SafetyReport): string {
  const scope = [r.filter.service && `service ${r.filter.service}`, r.filter.team && `team ${r.filter.team}`]
    .filter(Boolean)
    .join(', ');
  const goals = `goals: automatic ≤ ${dur(r.goals.automaticMs)}, manual ≤ ${dur(r.goals.manualMs)}, stop bad deploys before ${r.goals.stopBeforeTraffic}% of traffic`;
  const out = [
    `Deploy safety by ${r.period}, ${day(r.from)} to ${day(r.to - 1)}${scope ? ` (${scope})` : ''}`,
    goals,
    '',
    columns([
      [
        'PERIOD',
        'INCIDENTS',
        'IMPACT h',
        'WEIGHTED h',
        'TTD p50/p90',
        'TTR p50/p90',
        'AUTO ≤10m det/rem',
        'MANUAL ≤20m det/rem',
        'BAD <10%',
        'AUTO/MANUAL',
        'DEPLOYS',
        'CFR',
      ],
      ...r.periods.map(periodRow),
      periodRow(r.totals),
    ]),
  ];
  if (r.incidents.length) {
    out.push(
      '',
      'Change-triggered incidents',
      columns([
        [
          'INCIDENT',
          'SEVERITY',
          'COUNTS',
          'SERVICES',
          'IMPACT START',
          'EXPOSURE',
          'TTD',
          'TTR',
          'GOAL',
          'MET det/rem',
          'HOURS',
          'WEIGHTED',
        ],
        ...r.incidents.map((i) => [
          i.id,
          i.severity,
          i.counted ? 'yes' : 'no',
          i.services.join(','),
          when(i.impactStart),
          `${Number(i.exposurePct.toFixed(2))}%`,
          dur(i.ttdMs),
          dur(i.ttrMs),
          `${dur(i.goalMs)} ${i.remediation}`,
          `${met(i.detectedWithinGoal)}/${met(i.remediatedWithinGoal)}`,
          hours(i.hours.raw),
          hours(i.hours.weighted),
        ]),
      ]),
    );
  }
  const dora = Object.entries(r.totals.dora.byService).sort(([a], [b]) => a.localeCompare(b));
  if (dora.length) {
    out.push(
      '',
      'DORA by service (whole window)',
      columns([
        ['SERVICE', 'DEPLOYS', 'PER DAY', 'FAILED', 'CHANGE FAILURE RATE', 'RECOVERY p50/p90'],
        ...dora.map(([s, d]) => [
          s,
          String(d.deploys),
          d.perDay === null ? '-' : d.perDay.toFixed(2),
          String(d.failed),
          pct(d.changeFailureRate),
          stats(d.recovery),
        ]),
      ]),
    );
  }
  return out.join('\n');
}
