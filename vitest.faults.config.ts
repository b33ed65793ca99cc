import { defineConfig } from 'vitest/config'

/**
 * The fault suites (test/faults) on PostgreSQL, where requests really race:
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run --config vitest.faults.config.ts
 * (They run on PGlite in the default suite too.) The security suites are in vitest.config.ts / vitest.pg.config.ts.
 */
export default defineConfig({
  test: { include: ['test/faults/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, pool: 'forks', maxWorkers: 1 },
})
