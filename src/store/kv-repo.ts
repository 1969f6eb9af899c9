import type { Db } from './db.js';
import { toJson } from './json.js';
import type { KvRepo } from './store.js';

export function kvRepo(db: Db): KvRepo {
  return {
    async get<T>(ns: string, key: string) {
      const rows = await db.query<{ value: T }>(`SELECT value FROM kv WHERE ns = $1 AND key = $2`, [ns, key]);
      return rows[0] ? rows[0].value : null;
    },
    async set(ns, key, value) {
      await db.query(
        `INSERT INTO kv (ns, key, value) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (ns, key) DO UPDATE SET value = EXCLUDED.value`,
        [ns, key, toJson(value)],
      );
    },
    async compareAndSet(ns, key, expected, value) {
      if (expected === null || expected === undefined) {
        const rows = await db.query(
          `INSERT INTO kv (ns, key, value) VALUES ($1, $2, $3::jsonb) ON CONFLICT (ns, key) DO NOTHING RETURNING key`,
          [ns, key, toJson(value)],
        );
        return rows.length > 0;
      }
      const rows = await db.query(
        `UPDATE kv SET value = $4::jsonb WHERE ns = $1 AND key = $2 AND value = $3::jsonb RETURNING key`,
        [ns, key, toJson(expected), toJson(value)],
      );
      return rows.length > 0;
    },
  };
}
