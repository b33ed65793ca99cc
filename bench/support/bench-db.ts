import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase } from '../../src/platform/db/connect.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { createServices } from '../../src/composition.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { runSeed } from '../seed/index.js'
import { BENCH_DB_TIMEOUT_MS, benchConfig, BENCH_USERS } from './bench-env.js'

/**
 * The benchmark's own PostgreSQL database (never the tests' or the app's): created and seeded
 * when missing, and the facts a benchmark needs from it (scale, the cases a user may read).
 */
export function adminUrlOf(databaseUrl: string): { admin: string; name: string } {
  const url = new URL(databaseUrl)
  const name = url.pathname.slice(1)
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name: ${name}`)
  url.pathname = '/postgres'
  return { admin: url.toString(), name }
}

export async function databaseExists(databaseUrl: string): Promise<boolean> {
  const { admin, name } = adminUrlOf(databaseUrl)
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
  } finally {
    await c.end()
  }
}

export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const { admin, name } = adminUrlOf(databaseUrl)
  if (!name.startsWith('hsb_bench') && !name.startsWith('hsb_fault'))
    throw new Error(`refusing to drop ${name}: benchmark databases are named hsb_bench* or hsb_fault*`)
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${name}`)
  } finally {
    await c.end()
  }
}

/** Seeds (PostgreSQL URL or embedded folder) with N children, logging as it goes. */
export async function seedInto(
  target: { databaseUrl?: string; dataDir?: string },
  children: number,
  seed: number,
  log: (s: string) => void,
) {
  const config = benchConfig(target)
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: target.dataDir ? config.dataDir : undefined,
    appRole: config.databaseAppRole,
    poolSize: 2,
    timeoutMs: BENCH_DB_TIMEOUT_MS,
  })
  try {
    await migrate(handle.db, config.databaseAppRole)
    const services = await createServices(config, handle)
    const asOf = new Date(`${new Date().toISOString().slice(0, 10)}T09:00:00Z`)
    return await runSeed(services, handle.kind, { children, seed, asOf, partnerships: Math.max(1, Math.ceil(children / 25_000)) }, log)
  } finally {
    await handle.close()
  }
}

export type BenchFacts = { children: number; readableCaseIds: string[]; partnershipId: string }

/** How many children, and (a sample of) the cases the bench social worker may read. */
export async function benchFacts(target: { databaseUrl?: string; dataDir?: string }, sample = 2000): Promise<BenchFacts> {
  const config = benchConfig(target)
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: target.dataDir ? config.dataDir : undefined,
    appRole: config.databaseAppRole,
    poolSize: 1,
    timeoutMs: BENCH_DB_TIMEOUT_MS,
  })
  try {
    return await transaction(handle.db, 'system', async (trx) => {
      const user = await sql<{
        id: string
        partnershipId: string
      }>`SELECT id, partnership_id FROM app_user WHERE email = ${BENCH_USERS.socialWorker.email}`.execute(trx)
      const u = user.rows[0]
      if (!u) throw new Error('no bench social worker in this database: seed it first (bench/seed.ts)')
      const n = await sql<{ n: string }>`SELECT count(*)::text AS n FROM child`.execute(trx)
      const ids = await sql<{ id: string }>`
        SELECT k.id FROM hsb_case k JOIN child c ON c.id = k.child_id
        WHERE NOT c.is_restricted AND EXISTS (
          SELECT 1 FROM child_involvement i WHERE i.child_id = c.id AND i.ended_at IS NULL
            AND (i.user_id = ${u.id} OR i.team_id IN (SELECT team_id FROM team_member WHERE user_id = ${u.id})))
        ORDER BY md5(k.id::text) LIMIT ${sample}`.execute(trx)
      return { children: Number(n.rows[0]!.n), readableCaseIds: ids.rows.map((r) => r.id), partnershipId: u.partnershipId }
    })
  } finally {
    await handle.close()
  }
}

/** One statement on its own connection (the benchmarks' set-up and checks, outside the service). */
export async function queryOnce<T extends pg.QueryResultRow>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    return (await c.query<T>(text, params)).rows
  } finally {
    await c.end()
  }
}
