import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests run against: `$RELEASEBOT_TEST_PG`, or the CI machine's PostgreSQL. */
export const ADMIN_URL = process.env.RELEASEBOT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return `PostgreSQL not reachable at ${ADMIN_URL} (${(e as Error).message}); set RELEASEBOT_TEST_PG`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Null when PostgreSQL is reachable; otherwise why its tests are skipped (printed, never silent). */
export const postgresSkipReason: string | null = await probe();
if (postgresSkipReason && process.env.CI) {
  throw new Error(`CI requires PostgreSQL: ${postgresSkipReason}`);
}
if (postgresSkipReason) console.warn(`[skip] PostgreSQL tests: ${postgresSkipReason}`);

export interface TestDatabase {
  url: string;
  /** Drops the database; fails if a connection was left open (a leak in the code under test). */
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        // A closed client's backend exits a moment after the client's end() resolves: give it a few seconds.
        let open = 0;
        for (let i = 0; i < 50; i++) {
          open = (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]))
            .rows[0].n;
          if (open === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        if (open > 0) throw new Error(`${open} connection(s) to ${name} were left open`);
      } finally {
        await c.end();
      }
    },
  };
}
