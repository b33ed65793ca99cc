/**
 * Synthetic data at scale: deterministic, fictional partnerships, people, children and their
 * cases (see bench/seed/*.ts, one generator per table group).
 *
 *   npx tsx bench/seed.ts --children 10000 --seed 1 --database-url postgres://postgres@127.0.0.1:5432/hsb_bench
 *   npx tsx bench/seed.ts --children 2000 --seed 1 --data-dir /tmp/hsb-bench-data      (embedded, up to 10,000)
 *
 * Options: --partnerships P (default one per 25,000 children), --as-of YYYY-MM-DD (default
 * today: ages and clocks are relative to it, so the same seed and date give the same data),
 * --batch N children per transaction, --no-seal (leave the audit rows for the sealer).
 * The database must be migrated or empty (this migrates it); it refuses to seed twice.
 */
import { parseArgs } from 'node:util'
import { createServices } from '../src/composition.js'
import { openDatabase } from '../src/platform/db/connect.js'
import { migrate } from '../src/platform/db/migrate.js'
import { runSeed } from './seed/index.js'
import { BENCH_DB_TIMEOUT_MS, benchConfig } from './support/bench-env.js'

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    partnerships: { type: 'string' },
    'as-of': { type: 'string' },
    batch: { type: 'string' },
    'no-seal': { type: 'boolean', default: false },
  },
})
const children = Number(values.children)
const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL
const dataDir = values['data-dir']
if (!Number.isInteger(children) || children < 1) throw new Error('--children must be a whole number of 1 or more')
if (!databaseUrl && !dataDir) throw new Error('Give --database-url (PostgreSQL) or --data-dir (embedded)')
if (!databaseUrl && children > 10_000) throw new Error('The embedded database is seeded up to 10,000 children; use PostgreSQL for more')
const asOf = values['as-of'] ? new Date(`${values['as-of']}T09:00:00Z`) : new Date(`${new Date().toISOString().slice(0, 10)}T09:00:00Z`)
const partnerships = values.partnerships ? Number(values.partnerships) : Math.max(1, Math.ceil(children / 25_000))

const config = benchConfig({ ...(databaseUrl ? { databaseUrl } : {}), ...(dataDir ? { dataDir } : {}) })
const handle = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: databaseUrl ? undefined : config.dataDir,
  appRole: config.databaseAppRole,
  poolSize: 2,
  timeoutMs: BENCH_DB_TIMEOUT_MS,
})
try {
  await migrate(handle.db, config.databaseAppRole)
  const services = await createServices(config, handle)
  console.log(
    `Seeding ${children.toLocaleString('en-GB')} children in ${partnerships} partnership(s), seed ${values.seed}, as of ${asOf.toISOString().slice(0, 10)}, on ${handle.kind}`,
  )
  const stats = await runSeed(
    services,
    handle.kind,
    {
      children,
      seed: Number(values.seed),
      asOf,
      partnerships,
      ...(values.batch ? { batchSize: Number(values.batch) } : {}),
      seal: !values['no-seal'],
    },
    (line) => console.log(line),
  )
  const total = Object.values(stats.rows).reduce((a, b) => a + b, 0)
  for (const [table, n] of Object.entries(stats.rows)) console.log(`  ${table.padEnd(24)} ${n.toLocaleString('en-GB').padStart(12)}`)
  console.log(
    `Loaded ${total.toLocaleString('en-GB')} rows in ${(stats.ms / 1000).toFixed(1)} s (${Math.round(total / (stats.ms / 1000)).toLocaleString('en-GB')} rows/s, including ${stats.sealed.toLocaleString('en-GB')} audit rows sealed)`,
  )
} finally {
  await handle.close()
}
