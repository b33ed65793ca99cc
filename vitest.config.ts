import { defineConfig } from 'vitest/config'

/** Unit, route and integration tests on the embedded database (PGlite). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Each PGlite instance takes ~0.7 GB; two workers suit a 2-core, 24 GB machine.
    pool: 'forks',
    maxWorkers: 2,
  },
})
