import type { ImportCode, ImportProblem } from './import-problem.js';
import type { RawRow } from './import-rows.js';
import { parseTimeArg } from './parse-time-arg.js';

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Reads the typed values of one raw row; every bad value becomes a problem naming the row and column. */
export class RowReader {
  constructor(
    readonly row: RawRow,
    private readonly problems: ImportProblem[],
  ) {}

  /** The column a field came from, or its name in the input's style when it is missing. */
  column(field: string): string {
    const given = this.row.values[field]?.column;
    if (given) return given;
    return this.row.place.line !== undefined ? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : field;
  }

  fail(field: string, message: string, code: ImportCode = 'IMPORT_INVALID'): void {
    this.problems.push({ ...this.row.place, code, column: this.column(field), message });
  }

  has(field: string): boolean {
    return field in this.row.values;
  }

  private raw(field: string, required: boolean): unknown {
    const v = this.row.values[field]?.value;
    if (v === undefined && required) this.fail(field, 'is required');
    return v;
  }

  text(
    field: string,
    o: { required?: boolean; max?: number; pattern?: RegExp; expected?: string } = {},
  ): string | undefined {
    const v = this.raw(field, o.required ?? false);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') return void this.fail(field, 'expected text');
    const s = String(v).trim();
    if (o.max !== undefined && s.length > o.max)
      return void this.fail(field, `is longer than ${o.max} characters`);
    if (o.pattern && !o.pattern.test(s))
      return void this.fail(field, `"${s}" is not ${o.expected ?? 'valid'}`);
    return s;
  }

  /** An absolute time: epoch ms (a number or digits) or ISO 8601 (UTC unless it names an offset). */
  time(field: string, required = false): number | undefined {
    const v = this.raw(field, required);
    if (v === undefined) return undefined;
    const t =
      typeof v === 'number' && Number.isInteger(v) && v >= 0
        ? v
        : typeof v === 'string'
          ? parseTimeArg(v, 0, { relative: false })
          : undefined;
    if (t === undefined)
      this.fail(field, `"${String(v)}" is not a time; use ISO 8601 (2025-03-03T10:00:00Z) or epoch ms`);
    return t;
  }

  number(field: string, min: number, max: number): number | undefined {
    const v = this.raw(field, false);
    if (v === undefined) return undefined;
    const n =
      typeof v === 'number'
        ? v
        : typeof v === 'string' && v.trim() !== ''
          ? Number(v.replace(/%$/, ''))
          : NaN;
    if (!Number.isFinite(n) || n < min || n > max)
      return void this.fail(field, `"${String(v)}" is not a number from ${min} to ${max}`);
    return n;
  }

  bool(field: string): boolean | undefined {
    const v = this.raw(field, false);
    if (v === undefined || typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
    return void this.fail(field, `"${String(v)}" is not true or false`);
  }

  /** A JSON array of strings, or text split on `;`, `,` or spaces. */
  list(field: string): string[] {
    const v = this.raw(field, false);
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      return v.map((x) => x.trim()).filter(Boolean);
    if (typeof v === 'string') return v.split(/[;,\s]+/).filter(Boolean);
    this.fail(field, 'expected a list of names (a JSON array, or names separated by ";")');
    return [];
  }

  oneOf<T extends string>(field: string, options: readonly T[], required = false): T | undefined {
    const v = this.raw(field, required);
    if (v === undefined) return undefined;
    const s = String(v).trim().toLowerCase();
    if ((options as readonly string[]).includes(s)) return s as T;
    return void this.fail(field, `"${String(v)}" is not one of ${options.join(', ')}`);
  }
}
