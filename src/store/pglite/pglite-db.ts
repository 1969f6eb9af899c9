import { PGlite } from '@electric-sql/pglite';
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
    async copyFrom(table, columns, text) {
      // PGlite reads a COPY "file" from the blob passed with the query.
      await pg.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
        blob: new Blob([text]),
      });
    },
    close: () => pg.close(),
  };
}
