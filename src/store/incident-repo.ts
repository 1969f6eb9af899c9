import type { DeployFact } from '../safety/deploy-fact.js';
import type { Incident } from '../safety/incident.js';
import type { Db, Queryable } from './db.js';
import { numOrNull, toJson } from './json.js';
import type { IncidentFilter, IncidentRepo } from './store.js';

interface IncidentRow {
  id: string;
  title: string;
  severity: Incident['severity'];
  selected: boolean;
  impact_start: number | string;
  detected_at: number | string | null;
  mitigated_at: number | string | null;
  ended_at: number | string | null;
  services: string[];
  exposure_pct: number | string;
  remediation: Incident['remediation'];
  source: Incident['source'];
  note: string;
  created_by: string;
  created_at: number | string;
  updated_at: number | string;
  revision: number;
  deploy_ids: string[];
}

interface FactRow {
  id: string;
  service: string;
  state: DeployFact['state'];
  started_at: number | string;
  ended_at: number | string | null;
  max_traffic: number | string;
  rollback: DeployFact['rollback'];
  rollback_at: number | string | null;
}

const SELECT = `SELECT i.id, i.title, i.severity, i.selected, i.impact_start, i.detected_at, i.mitigated_at, i.ended_at,
  i.services, i.exposure_pct, i.remediation, i.source, i.note, i.created_by, i.created_at, i.updated_at, i.revision,
  COALESCE((SELECT jsonb_agg(l.deploy_id ORDER BY l.deploy_id) FROM incident_deploys l WHERE l.incident_id = i.id),
    '[]'::jsonb) AS deploy_ids
  FROM incidents i`;

/** Larger than any time in ms: ongoing incidents reach "forever" in overlap filters. */
const FOREVER = Number.MAX_SAFE_INTEGER;

const toIncident = (r: IncidentRow): Incident => ({
  id: r.id,
  title: r.title,
  severity: r.severity,
  selected: r.selected,
  impactStart: Number(r.impact_start),
  detectedAt: numOrNull(r.detected_at),
  mitigatedAt: numOrNull(r.mitigated_at),
  endedAt: numOrNull(r.ended_at),
  services: r.services,
  deployIds: r.deploy_ids,
  exposurePct: Number(r.exposure_pct),
  remediation: r.remediation,
  source: r.source,
  note: r.note,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  revision: r.revision,
});

/** One incident as a jsonb_to_recordset row. */
const incidentRecord = (i: Incident, originKey: string | null = null) => ({
  id: i.id,
  title: i.title,
  severity: i.severity,
  selected: i.selected,
  impact_start: i.impactStart,
  detected_at: i.detectedAt,
  mitigated_at: i.mitigatedAt,
  ended_at: i.endedAt,
  services: i.services,
  exposure_pct: i.exposurePct,
  remediation: i.remediation,
  source: i.source,
  origin_key: originKey,
  note: i.note,
  created_by: i.createdBy,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  revision: i.revision,
});

async function insertIncidents(
  q: Queryable,
  rows: Array<{ incident: Incident; originKey?: string }>,
): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await q.query(
    `INSERT INTO incidents (id, title, severity, selected, impact_start, detected_at, mitigated_at, ended_at, services,
       exposure_pct, remediation, source, origin_key, note, created_by, created_at, updated_at, revision)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, title text, severity text, selected boolean,
       impact_start bigint, detected_at bigint, mitigated_at bigint, ended_at bigint, services jsonb,
       exposure_pct double precision, remediation text, source text, origin_key text, note text, created_by text,
       created_at bigint, updated_at bigint, revision integer)
     ON CONFLICT (origin_key) DO NOTHING
     RETURNING id`,
    [toJson(rows.map((r) => incidentRecord(r.incident, r.originKey ?? null)))],
  );
  const ids = new Set(inserted.map((r) => (r as { id: string }).id));
  await linkDeploys(
    q,
    rows
      .filter((r) => ids.has(r.incident.id))
      .flatMap((r) => r.incident.deployIds.map((d) => ({ incident_id: r.incident.id, deploy_id: d }))),
  );
  return ids.size;
}

async function linkDeploys(
  q: Queryable,
  links: Array<{ incident_id: string; deploy_id: string }>,
): Promise<void> {
  if (!links.length) return;
  await q.query(
    `INSERT INTO incident_deploys (incident_id, deploy_id)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(incident_id text, deploy_id text)
     ON CONFLICT DO NOTHING`,
    [toJson(links)],
  );
}

