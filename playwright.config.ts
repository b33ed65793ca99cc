import { defineConfig } from '@playwright/test'

/**
 * Browser suite (test/browser). Two fresh demo servers are started for every run, each on its
 * own embedded database under .tmp/ (wiped first):
 *  - "main" on port 3101, with the default session limits;
 *  - "idle-timeout" on port 3102, with SESSION_IDLE_TIMEOUT_SECONDS=20 for the session-expiry spec (long
 *    enough that signing in, with axe run on each page, never counts as idle on a busy machine).
 * Uses the system Chromium (no browser download).
 */
// PW_PORT moves both servers (PW_PORT and PW_PORT + 1), so two runs can share a machine.
const MAIN_PORT = Number(process.env.PW_PORT ?? 3101)
const IDLE_PORT = MAIN_PORT + 1
// The email spec (test/browser/email) runs an SMTP server here; the main server sends to it.
const SMTP_PORT = Number(process.env.PW_SMTP_PORT ?? MAIN_PORT + 2)
const SESSION_EXPIRY_SPEC = /session-expiry\.spec\.ts$/

function server(port: number, dataDir: string, extraEnv = '') {
  return {
    // The built runtime, as `npm start` runs it (`npm run test:browser` builds dist/ first).
    command: `rm -rf ${dataDir} && ${extraEnv} DATA_DIR=${dataDir} PORT=${port} LOG_LEVEL=warn node dist/server.js`,
    url: `http://127.0.0.1:${port}/health`,
    // The first start loads the demo partnership; on a busy two-core machine that can take minutes.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  }
}

export default defineConfig({
  testDir: 'test/browser',
  outputDir: `.tmp/playwright-results-${MAIN_PORT}`,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    baseURL: `http://127.0.0.1:${MAIN_PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'main', testIgnore: SESSION_EXPIRY_SPEC, use: { baseURL: `http://127.0.0.1:${MAIN_PORT}` } },
    { name: 'idle-timeout', testMatch: SESSION_EXPIRY_SPEC, use: { baseURL: `http://127.0.0.1:${IDLE_PORT}` } },
  ],
  webServer: [
    server(
      MAIN_PORT,
      `.tmp/browser-${MAIN_PORT}`,
      `SMTP_HOST=127.0.0.1 SMTP_PORT=${SMTP_PORT} PUBLIC_BASE_URL=http://127.0.0.1:${MAIN_PORT} EMAIL_POLL_INTERVAL_MS=500 EMAIL_RETRY_BASE_MS=500 EMAIL_RETRY_MAX_MS=2000 EMAIL_MAX_ATTEMPTS=100000`,
    ),
    server(IDLE_PORT, `.tmp/browser-${IDLE_PORT}`, 'SESSION_IDLE_TIMEOUT_SECONDS=20'),
  ],
})
