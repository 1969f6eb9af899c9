import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { Logger } from '../logging/logger.js';
import { auditRepo } from './audit-repo.js';
import type { Db } from './db.js';
import { deployRepo } from './deploy-repo.js';
import { evaluationRepo } from './evaluation-repo.js';
import { eventRepo } from './event-repo.js';
import { holdRepo } from './hold-repo.js';
import { incidentRepo } from './incident-repo.js';
import { kvRepo } from './kv-repo.js';
import { leaseRepo } from './lease-repo.js';
import { migrate } from './migrate.js';
import { outboxRepo } from './outbox-repo.js';
import { openPgliteDb } from './pglite/pglite-db.js';
import { openPostgresDb } from './postgres/postgres-db.js';
import type { Store } from './store.js';
import { tokenRepo } from './token-repo.js';

export interface OpenStoreOptions {
  /** `postgres://…` (a server), `memory:` (embedded, nothing kept) or a directory for embedded PGlite. */
  url: string;
  /** Resolves a relative directory. */
  cwd?: string;
  logger?: Logger;
}

/** Where the embedded store keeps its files, or undefined for a server or memory. */
export function embeddedDir(url: string, cwd = '.'): string | undefined {
  if (isPostgresUrl(url) || url === 'memory:') return undefined;
  return resolve(cwd, url.replace(/^file:/, ''));
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** Opens the store named by `url` and brings its schema up to date. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  let db: Db;
  try {
    if (isPostgresUrl(opts.url)) {
      db = openPostgresDb(opts.url, opts.logger);
    } else if (opts.url === 'memory:') {
      db = await openPgliteDb();
    } else {
      const dir = embeddedDir(opts.url, opts.cwd)!;
      mkdirSync(dir, { recursive: true });
      db = await openPgliteDb(`${dir}/db`);
    }
    await migrate(db);
  } catch (cause) {
    if (cause instanceof ReleasebotError) throw cause;
    throw new ReleasebotError(
      'STORE_UNAVAILABLE',
      `cannot open the store at ${redactUrl(opts.url)}: ${String(cause)}`,
      {
        cause,
      },
    );
  }
  return storeOn(db);
}

/** The repositories over an open database. */
export function storeOn(db: Db): Store {
  return {
    kind: db.kind,
    deploys: deployRepo(db),
    events: eventRepo(db),
    evaluations: evaluationRepo(db),
    holds: holdRepo(db),
    leases: leaseRepo(db),
    tokens: tokenRepo(db),
    audit: auditRepo(db),
    outbox: outboxRepo(db),
    kv: kvRepo(db),
    incidents: incidentRepo(db),
    close: () => db.close(),
  };
}

/** Hides a password in a connection URL for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
