import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, postgresSkipReason } from './postgres.js';

export interface StoreDriver {
  name: 'pglite' | 'postgres';
  skip: string | null;
  /** A fresh, migrated store; `dispose` closes it and removes its data. */
  open(): Promise<{ store: Store; url: string; dispose(): Promise<void> }>;
}

/** The drivers every store-backed suite runs on: embedded PGlite and the real PostgreSQL server. */
export const storeDrivers: StoreDriver[] = [
  {
    name: 'pglite',
    skip: null,
    async open() {
      const store = await openStore({ url: 'memory:' });
      return { store, url: 'memory:', dispose: () => store.close() };
    },
  },
  {
    name: 'postgres',
    skip: postgresSkipReason,
    async open() {
      const db = await createTestDatabase();
      const store = await openStore({ url: db.url });
      return {
        store,
        url: db.url,
        async dispose() {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];
