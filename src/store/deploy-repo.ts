import type { Deploy, NewDeploy } from '../pipeline/deploy.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import type { Db, Queryable } from './db.js';
import { appendEvents } from './event-repo.js';
import { numOrNull, toJson } from './json.js';
import type { DeployFilter, DeployRepo, EventDraft, Fence } from './store.js';

interface DeployRow {
  id: string;
  service: string;
  version: string;
  previous_version: string | null;
  changes: Deploy['changes'];
  trigger: Deploy['trigger'];
  driver: Deploy['driver'];
  external_traffic: number | string | null;
  state: Deploy['state'];
  stage_index: number;
  stage_started_at: number | string | null;
  bake_done_ms: number | string;
  created_at: number | string;
  started_at: number | string | null;
  ended_at: number | string | null;
  reason: string | null;
  pause_kind: Deploy['pauseKind'];
  idempotency_key: string | null;
  supersedes: string[];
  pending: Deploy['pending'];
  attempt: number;
  last_evaluated_at: number | string | null;
  revision: number;
}

const COLUMNS = `id, service, version, previous_version, changes, trigger, driver, external_traffic, state, stage_index,
  stage_started_at, bake_done_ms, created_at, started_at, ended_at, reason, pause_kind, idempotency_key, supersedes,
  pending, attempt, last_evaluated_at, revision`;

const OPEN_STATES = `('queued','running','paused','rolling_back')`;

function toDeploy(r: DeployRow): Deploy {
  return {
    id: r.id,
    service: r.service,
    version: r.version,
    previousVersion: r.previous_version,
    changes: r.changes,
    trigger: r.trigger,
    driver: r.driver,
    externalTraffic: numOrNull(r.external_traffic),
    state: r.state,
    stageIndex: r.stage_index,
    stageStartedAt: numOrNull(r.stage_started_at),
    bakeDoneMs: Number(r.bake_done_ms),
    createdAt: Number(r.created_at),
    startedAt: numOrNull(r.started_at),
    endedAt: numOrNull(r.ended_at),
    reason: r.reason,
    pauseKind: r.pause_kind,
    idempotencyKey: r.idempotency_key,
    supersedes: r.supersedes,
    pending: r.pending,
    attempt: r.attempt,
    lastEvaluatedAt: numOrNull(r.last_evaluated_at),
    revision: r.revision,
  };
}

/** DeployRepo.list's query for these columns: its filter, newest first, limited. */
function listQuery(columns: string, filter: DeployFilter): { text: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.service) add('service = ?', filter.service);
  if (filter.services) add('service = ANY(?::text[])', filter.services);
  if (filter.states) add('state = ANY(?::text[])', filter.states);
  if (filter.driver) add('driver = ?', filter.driver);
  if (filter.before !== undefined) add('created_at < ?', filter.before);
  if (filter.since !== undefined) add('created_at >= ?', filter.since);
  params.push(Math.min(Math.max(filter.limit ?? 100, 1), 10_000));
  const text = `SELECT ${columns} FROM deploys ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, seq DESC LIMIT $${params.length}`;
  return { text, params };
}

