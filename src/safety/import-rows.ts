import { didYouMean } from '../config/did-you-mean.js';
import type { ImportProblem, RowPlace } from './import-problem.js';
import { parseCsv } from './parse-csv.js';

export type ImportKind = 'deploys' | 'incidents';

/** The fields of each kind of record; CSV headers and JSON keys match them ignoring case, `_`, `-` and spaces. */
export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly string[]>> = {
  deploys: [
    'id',
    'service',
    'version',
    'previousVersion',
    'state',
    'startedAt',
    'endedAt',
    'maxTraffic',
    'rollback',
    'rollbackAt',
  ],
  incidents: [
    'id',
    'title',
    'severity',
    'selected',
    'impactStart',
    'detectedAt',
    'mitigatedAt',
    'endedAt',
    'services',
    'deploys',
    'exposurePct',
    'remediation',
    'note',
  ],
};

const ALIASES: Readonly<Record<ImportKind, Readonly<Record<string, string>>>> = {
  deploys: { started: 'startedAt', ended: 'endedAt', traffic: 'maxTraffic', rolledbackat: 'rollbackAt' },
  incidents: {
    start: 'impactStart',
    detected: 'detectedAt',
    mitigated: 'mitigatedAt',
    ended: 'endedAt',
    end: 'endedAt',
    resolvedat: 'endedAt',
    service: 'services',
    deploy: 'deploys',
    deployids: 'deploys',
    exposure: 'exposurePct',
    severitylevel: 'severity',
  },
};

const norm = (k: string) => k.toLowerCase().replace(/[\s_-]/g, '');

/** The canonical field a column or key names, or undefined. */
export function fieldFor(kind: ImportKind, column: string): string | undefined {
  const n = norm(column);
  return IMPORT_FIELDS[kind].find((f) => norm(f) === n) ?? ALIASES[kind][n];
}

/** A record before its values are read: each canonical field's value and the column it came from. */
export interface RawRow {
  kind: ImportKind;
  place: RowPlace;
  values: Record<string, { column: string; value: unknown }>;
}

function unknownColumn(kind: ImportKind, column: string, place: RowPlace): ImportProblem {
  // CSV headers are usually snake_case, JSON keys camelCase: suggest in the caller's style.
  const snake = IMPORT_FIELDS[kind].map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const hint = didYouMean(column, column.includes('_') ? snake : [...IMPORT_FIELDS[kind]]);
  return {
    ...place,
    code: 'IMPORT_MALFORMED',
    column,
    message: `unknown ${place.line !== undefined ? 'column' : 'key'} "${column}"${hint ? `; did you mean "${hint}"?` : ''} (expected ${IMPORT_FIELDS[kind].join(', ')})`,
  };
}

/** The kind of a CSV file: its own, else `deploys` when its header has a `version` column, else `incidents`. */
export function csvKind(header: readonly string[], kind?: ImportKind): ImportKind {
  return kind ?? (header.some((h) => norm(h) === 'version') ? 'deploys' : 'incidents');
}

/** Reads a CSV file with a header row into raw rows; malformed records and unknown columns become problems. */
export function csvRows(
  text: string,
  file: string | undefined,
  kind?: ImportKind,
): { rows: RawRow[]; problems: ImportProblem[] } {
  const at = (line: number): RowPlace => ({ ...(file ? { file } : {}), line });
  const { records, problems: csvProblems } = parseCsv(text);
  const problems: ImportProblem[] = csvProblems.map((p) => ({
    ...at(p.line),
    code: 'IMPORT_MALFORMED',
    message: p.message,
  }));
  const [header, ...data] = records;
  if (!header) {
    if (!problems.length)
      problems.push({
        ...at(1),
        code: 'IMPORT_MALFORMED',
        message: 'the file is empty; expected a header row',
      });
    return { rows: [], problems };
  }
  const k = csvKind(header.fields, kind);
  const columns = header.fields.map((c) => c.trim());
  const fields = columns.map((c) => fieldFor(k, c));
  columns.forEach((c, i) => {
    if (!fields[i]) problems.push(unknownColumn(k, c || `(column ${i + 1})`, at(header.line)));
    else if (fields.indexOf(fields[i]) !== i) {
      problems.push({
        ...at(header.line),
        code: 'IMPORT_MALFORMED',
        column: c,
        message: `column "${c}" repeats ${fields[i]}`,
      });
    }
  });
  const rows: RawRow[] = [];
  for (const r of data) {
    if (r.fields.length !== columns.length) {
      problems.push({
        ...at(r.line),
        code: 'IMPORT_MALFORMED',
        message: `${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, but the header has ${columns.length} columns`,
      });
      continue;
    }
    const values: RawRow['values'] = {};
    r.fields.forEach((v, i) => {
      const f = fields[i];
      if (f && v.trim() !== '') values[f] = { column: columns[i], value: v.trim() };
    });
    rows.push({ kind: k, place: at(r.line), values });
  }
  return { rows, problems };
}

/** Reads JSON records (objects) into raw rows; anything else and unknown keys become problems. */
export function jsonRows(
  records: readonly unknown[],
  kind: ImportKind,
): { rows: RawRow[]; problems: ImportProblem[] } {
  const rows: RawRow[] = [];
  const problems: ImportProblem[] = [];
  records.forEach((rec, n) => {
    const place: RowPlace = { record: `${kind}[${n}]` };
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      problems.push({ ...place, code: 'IMPORT_MALFORMED', message: 'expected an object' });
      return;
    }
    const values: RawRow['values'] = {};
    for (const [key, value] of Object.entries(rec)) {
      const f = fieldFor(kind, key);
      if (!f) problems.push(unknownColumn(kind, key, place));
      else if (value !== null && value !== undefined && value !== '') values[f] = { column: key, value };
    }
    rows.push({ kind, place, values });
  });
  return { rows, problems };
}
