import { loadConfig, type Config } from '../../src/config.js'

/**
 * What the seed, the benchmarks and the fault scripts share: the session secret the server is
 * started with (TOTP seeds are sealed with a key derived from it), and the people who sign in.
 * All fictional; for local benchmark databases only.
 */
export const BENCH_SESSION_SECRET = 'bench-session-secret-not-for-real-use-0123456789'
export const BENCH_PASSWORD = 'copper-willow-harbour-lantern-42'

export type BenchUserKey = 'socialWorker' | 'teamManager' | 'hsbLead' | 'headOfService'

/** Fixed base32 TOTP seeds so a benchmark can compute codes without reading the database. */
export const BENCH_USERS: Record<BenchUserKey, { email: string; displayName: string; totpSecret: string }> = {
  socialWorker: {
    email: 'bench.social-worker@bench.example',
    displayName: 'Bench Social Worker',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA',
  },
  teamManager: {
    email: 'bench.team-manager@bench.example',
    displayName: 'Bench Team Manager',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB',
  },
  hsbLead: { email: 'bench.hsb-lead@bench.example', displayName: 'Bench HSB Lead', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC' },
  headOfService: {
    email: 'bench.head-of-service@bench.example',
    displayName: 'Bench Head of Service',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD',
  },
}

/** The environment a benchmark server runs with (not demo mode: the seed is the data). */
export function benchServerEnv(extra: { databaseUrl?: string; dataDir?: string; port: number }): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DEMO_MODE: 'false',
    SESSION_SECRET: BENCH_SESSION_SECRET,
    LOG_LEVEL: 'warn',
    PORT: String(extra.port),
    HOST: '127.0.0.1',
    ...(extra.databaseUrl ? { DATABASE_URL: extra.databaseUrl } : {}),
    ...(extra.dataDir ? { DATA_DIR: extra.dataDir } : {}),
  }
}

export function benchConfig(extra: { databaseUrl?: string; dataDir?: string }): Config {
  return loadConfig({ ...benchServerEnv({ ...extra, port: 0 }) })
}

/**
 * The database timeout of the benchmark tools' own connections (seeding, sealing, facts): the
 * service's 5-second timeout is for requests, and seeding or sealing a million children's audit
 * rows runs statements far longer than that.
 */
export const BENCH_DB_TIMEOUT_MS = 30 * 60 * 1000
