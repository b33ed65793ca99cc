/**
 * Dashboard benchmark: each aggregate through the app (the dashboard service: its transaction,
 * the statement, disclosure control and the audit entry) ÷ the same SQL statement run directly
 * with psql, in the same run on the same database. Median of --runs runs after a warm-up.
 *
 *   npx tsx bench/dashboard.ts --children 10000                 (creates and seeds hsb_bench if missing)
 *   npx tsx bench/dashboard.ts --period 2025-26 --runs 7
 *
 * Needs `psql` on the PATH (PostgreSQL client). Writes the "dashboard" section of bench/RESULTS.md.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { createServices } from '../src/composition.js'
import { countsSql, isFigureId } from '../src/features/insight/dashboard.repository.js'
import { DASHBOARD_FIGURES } from '../src/features/insight/dashboard.service.js'
import { openDatabase } from '../src/platform/db/connect.js'
import { transaction } from '../src/platform/db/transaction.js'
import { BENCH_DB_TIMEOUT_MS, benchConfig, BENCH_USERS } from './support/bench-env.js'
import { databaseExists, recreateDatabase, seedInto } from './support/bench-db.js'
import { machineLine, writeSection } from './support/machine.js'

const run = promisify(execFile)
const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hsb_bench' },
    children: { type: 'string' },
    seed: { type: 'string', default: '1' },
    recreate: { type: 'boolean', default: false },
    period: { type: 'string' },
    runs: { type: 'string', default: '5' },
  },
})
const databaseUrl = values['database-url']!
const runs = Number(values.runs)
const log = (s: string) => console.log(s)

if (values.recreate || !(await databaseExists(databaseUrl))) {
  if (!values.children) throw new Error('the benchmark database does not exist: give --children N to create and seed it')
  await recreateDatabase(databaseUrl)
  log(`Seeding ${databaseUrl} with ${values.children} children`)
  await seedInto({ databaseUrl }, Number(values.children), Number(values.seed), log)
}
const machine = await machineLine(databaseUrl)
const config = benchConfig({ databaseUrl })
const handle = await openDatabase({
  databaseUrl: config.databaseUrl,
  appRole: config.databaseAppRole,
  poolSize: 2,
  timeoutMs: BENCH_DB_TIMEOUT_MS,
})
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** A compiled statement with its parameters written in as SQL literals, for psql. */
function inline(compiled: { sql: string; parameters: readonly unknown[] }): string {
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL'
    if (v instanceof Date) return `'${v.toISOString()}'::timestamptz`
    if (typeof v === 'number') return String(v)
    if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(', ')}]`
    return `'${String(v).replaceAll("'", "''")}'`
  }
  return compiled.sql.replace(/\$(\d+)/g, (_m, n: string) => literal(compiled.parameters[Number(n) - 1]))
}

try {
  const services = await createServices(config, handle)
  const userRow = await transaction(handle.db, 'system', (trx) =>
    sql<{ id: string }>`SELECT id FROM app_user WHERE email = ${BENCH_USERS.hsbLead.email}`.execute(trx),
  )
  const actor = await services.auth.currentUser(userRow.rows[0]!.id)
  if (!actor) throw new Error('no bench HSB lead: seed the database first')
  const parsed = await services.insight.service.dashboard.parse(actor, values.period ? { period: values.period } : {})
  if (!parsed.ok) throw new Error(`bad period: ${JSON.stringify(parsed.errors)}`)
  const q = parsed.value
  const children = (await transaction(handle.db, 'system', (trx) => sql<{ n: string }>`SELECT count(*)::text AS n FROM child`.execute(trx)))
    .rows[0]!.n
  log(`${Number(children).toLocaleString('en-GB')} children; ${q.period.label}, as at ${q.asAt}; ${runs} runs each`)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hsb-dashboard-bench-'))
  const rows: string[] = []
  try {
    for (const id of DASHBOARD_FIGURES) {
      if (!isFigureId(id)) continue
      // Through the app.
      const appMs: number[] = []
      await services.insight.service.dashboard.view(actor, q, { figureIds: [id] })
      for (let i = 0; i < runs; i++) {
        const start = performance.now()
        await services.insight.service.dashboard.view(actor, q, { figureIds: [id] })
        appMs.push(performance.now() - start)
      }
      // The same statement with psql: \timing reports each execution's time as the client sees it.
      const statement = inline(countsSql(id, { partnershipId: actor.partnershipId, q }).compile(handle.db))
      const file = path.join(dir, `${id}.sql`)
      await writeFile(file, `\\timing on\n${Array.from({ length: runs + 1 }, () => `${statement};`).join('\n')}\n`)
      const { stdout } = await run('psql', ['-X', '-q', '-o', '/dev/null', '-d', databaseUrl, '-f', file], { maxBuffer: 64 * 1024 * 1024 })
      const times = [...stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1])).slice(1)
      if (times.length !== runs) throw new Error(`psql gave ${times.length} timings for ${id}: ${stdout.slice(0, 300)}`)
      const a = median(appMs)
      const p = median(times)
      log(`${id.padEnd(24)} app ${a.toFixed(1).padStart(8)} ms   psql ${p.toFixed(1).padStart(8)} ms   ratio ${(a / p).toFixed(2)}`)
      rows.push(`| ${id} | ${a.toFixed(1)} | ${p.toFixed(1)} | ${(a / p).toFixed(2)} |`)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  await writeSection(
    `dashboard-${children}`,
    `## Dashboard aggregates (bench/dashboard.ts, ${Number(children).toLocaleString('en-GB')} children)

Measured ${new Date().toISOString()} on ${machine}. ${Number(children).toLocaleString('en-GB')} children; ${q.period.label}, as at ${q.asAt}; median of ${runs} runs after one warm-up.
"App" is the dashboard service for one figure (a transaction for the threshold and the audit entry, a transaction with the row-level-security scope for the aggregate, disclosure control); "psql" the same aggregate statement run directly, its values written in as literals, as the database owner. Ratio = app ÷ psql (target ≤ 2). A ratio below 1 means PostgreSQL planned the literal statement differently (and slower) than the app's parameterised one; for sub-millisecond aggregates the ratio is the app's fixed cost per view (two transactions), not the query.

| Figure | App (ms) | psql (ms) | Ratio |
|---|---|---|---|
${rows.join('\n')}`,
  )
} finally {
  await handle.close()
}
