// Copies what tsc does not: the SQL migrations, read at run time from dist/store/migrations.
import { cpSync, mkdirSync } from 'node:fs';

const from = new URL('../src/store/migrations/', import.meta.url);
const to = new URL('../dist/store/migrations/', import.meta.url);
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.ts') });
