import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (PostgreSQL schemas, Prometheus, Chromium); two cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
