import { readdirSync, readFileSync } from 'node:fs';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { Db } from './db.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered migrations shipped with this build (`NNN_name.sql`), in order. */
export function bundledMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8'),
    }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction. Replicas starting together serialise on an
 * advisory lock, so each migration runs once.
 */
export async function migrate(db: Db, migrations = bundledMigrations()): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const m of migrations) {
    try {
      const done = await db.tx(async (q) => {
        await q.query(`SELECT pg_advisory_xact_lock(7316001)`);
        const rows = await q.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [m.version]);
        if (rows.length) return false;
        for (const statement of splitStatements(m.sql)) await q.query(statement);
        await q.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        return true;
      });
      if (done) applied.push(m.version);
    } catch (cause) {
      throw new ReleasebotError(
        'STORE_MIGRATION',
        `migration ${m.version} (${m.name}) failed: ${String(cause)}`,
        {
          cause,
        },
      );
    }
  }
  return applied;
}

// Extended-protocol queries take one statement each; the migration files hold plain statements (no functions with
// embedded semicolons), so splitting on `;` at line ends is enough.
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
