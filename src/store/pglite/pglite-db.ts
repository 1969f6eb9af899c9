import { PGlite } from '@electric-sql/pglite';
import { copyBinary } from '../copy-binary.js';
import type { Db, Queryable } from '../db.js';

/** Embedded PostgreSQL (PGlite): a directory, or memory when `dataDir` is undefined. One process only. */
export async function openPgliteDb(dataDir?: string): Promise<Db> {
  const pg = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const res = await q.query<T>(sql, params as unknown[] | undefined);
      return res.rows;
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    tx: <T>(fn: (q: Queryable) => Promise<T>) => pg.transaction((tx) => fn(wrap(tx))),
    async copyFrom(table, columns, rows) {
      // PGlite reads a COPY "file" from the blob passed with the query.
      // A Buffer's memory is an ArrayBuffer (never shared), which its type does not say.
      const blob = new Blob([copyBinary(columns, rows) as Uint8Array<ArrayBuffer>]);
      const names = columns.map((c) => c.name).join(', ');
      await pg.query(`COPY ${table} (${names}) FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob });
    },
    close: () => pg.close(),
  };
}
