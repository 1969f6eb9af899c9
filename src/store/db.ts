import type { CopyColumn, CopyValue } from './copy-binary.js';

/** Runs SQL. Parameters are positional ($1, $2…); JSON values must be passed as strings and cast (::jsonb). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A database connection (pool): PGlite embedded or a PostgreSQL server. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Bulk load by binary COPY (copy-binary.ts), where the database takes it for less than multi-row INSERTs (the
   * embedded one: a round's 1,000 evaluations for half the CPU). Absent: use INSERT.
   */
  copyFrom?(
    table: string,
    columns: readonly CopyColumn[],
    rows: ReadonlyArray<readonly CopyValue[]>,
  ): Promise<void>;
  close(): Promise<void>;
}
