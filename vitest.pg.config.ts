import { defineConfig } from 'vitest/config'

/** The integration and route suites again, on PostgreSQL (TEST_DATABASE_URL). */
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/routes/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
