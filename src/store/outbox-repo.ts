import type { Db } from './db.js';
import { numOrNull, toJson } from './json.js';
import type { OutboxItem, OutboxRepo } from './store.js';

interface OutboxRow {
  id: number | string;
  notifier: string;
  dedup_key: string;
  deploy_id: string | null;
  payload: unknown;
  attempts: number;
  available_at: number | string;
  last_error: string | null;
  delivered_at: number | string | null;
  failed_at: number | string | null;
}

const COLUMNS =
  'id, notifier, dedup_key, deploy_id, payload, attempts, available_at, last_error, delivered_at, failed_at';
const toItem = (r: OutboxRow): OutboxItem => ({
  id: Number(r.id),
  notifier: r.notifier,
  dedupKey: r.dedup_key,
  deployId: r.deploy_id,
  payload: r.payload,
  attempts: r.attempts,
  availableAt: Number(r.available_at),
  lastError: r.last_error,
  deliveredAt: numOrNull(r.delivered_at),
  failedAt: numOrNull(r.failed_at),
});

export function outboxRepo(db: Db): OutboxRepo {
  return {
    async enqueue(items) {
      if (!items.length) return 0;
      const rows = await db.query(
        `INSERT INTO outbox (notifier, dedup_key, deploy_id, payload, available_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(notifier text, dedup_key text, deploy_id text, payload jsonb, available_at bigint)
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
        [
          toJson(
            items.map((i) => ({
              notifier: i.notifier,
              dedup_key: i.dedupKey,
              deploy_id: i.deployId ?? null,
              payload: i.payload,
              available_at: i.availableAt,
            })),
          ),
        ],
      );
      return rows.length;
    },
    async claim(owner, now, limit, leaseMs) {
      // Oldest due first; SKIP LOCKED lets replicas claim disjoint batches at the same time.
      const rows = await db.query<OutboxRow>(
        `UPDATE outbox SET claimed_by = $1, claimed_until = $2 + $4
         WHERE id IN (
           SELECT id FROM outbox
           WHERE delivered_at IS NULL AND failed_at IS NULL AND available_at <= $2
             AND (claimed_until IS NULL OR claimed_until <= $2)
           ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [owner, now, limit, leaseMs],
      );
      return rows.map(toItem).sort((a, b) => a.id - b.id);
    },
    async delivered(id, at) {
      await db.query(
        `UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL
         WHERE id = $1`,
        [id, at],
      );
    },
    async failed(id, error, retryAt, at) {
      await db.query(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2, claimed_by = NULL, claimed_until = NULL,
           available_at = COALESCE($3, available_at), failed_at = CASE WHEN $3::bigint IS NULL THEN $4::bigint END
         WHERE id = $1`,
        [id, error.slice(0, 2000), retryAt, at],
      );
    },
    async stats() {
      const rows = await db.query<{
        pending: number | string;
        failed: number | string;
        delivered: number | string;
      }>(
        `SELECT count(*) FILTER (WHERE delivered_at IS NULL AND failed_at IS NULL) AS pending,
                count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,
                count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered
         FROM outbox`,
      );
      return {
        pending: Number(rows[0].pending),
        failed: Number(rows[0].failed),
        delivered: Number(rows[0].delivered),
      };
    },
    async forDeploy(deployId) {
      const rows = await db.query<OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox WHERE deploy_id = $1 ORDER BY id`,
        [deployId],
      );
      return rows.map(toItem);
    },
  };
}
