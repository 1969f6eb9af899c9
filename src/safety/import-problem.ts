import type { ErrorCode } from '../errors/error-catalogue.js';
import { ReleasebotError } from '../errors/releasebot-error.js';

/** The error codes an import can fail with. */
export type ImportCode = Extract<
  ErrorCode,
  'IMPORT_MALFORMED' | 'IMPORT_INVALID' | 'TIMES_OUT_OF_ORDER' | 'IMPORT_UNKNOWN_DEPLOY' | 'IMPORT_DUPLICATE'
>;

/** Where a row came from: a CSV file's line, or a JSON record's index. */
export interface RowPlace {
  /** The CSV file's name, when one was given. */
  file?: string;
  /** CSV: the line the record starts on. */
  line?: number;
  /** JSON: `incidents[3]`. */
  record?: string;
}

export interface ImportProblem extends RowPlace {
  code: ImportCode;
  /** The column or key, e.g. `detected_at`. */
  column?: string;
  message: string;
}

/** `incidents.csv line 7, detected_at` / `incidents[3].detectedAt`. */
export function describePlace(p: RowPlace & { column?: string }): string {
  const where = p.line !== undefined ? `${p.file ?? 'CSV'} line ${p.line}` : (p.record ?? p.file ?? 'input');
  if (!p.column) return where;
  return p.line !== undefined ? `${where}, column ${p.column}` : `${where}.${p.column}`;
}

const MAX_DETAILS = 200;

/** The one error an import fails with: the first problem's code, every problem (up to 200) in the details. */
export function importError(problems: readonly ImportProblem[]): ReleasebotError {
  const first = problems[0];
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new ReleasebotError(
    first.code,
    `nothing was imported: ${describePlace(first)}: ${first.message}${more}`,
    {
      details: problems.slice(0, MAX_DETAILS).map((p) => ({
        message: `${p.code}: ${p.message}`,
        ...(p.file ? { file: p.file } : {}),
        ...(p.line !== undefined ? { line: p.line } : {}),
        ...(p.column || p.record ? { path: [p.record, p.column].filter(Boolean).join('.') } : {}),
      })),
    },
  );
}
