import pg from 'pg';
import type { Logger } from '../../logging/logger.js';
import type { Db, Queryable } from '../db.js';

// int8 (bigint) columns hold millisecond times and counters well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/** A PostgreSQL server through a pg Pool; reconnects on its own after the server restarts. */
export function openPostgresDb(url: string, logger?: Logger, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger?.warn({ err: err.message }, 'postgres connection lost; reconnecting'));
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const res = await pool.query(sql, params);
      return res.rows as T[];
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // The pool stops watching a client while it is checked out: without this listener the server going away
      // mid-transaction (restart, failover) is an unhandled 'error' event that kills the process. The query in
      // flight fails on its own; the broken client is then dropped rather than returned to the pool.
      let lost: Error | undefined;
      const onError = (err: Error) => {
        lost = err;
        logger?.warn({ err: err.message }, 'postgres connection lost during a transaction');
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.removeListener('error', onError);
        client.release(lost);
      }
    },
    close: () => pool.end(),
  };
}
