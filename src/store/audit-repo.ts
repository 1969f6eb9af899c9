import type { Db } from './db.js';
import { toJson } from './json.js';
import type { AuditRepo } from './store.js';

interface AuditRow {
  at: number | string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export function auditRepo(db: Db): AuditRepo {
  return {
    async record(e) {
      await db.query(
        `INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5::jsonb)`,
        [e.at, e.actor, e.action, e.target, toJson(e.details)],
      );
    },
    async list(opts = {}) {
      const params: unknown[] = [];
      let where = '';
      if (opts.target) {
        params.push(opts.target);
        where = 'WHERE target = $1';
      }
      params.push(opts.limit ?? 500);
      const rows = await db.query<AuditRow>(
        `SELECT at, actor, action, target, details FROM (
           SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT $${params.length}) a ORDER BY at, id`,
        params,
      );
      return rows.map((r) => ({
        at: Number(r.at),
        actor: r.actor,
        action: r.action,
        target: r.target,
        details: r.details,
      }));
    },
  };
}
