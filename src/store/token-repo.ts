import type { Db } from './db.js';
import { numOrNull, toJson } from './json.js';
import type { ApiToken, TokenRepo } from './store.js';

interface TokenRow {
  id: string;
  name: string;
  scopes: ApiToken['scopes'];
  services: string[];
  teams: string[];
  created_at: number | string;
  revoked_at: number | string | null;
}

const COLUMNS = 'id, name, scopes, services, teams, created_at, revoked_at';
const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  services: r.services,
  teams: r.teams,
  createdAt: Number(r.created_at),
  revokedAt: numOrNull(r.revoked_at),
});

export function tokenRepo(db: Db): TokenRepo {
  return {
    async create(t, hash) {
      await db.query(
        `INSERT INTO api_tokens (id, name, hash, scopes, services, teams, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7)`,
        [t.id, t.name, hash, toJson(t.scopes), toJson(t.services), toJson(t.teams), t.createdAt],
      );
    },
    async findByHash(hash) {
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens WHERE hash = $1`, [hash]);
      return rows[0] ? toToken(rows[0]) : null;
    },
    async list() {
      const rows = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at, id`);
      return rows.map(toToken);
    },
    async revoke(id, at) {
      const rows = await db.query(
        `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
        [id, at],
      );
      return rows.length > 0;
    },
  };
}
