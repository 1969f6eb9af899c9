import type { Db } from '../../../src/store/db.js';

/** Every row of every table, as text: the store before and after must be identical. */
export async function dump(db: Db): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t ORDER BY 1`);
    parts.push(`-- ${table_name}\n${rows.map((x) => x.row).join('\n')}`);
  }
  return parts.join('\n');
}
