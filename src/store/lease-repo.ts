import type { Db } from './db.js';
import type { LeaseRepo } from './store.js';

/** Leases and heartbeats use the database clock, so replicas with skewed clocks agree on expiry. */
export function leaseRepo(db: Db): LeaseRepo {
  return {
    async heartbeat(owner, ttlMs) {
      await db.query(
        `INSERT INTO replicas (id, expires_at) VALUES ($1, now() + $2 * interval '1 millisecond')
         ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [owner, ttlMs],
      );
      const rows = await db.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM replicas WHERE expires_at > now()`,
      );
      return Number(rows[0].n);
    },
    async acquire(service, owner, ttlMs) {
      // The token rises whenever the lease changes hands (or lapses), so a replica that lost it cannot write.
      const rows = await db.query<{ token: number | string }>(
        `INSERT INTO service_leases AS l (service, owner, token, expires_at)
           VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
         ON CONFLICT (service) DO UPDATE SET
           owner = EXCLUDED.owner,
           token = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > now() THEN l.token ELSE l.token + 1 END,
           expires_at = EXCLUDED.expires_at
         WHERE l.owner = EXCLUDED.owner OR l.expires_at <= now()
         RETURNING token`,
        [service, owner, ttlMs],
      );
      return rows[0] ? Number(rows[0].token) : null;
    },
    async renew(service, owner, token, ttlMs) {
      const rows = await db.query(
        `UPDATE service_leases SET expires_at = now() + $4 * interval '1 millisecond'
         WHERE service = $1 AND owner = $2 AND token = $3 AND expires_at > now() RETURNING service`,
        [service, owner, token, ttlMs],
      );
      return rows.length > 0;
    },
    async release(service, owner, token) {
      await db.query(
        `UPDATE service_leases SET expires_at = now() - interval '1 millisecond'
         WHERE service = $1 AND owner = $2 AND token = $3`,
        [service, owner, token],
      );
    },
    async owned(owner) {
      const rows = await db.query<{ service: string; token: number | string }>(
        `SELECT service, token FROM service_leases WHERE owner = $1 AND expires_at > now() ORDER BY service`,
        [owner],
      );
      return rows.map((r) => ({ service: r.service, token: Number(r.token) }));
    },
    async leave(owner) {
      await db.query(`DELETE FROM replicas WHERE id = $1`, [owner]);
    },
  };
}
