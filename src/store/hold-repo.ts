import type { Db } from './db.js';
import { numOrNull } from './json.js';
import type { Hold, HoldRepo } from './store.js';

interface HoldRow {
  id: string;
  scope: Hold['scope'];
  target: string | null;
  reason: string;
  actor: string;
  created_at: number | string;
  released_at: number | string | null;
  released_by: string | null;
}

const COLUMNS = 'id, scope, target, reason, actor, created_at, released_at, released_by';
const toHold = (r: HoldRow): Hold => ({
  id: r.id,
  scope: r.scope,
  target: r.target,
  reason: r.reason,
  actor: r.actor,
  createdAt: Number(r.created_at),
  releasedAt: numOrNull(r.released_at),
  releasedBy: r.released_by,
});

export function holdRepo(db: Db): HoldRepo {
  return {
    async create(h) {
      const rows = await db.query<HoldRow>(
        `INSERT INTO holds (id, scope, target, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING ${COLUMNS}`,
        [h.id, h.scope, h.target, h.reason, h.actor, h.createdAt],
      );
      return toHold(rows[0]);
    },
    async release(id, actor, at) {
      const rows = await db.query<HoldRow>(
        `UPDATE holds SET released_at = $3, released_by = $2 WHERE id = $1 AND released_at IS NULL
         RETURNING ${COLUMNS}`,
        [id, actor, at],
      );
      return rows[0] ? toHold(rows[0]) : null;
    },
    async active() {
      const rows = await db.query<HoldRow>(
        `SELECT ${COLUMNS} FROM holds WHERE released_at IS NULL ORDER BY created_at, id`,
      );
      return rows.map(toHold);
    },
    async get(id) {
      const rows = await db.query<HoldRow>(`SELECT ${COLUMNS} FROM holds WHERE id = $1`, [id]);
      return rows[0] ? toHold(rows[0]) : null;
    },
  };
}