const rollbackKey = (deployId: string) => `rollback:${deployId}`;

export function incidentRepo(db: Db): IncidentRepo {
  const getIn = async (q: Queryable, id: string) => {
    const rows = await q.query<IncidentRow>(`${SELECT} WHERE i.id = $1`, [id]);
    return rows[0] ? toIncident(rows[0]) : null;
  };
  // Opening an incident for a deploy serialises on the deploy (PostgreSQL; PGlite runs one transaction at a time),
  // so the consumer's "unless one links it already" cannot race a person's create on another replica.
  const lockDeploys = async (q: Queryable, ids: string[]) => {
    if (db.kind !== 'postgres') return;
    for (const id of [...new Set(ids)].sort())
      await q.query(`SELECT pg_advisory_xact_lock(7316003, hashtext($1))`, [id]);
  };

  return {
    create: (incident) =>
      db.tx(async (q) => {
        await lockDeploys(q, incident.deployIds);
        await insertIncidents(q, [{ incident }]);
        return (await getIn(q, incident.id))!;
      }),

    get: (id) => getIn(db, id),

    update: (next) =>
      db.tx(async (q) => {
        await lockDeploys(q, next.deployIds);
        const rows = await q.query(
          `UPDATE incidents SET title = $3, severity = $4, selected = $5, impact_start = $6, detected_at = $7,
             mitigated_at = $8, ended_at = $9, services = $10::jsonb, exposure_pct = $11, remediation = $12, note = $13,
             updated_at = $14, revision = revision + 1
           WHERE id = $1 AND revision = $2 RETURNING id`,
          [
            next.id,
            next.revision,
            next.title,
            next.severity,
            next.selected,
            next.impactStart,
            next.detectedAt,
            next.mitigatedAt,
            next.endedAt,
            toJson(next.services),
            next.exposurePct,
            next.remediation,
            next.note,
            next.updatedAt,
          ],
        );
        if (!rows.length) return null;
        await q.query(
          `DELETE FROM incident_deploys WHERE incident_id = $1 AND NOT (deploy_id = ANY($2::text[]))`,
          [next.id, next.deployIds],
        );
        await linkDeploys(
          q,
          next.deployIds.map((d) => ({ incident_id: next.id, deploy_id: d })),
        );
        return getIn(q, next.id);
      }),

    async list(filter: IncidentFilter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (filter.from !== undefined)
        add(`COALESCE(i.mitigated_at, i.ended_at, ${FOREVER}) >= ?`, filter.from);
      if (filter.to !== undefined) add('i.impact_start < ?', filter.to);
      if (filter.services) {
        add(
          'EXISTS (SELECT 1 FROM jsonb_array_elements_text(i.services) s WHERE s = ANY(?::text[]))',
          filter.services,
        );
      }
      if (filter.deployIds) {
        add(
          'EXISTS (SELECT 1 FROM incident_deploys l WHERE l.incident_id = i.id AND l.deploy_id = ANY(?::text[]))',
          filter.deployIds,
        );
      }
      if (filter.open !== undefined)
        where.push(filter.open ? 'i.ended_at IS NULL' : 'i.ended_at IS NOT NULL');
      params.push(Math.min(Math.max(filter.limit ?? 1000, 1), 100_000));
      const rows = await db.query<IncidentRow>(
        `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY i.impact_start DESC, i.id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toIncident);
    },

    recordRollback: (deployId, draft) =>
      db.tx(async (q) => {
        await lockDeploys(q, [deployId]);
        const own = await q.query<{ id: string; mitigated_at: number | string | null }>(
          `SELECT id, mitigated_at FROM incidents WHERE origin_key = $1`,
          [rollbackKey(deployId)],
        );
        if (own[0]) {
          if (draft.mitigatedAt !== null && own[0].mitigated_at === null) {
            await q.query(
              `UPDATE incidents SET mitigated_at = $2, exposure_pct = $3, updated_at = $4, revision = revision + 1
               WHERE id = $1 AND mitigated_at IS NULL`,
              [own[0].id, draft.mitigatedAt, draft.exposurePct, draft.updatedAt],
            );
          }
          return { incident: (await getIn(q, own[0].id))!, created: false };
        }
        const linked = await q.query<{ incident_id: string }>(
          `SELECT incident_id FROM incident_deploys WHERE deploy_id = $1 ORDER BY incident_id LIMIT 1`,
          [deployId],
        );
        if (linked[0]) return { incident: (await getIn(q, linked[0].incident_id))!, created: false };
        const created =
          (await insertIncidents(q, [{ incident: draft, originKey: rollbackKey(deployId) }])) > 0;
        const id = created
          ? draft.id
          : (
              await q.query<{ id: string }>(`SELECT id FROM incidents WHERE origin_key = $1`, [
                rollbackKey(deployId),
              ])
            )[0].id;
        return { incident: (await getIn(q, id))!, created };
      }),

    importHistory: ({ deploys, incidents, at, actor }) =>
      db.tx(async (q) => {
        if (deploys.length) {
          await q.query(
            `INSERT INTO deploys (id, service, version, previous_version, changes, trigger, state, stage_index,
               created_at, started_at, ended_at, reason)
             SELECT id, service, version, previous_version, '[]'::jsonb, trigger, state, -1, started_at, started_at,
               ended_at, reason
             FROM jsonb_to_recordset($1::jsonb) AS x(id text, service text, version text, previous_version text,
               trigger jsonb, state text, started_at bigint, ended_at bigint, reason text)`,
            [
              toJson(
                deploys.map((d) => ({
                  id: d.id,
                  service: d.service,
                  version: d.version,
                  previous_version: d.previousVersion,
                  trigger: { kind: 'api', actor: `import by ${actor}` },
                  state: d.state,
                  started_at: d.startedAt,
                  ended_at: d.endedAt,
                  reason: 'imported history',
                })),
              ),
            ],
          );
          await q.query(
            `INSERT INTO deploy_history (deploy_id, max_traffic, rollback, rollback_at, imported_at, imported_by)
             SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(deploy_id text, max_traffic double precision,
               rollback text, rollback_at bigint, imported_at bigint, imported_by text)`,
            [
              toJson(
                deploys.map((d) => ({
                  deploy_id: d.id,
                  max_traffic: d.maxTraffic,
                  rollback: d.rollback,
                  rollback_at: d.rollbackAt,
                  imported_at: at,
                  imported_by: actor,
                })),
              ),
            ],
          );
        }
        await insertIncidents(
          q,
          incidents.map((incident) => ({ incident })),
        );
      }),

    async existingDeploys(ids) {
      if (!ids.length) return [];
      return db.query<{ id: string; service: string }>(
        `SELECT id, service FROM deploys WHERE id = ANY($1::text[])`,
        [ids],
      );
    },

    async deployFacts(from, to) {
      // Imported deploys carry their facts in deploy_history; live ones have them in their event log. A promoted
      // deploy reached all traffic even when an external system did not report its last step.
      const rows = await db.query<FactRow>(
        `SELECT d.id, d.service, d.state, COALESCE(d.started_at, d.created_at) AS started_at, d.ended_at,
           COALESCE(h.max_traffic, CASE WHEN d.state = 'promoted' THEN 100 END,
             (SELECT max((e.payload->>'traffic')::double precision) FROM events e
               WHERE e.deploy_id = d.id AND e.type = 'stage:advanced'), 0) AS max_traffic,
           COALESCE(h.rollback, (SELECT CASE WHEN (e.payload->>'automatic')::boolean THEN 'automatic' ELSE 'manual' END
             FROM events e WHERE e.deploy_id = d.id AND e.type = 'deploy:rolling_back' ORDER BY e.seq LIMIT 1)) AS rollback,
           COALESCE(h.rollback_at, (SELECT min(e.at) FROM events e
             WHERE e.deploy_id = d.id AND e.type = 'deploy:rolling_back')) AS rollback_at
         FROM deploys d LEFT JOIN deploy_history h ON h.deploy_id = d.id
         WHERE COALESCE(d.started_at, d.created_at) >= $1 AND COALESCE(d.started_at, d.created_at) < $2
         ORDER BY COALESCE(d.started_at, d.created_at), d.id`,
        [from, to],
      );
      return rows.map((r) => ({
        id: r.id,
        service: r.service,
        state: r.state,
        startedAt: Number(r.started_at),
        endedAt: numOrNull(r.ended_at),
        maxTraffic: Number(r.max_traffic),
        rollback: r.rollback,
        rollbackAt: numOrNull(r.rollback_at),
      }));
    },
  };
}
