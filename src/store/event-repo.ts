import type { LifecycleEvent, StoredEvent } from '../events/lifecycle-event.js';
import type { Db, Queryable } from './db.js';
import { toJson } from './json.js';
import type { EventDraft, EventRepo } from './store.js';

interface EventRow {
  seq: number | string;
  at: number | string;
  actor: string;
  deploy_id: string | null;
  service: string | null;
  payload: LifecycleEvent;
}

const toEvent = (r: EventRow): StoredEvent => ({
  seq: Number(r.seq),
  at: Number(r.at),
  actor: r.actor,
  deployId: r.deploy_id,
  service: r.service,
  event: r.payload,
});

type Draft = EventDraft & { deployId?: string | null; service?: string | null };

/**
 * Appends events inside the caller's transaction. Readers tail the log by `seq`; the transaction-scoped lock makes
 * seq order equal commit order across replicas, so a reader's cursor never skips an event committed late. PGlite
 * has one connection, so its transactions are serial already (`serialize` false).
 */
export async function appendEvents(q: Queryable, drafts: Draft[], serialize = true): Promise<StoredEvent[]> {
  if (!drafts.length) return [];
  if (serialize) await q.query(`SELECT pg_advisory_xact_lock(7316002)`);
  const rows = await q.query<EventRow>(
    `INSERT INTO events (at, actor, deploy_id, service, type, payload)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS x(at bigint, actor text, deploy_id text, service text, type text, payload jsonb)
     RETURNING seq, at, actor, deploy_id, service, payload`,
    [
      toJson(
        drafts.map((d) => ({
          at: d.at,
          actor: d.actor,
          deploy_id: d.deployId ?? null,
          service: d.service ?? null,
          type: d.event.type,
          payload: d.event,
        })),
      ),
    ],
  );
  return rows.map(toEvent).sort((a, b) => a.seq - b.seq);
}

export function eventRepo(db: Db): EventRepo {
  return {
    append: (drafts) => db.tx((q) => appendEvents(q, drafts, db.kind === 'postgres')),
    async after(afterSeq, limit) {
      const rows = await db.query<EventRow>(
        `SELECT seq, at, actor, deploy_id, service, payload FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [afterSeq, limit],
      );
      return rows.map(toEvent);
    },
    async forDeploy(deployId) {
      const rows = await db.query<EventRow>(
        `SELECT seq, at, actor, deploy_id, service, payload FROM events WHERE deploy_id = $1 ORDER BY seq`,
        [deployId],
      );
      return rows.map(toEvent);
    },
    async latestSeq() {
      const rows = await db.query<{ seq: number | string | null }>(`SELECT max(seq) AS seq FROM events`);
      return Number(rows[0]?.seq ?? 0);
    },
  };
}