export function deployRepo(db: Db): DeployRepo {
  const getIn = async (q: Queryable, id: string) => {
    const rows = await q.query<DeployRow>(`SELECT ${COLUMNS} FROM deploys WHERE id = $1`, [id]);
    return rows[0] ? toDeploy(rows[0]) : null;
  };

  return {
    async create(input: NewDeploy, at: number, id: string, drafts: EventDraft[] = []) {
      return db.tx(async (q) => {
        const inserted = await q.query<DeployRow>(
          `INSERT INTO deploys (id, service, version, previous_version, changes, trigger, state, created_at,
             idempotency_key, driver)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, 'queued', $7, $8, $9)
           ON CONFLICT (service, idempotency_key) DO NOTHING
           RETURNING ${COLUMNS}`,
          [
            id,
            input.service,
            input.version,
            input.previousVersion ?? null,
            toJson(input.changes ?? []),
            toJson(input.trigger),
            at,
            input.idempotencyKey ?? null,
            input.driver ?? 'releasebot',
          ],
        );
        if (inserted[0]) {
          const deploy = toDeploy(inserted[0]);
          const events = await appendEvents(
            q,
            drafts.map((d) => ({ ...d, deployId: id, service: input.service })),
            db.kind === 'postgres',
          );
          return { deploy, created: true, events };
        }
        const existing = await q.query<DeployRow>(
          `SELECT ${COLUMNS} FROM deploys WHERE service = $1 AND idempotency_key = $2`,
          [input.service, input.idempotencyKey],
        );
        return { deploy: toDeploy(existing[0]), created: false, events: [] as StoredEvent[] };
      });
    },

    get: (id) => getIn(db, id),

    async byKey(service: string, idempotencyKey: string) {
      const rows = await db.query<DeployRow>(
        `SELECT ${COLUMNS} FROM deploys WHERE service = $1 AND idempotency_key = $2`,
        [service, idempotencyKey],
      );
      return rows[0] ? toDeploy(rows[0]) : null;
    },

    async list(filter: DeployFilter = {}) {
      const { text, params } = listQuery(COLUMNS, filter);
      return (await db.query<DeployRow>(text, params)).map(toDeploy);
    },

    async listKnown(filter, known) {
      const { text, params } = listQuery('id, revision', filter);
      const heads = await db.query<{ id: string; revision: number }>(text, params);
      const stale = heads.filter((h) => known.get(h.id)?.revision !== h.revision).map((h) => h.id);
      const fresh = new Map<string, Deploy>();
      if (stale.length) {
        const rows = await db.query<DeployRow>(`SELECT ${COLUMNS} FROM deploys WHERE id = ANY($1::text[])`, [
          stale,
        ]);
        for (const r of rows) fresh.set(r.id, toDeploy(r));
      }
      // A deploy that changed between the two reads is returned as first listed, or newer: never older.
      return heads.flatMap((h) => {
        const d = fresh.get(h.id) ?? known.get(h.id);
        return d && d.revision >= h.revision ? [d] : [];
      });
    },

    async update(next: Deploy, drafts: EventDraft[], fence?: Fence) {
      return db.tx(async (q) => {
        const params: unknown[] = [
          next.id,
          next.revision,
          next.previousVersion,
          toJson(next.changes),
          next.state,
          next.stageIndex,
          next.stageStartedAt,
          next.bakeDoneMs,
          next.startedAt,
          next.endedAt,
          next.reason,
          next.pauseKind,
          toJson(next.supersedes),
          next.pending === null ? null : toJson(next.pending),
          next.attempt,
          next.lastEvaluatedAt,
          next.externalTraffic,
        ];
        let fenceClause = '';
        if (fence) {
          params.push(fence.owner, fence.token);
          fenceClause = `AND EXISTS (SELECT 1 FROM service_leases l WHERE l.service = deploys.service
            AND l.owner = $18 AND l.token = $19 AND l.expires_at > now())`;
        }
        const rows = await q.query<DeployRow>(
          `UPDATE deploys SET previous_version = $3, changes = $4::jsonb, state = $5, stage_index = $6,
             stage_started_at = $7, bake_done_ms = $8, started_at = $9, ended_at = $10, reason = $11,
             pause_kind = $12, supersedes = $13::jsonb, pending = $14::jsonb, attempt = $15,
             last_evaluated_at = $16, external_traffic = $17, revision = revision + 1
           WHERE id = $1 AND revision = $2 ${fenceClause}
           RETURNING ${COLUMNS}`,
          params,
        );
        if (!rows[0]) return null;
        const events = await appendEvents(
          q,
          drafts.map((d) => ({ ...d, deployId: next.id, service: next.service })),
          db.kind === 'postgres',
        );
        return { deploy: toDeploy(rows[0]), events };
      });
    },

    async servicesWithWork() {
      const rows = await db.query<{ service: string }>(
        // External deploys are judged on request (Argo Rollouts, Flagger), never ticked: they are no work here.
        `SELECT DISTINCT service FROM deploys WHERE state IN ${OPEN_STATES} AND driver = 'releasebot' ORDER BY service`,
      );
      return rows.map((r) => r.service);
    },

    async lastPromotedVersion(service: string) {
      const rows = await db.query<{ version: string }>(
        `SELECT version FROM deploys WHERE service = $1 AND state = 'promoted'
         ORDER BY ended_at DESC, seq DESC LIMIT 1`,
        [service],
      );
      return rows[0]?.version ?? null;
    },

    async lastPromotedVersions() {
      const rows = await db.query<{ service: string; version: string }>(
        `SELECT DISTINCT ON (service) service, version FROM deploys WHERE state = 'promoted'
         ORDER BY service, ended_at DESC, seq DESC`,
      );
      return new Map(rows.map((r) => [r.service, r.version]));
    },
  };
}
