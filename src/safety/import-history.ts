import { ReleasebotError } from '../errors/releasebot-error.js';
import { newId } from '../pipeline/new-id.js';
import type { Store } from '../store/store.js';
import type { HistoricalDeploy } from './historical-deploy.js';
import { checkImport } from './import-checks.js';
import { importError, type ImportProblem } from './import-problem.js';
import { readDeploy, readIncident, type Placed, type RecordContext } from './import-records.js';
import { csvRows, jsonRows, type ImportKind, type RawRow } from './import-rows.js';
import type { Incident } from './incident.js';

/** Past deploys and incidents to import: JSON records and/or CSV files (one kind of record per file). */
export interface ImportRequest {
  deploys?: unknown[];
  incidents?: unknown[];
  /** `kind` defaults from the header: a `version` column means deploys. `name` appears in error messages. */
  csv?: Array<{ name?: string; kind?: ImportKind; text: string }>;
  /** Validate only; write nothing. */
  dryRun?: boolean;
}

export interface ImportResult {
  deploys: number;
  incidents: number;
  incidentIds: string[];
  dryRun: boolean;
}

export interface ImportDeps {
  store: Pick<Store, 'incidents' | 'audit'>;
  now: number;
  actor: string;
  services: readonly string[];
}

/** Problems in reading order: by file, then line or record index. */
function byPlace(a: ImportProblem, b: ImportProblem): number {
  const index = (p: ImportProblem) => p.line ?? Number(/\[(\d+)\]/.exec(p.record ?? '')?.[1] ?? 0);
  return (
    (a.file ?? a.record?.split('[')[0] ?? '').localeCompare(b.file ?? b.record?.split('[')[0] ?? '') ||
    index(a) - index(b)
  );
}

/** Database refusals that only a concurrent writer can cause once the checks passed. */
function storeRefusal(e: unknown): ReleasebotError | null {
  const code = (e as { code?: unknown })?.code;
  const text = `nothing was imported: the store refused a row (${(e as Error).message})`;
  if (code === '23505') return new ReleasebotError('IMPORT_DUPLICATE', text, { cause: e });
  if (code === '23503') return new ReleasebotError('IMPORT_UNKNOWN_DEPLOY', text, { cause: e });
  if (code === '23514') return new ReleasebotError('IMPORT_INVALID', text, { cause: e });
  return null;
}

/**
 * Validates every row (all problems at once, each naming its row and column), then writes all deploys and incidents
 * in one transaction, or nothing. Imported deploys are terminal history records the engine never acts on.
 */
export async function importHistory(deps: ImportDeps, req: ImportRequest): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const rows: RawRow[] = [];
  const take = (r: { rows: RawRow[]; problems: ImportProblem[] }) => {
    rows.push(...r.rows);
    problems.push(...r.problems);
  };
  if (req.deploys) take(jsonRows(req.deploys, 'deploys'));
  if (req.incidents) take(jsonRows(req.incidents, 'incidents'));
  for (const f of req.csv ?? []) take(csvRows(f.text, f.name, f.kind));
  if (!rows.length && !problems.length) {
    throw new ReleasebotError(
      'IMPORT_MALFORMED',
      'nothing to import: give deploys, incidents or CSV files with rows',
    );
  }

  const ctx: RecordContext = { now: deps.now, actor: deps.actor, services: deps.services };
  const deploys: Array<Placed<HistoricalDeploy>> = [];
  const incidents: Array<Placed<Incident>> = [];
  for (const row of rows) {
    if (row.kind === 'deploys') {
      const d = readDeploy(row, problems, ctx);
      if (d) deploys.push(d);
    } else {
      const i = readIncident(row, problems, ctx);
      if (i) incidents.push(i);
    }
  }

  const named = [
    ...new Set([...deploys.map((d) => d.value.id), ...incidents.flatMap((i) => i.value.deployIds)]),
  ];
  const storedDeploys = await deps.store.incidents.existingDeploys(named);
  const givenIds = incidents.map((i) => i.value.id).filter(Boolean);
  const storedIncidentIds = (await Promise.all(givenIds.map((id) => deps.store.incidents.get(id)))).flatMap(
    (i) => (i ? [i.id] : []),
  );
  // A reduce, not Math.min(...): a spread of tens of thousands of rows would overflow the call stack.
  const minStart = incidents.reduce((m, i) => Math.min(m, i.value.impactStart), Infinity);
  const maxEnd = incidents.reduce(
    (m, i) => Math.max(m, i.value.mitigatedAt ?? i.value.endedAt ?? Infinity),
    -Infinity,
  );
  const storedIncidents = incidents.length
    ? await deps.store.incidents.list({
        from: minStart,
        ...(Number.isFinite(maxEnd) ? { to: maxEnd + 1 } : {}),
        limit: 100_000,
      })
    : [];
  checkImport(deploys, incidents, {
    deploys: new Map(storedDeploys.map((d) => [d.id, d.service])),
    incidentIds: new Set(storedIncidentIds),
    incidents: storedIncidents,
  });
  if (problems.length) throw importError([...problems].sort(byPlace));

  for (const i of incidents) i.value.id ||= newId('i', i.value.impactStart);
  const result: ImportResult = {
    deploys: deploys.length,
    incidents: incidents.length,
    incidentIds: incidents.map((i) => i.value.id),
    dryRun: req.dryRun ?? false,
  };
  if (req.dryRun) return result;
  try {
    await deps.store.incidents.importHistory({
      deploys: deploys.map((d) => d.value),
      incidents: incidents.map((i) => i.value),
      at: deps.now,
      actor: deps.actor,
    });
  } catch (e) {
    throw storeRefusal(e) ?? e;
  }
  await deps.store.audit.record({
    at: deps.now,
    actor: deps.actor,
    action: 'incident.import',
    target: null,
    details: { deploys: result.deploys, incidents: result.incidents },
  });
  return result;
}
