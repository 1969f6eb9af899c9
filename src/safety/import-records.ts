import { unknownServiceMessage } from '../config/find-service.js';
import { TERMINAL_STATES, type DeployState } from '../pipeline/deploy.js';
import type { HistoricalDeploy } from './historical-deploy.js';
import type { ImportProblem, RowPlace } from './import-problem.js';
import type { RawRow } from './import-rows.js';
import { REMEDIATIONS, SEVERITIES, type Incident } from './incident.js';
import { RowReader } from './row-reader.js';
import { timeOrderProblems } from './time-order.js';

/** A record read from the input, with where it came from. */
export interface Placed<T> {
  place: RowPlace;
  value: T;
  /** Reads more problems about this row (the cross-checks). */
  reader: RowReader;
}

export interface RecordContext {
  now: number;
  actor: string;
  services: readonly string[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

function service(r: RowReader, field: string, name: string, known: readonly string[]): boolean {
  if (known.includes(name)) return true;
  r.fail(field, `${unknownServiceMessage(name, known)} (services come from releasebot.yaml)`);
  return false;
}

function order(r: RowReader, times: Array<{ field: string; at: number | undefined }>): boolean {
  const problems = timeOrderProblems(times.map((t) => ({ field: r.column(t.field), at: t.at })));
  // Report under the column of the time that is too early.
  for (const p of problems)
    r.fail(times.find((t) => r.column(t.field) === p.field)!.field, p.message, 'TIMES_OUT_OF_ORDER');
  return problems.length === 0;
}

/** A past deploy from a row, or null after recording its problems. */
export function readDeploy(
  row: RawRow,
  problems: ImportProblem[],
  ctx: RecordContext,
): Placed<HistoricalDeploy> | null {
  const r = new RowReader(row, problems);
  const before = problems.length;
  const id = r.text('id', { required: true, pattern: ID, expected: 'an id (letters, digits, _ . : -)' });
  const svc = r.text('service', { required: true });
  if (svc !== undefined) service(r, 'service', svc, ctx.services);
  const version = r.text('version', { required: true, max: 200 });
  const previousVersion = r.text('previousVersion', { max: 200 }) ?? null;
  const state = r.oneOf<DeployState>('state', TERMINAL_STATES, true);
  const startedAt = r.time('startedAt', true);
  const endedAt = r.time('endedAt', true);
  const rollbackAt = r.time('rollbackAt');
  let maxTraffic = r.number('maxTraffic', 0, 100);
  let rollback = r.oneOf('rollback', REMEDIATIONS) ?? null;
  if (state === 'promoted') {
    maxTraffic ??= 100;
    if (rollback) r.fail('rollback', 'a promoted deploy was not rolled back; leave rollback empty');
  } else if (state && maxTraffic === undefined && !r.has('maxTraffic')) {
    r.fail(
      'maxTraffic',
      `is required for a ${state} deploy: the highest traffic percent it reached (0 if none)`,
    );
  }
  if (state === 'rolled_back') rollback ??= 'manual';
  order(r, [
    { field: 'startedAt', at: startedAt },
    { field: 'rollbackAt', at: rollbackAt },
    { field: 'endedAt', at: endedAt },
  ]);
  if (problems.length > before) return null;
  return {
    place: row.place,
    reader: r,
    value: {
      id: id!,
      service: svc!,
      version: version!,
      previousVersion,
      state: state!,
      startedAt: startedAt!,
      endedAt: endedAt!,
      maxTraffic: maxTraffic!,
      rollback,
      rollbackAt: rollbackAt ?? null,
    },
  };
}

/**
 * An incident from a row, or null after recording its problems. Its services may still be empty (they default to
 * its linked deploys' services, which the cross-checks know) and its id is empty unless the row gives one.
 */
export function readIncident(
  row: RawRow,
  problems: ImportProblem[],
  ctx: RecordContext,
): Placed<Incident> | null {
  const r = new RowReader(row, problems);
  const before = problems.length;
  const id = r.text('id', { pattern: ID, expected: 'an id (letters, digits, _ . : -)' });
  const severity = r.oneOf('severity', SEVERITIES, true);
  const impactStart = r.time('impactStart', true);
  const detectedAt = r.time('detectedAt');
  const mitigatedAt = r.time('mitigatedAt');
  const endedAt = r.time('endedAt');
  const services = r.list('services');
  for (const s of services) service(r, 'services', s, ctx.services);
  const deployIds = [...new Set(r.list('deploys'))];
  const title = r.text('title', { max: 200 });
  const note = r.text('note', { max: 5000 }) ?? '';
  const exposurePct = r.number('exposurePct', 0, 100) ?? 100;
  const remediation = r.oneOf('remediation', REMEDIATIONS) ?? 'manual';
  const selected = r.bool('selected') ?? false;
  order(r, [
    { field: 'impactStart', at: impactStart },
    { field: 'detectedAt', at: detectedAt },
    { field: 'mitigatedAt', at: mitigatedAt },
    { field: 'endedAt', at: endedAt },
  ]);
  if (problems.length > before) return null;
  return {
    place: row.place,
    reader: r,
    value: {
      id: id ?? '',
      // Filled in by the cross-checks when empty: the services may come from the linked deploys.
      title: title ?? '',
      severity: severity!,
      selected,
      impactStart: impactStart!,
      detectedAt: detectedAt ?? null,
      mitigatedAt: mitigatedAt ?? null,
      endedAt: endedAt ?? null,
      services: [...new Set(services)],
      deployIds,
      exposurePct,
      remediation,
      source: 'import',
      note,
      createdBy: ctx.actor,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      revision: 0,
    },
  };
}
