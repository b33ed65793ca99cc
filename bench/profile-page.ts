/**
 * Where a page's time goes: runs the app in-process against a benchmark database with every
 * SQL statement timed, signs in, requests a page a few times and prints each statement's time
 * and the total outside the database (rendering, middleware).
 *
 *   npx tsx bench/profile-page.ts --path /cases/<id> [--database-url ...] [--user socialWorker] [--times 5]
 *   npx tsx bench/profile-page.ts --path case        (a case the bench social worker may read)
 */
import { parseArgs } from 'node:util'
import pg from 'pg'
import { pino } from 'pino'
import request from 'supertest'
import { createApp } from '../src/app.js'
import { createServices } from '../src/composition.js'
import { openDatabase } from '../src/platform/db/connect.js'
import { currentTotpCode } from '../src/platform/auth/totp.js'
import { BENCH_DB_TIMEOUT_MS, BENCH_PASSWORD, BENCH_USERS, benchConfig, type BenchUserKey } from './support/bench-env.js'
import { benchFacts } from './support/bench-db.js'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hsb_bench' },
    path: { type: 'string', default: 'case' },
    user: { type: 'string', default: 'socialWorker' },
    times: { type: 'string', default: '5' },
    /** EXPLAIN ANALYZE every statement of the last request slower than this many ms. */
    explain: { type: 'string' },
  },
})
const databaseUrl = values['database-url']!
const config = benchConfig({ databaseUrl })
let log: { sql: string; ms: number; full: string; params: unknown[] }[] = []
// Every statement timed where node-postgres sends it (the app's own handle, unchanged).
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function timed(this: pg.Client, ...args: unknown[]) {
  const t0 = performance.now()
  const result = original.apply(this, args)
  const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '')
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    void (result as Promise<unknown>).then(
      () =>
        log.push({
          sql: text.replace(/\s+/g, ' ').slice(0, 140),
          ms: performance.now() - t0,
          full: text,
          params: (args[1] as unknown[]) ?? [],
        }),
      () => {},
    )
  }
  return result
} as typeof pg.Client.prototype.query
const handle = await openDatabase({ databaseUrl, appRole: config.databaseAppRole, poolSize: 4, timeoutMs: BENCH_DB_TIMEOUT_MS })
const db = handle.db
const services = await createServices(config, handle)
const { app } = createApp(config, services, pino({ level: 'silent' }))
const agent = request.agent(app)
const user = BENCH_USERS[values.user as BenchUserKey]
const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
const signInPage = await agent.get('/sign-in')
const step1 = await agent
  .post('/sign-in')
  .type('form')
  .send({ _csrf: csrf(signInPage.text), email: user.email, password: BENCH_PASSWORD })
if (step1.status !== 302) throw new Error(`password step failed (${step1.status})`)
const codePage = await agent.get('/sign-in/code')
const signed = await agent
  .post('/sign-in/code')
  .type('form')
  .send({ _csrf: csrf(codePage.text), code: await currentTotpCode(user.totpSecret) })
if (signed.status !== 302) throw new Error(`sign-in failed (${signed.status}): a code used in the last 30 s? try again shortly`)
let path = values.path!
if (path === 'case') path = `/cases/${(await benchFacts({ databaseUrl })).readableCaseIds[0]}`
for (let i = 0; i < Number(values.times); i++) {
  log = []
  const t0 = performance.now()
  const res = await agent.get(path)
  const total = performance.now() - t0
  const inDb = log.reduce((s, q) => s + q.ms, 0)
  console.log(
    `\n${path}: ${res.status} in ${total.toFixed(1)} ms; ${log.length} statements, ${inDb.toFixed(1)} ms waiting on the database; ${(total - inDb).toFixed(1)} ms elsewhere`,
  )
  if (i === Number(values.times) - 1) for (const q of log) console.log(`  ${q.ms.toFixed(1).padStart(7)} ms  ${q.sql}`)
}
if (values.explain) {
  const slow = log.filter((q) => q.ms >= Number(values.explain) && /^\s*select/i.test(q.full))
  const c = new pg.Client({ connectionString: databaseUrl })
  await c.connect()
  const facts = await benchFacts({ databaseUrl })
  for (const q of slow) {
    await c.query('BEGIN')
    await c.query(`SET LOCAL ROLE ${config.databaseAppRole}`)
    await c.query("SELECT set_config('app.partnership_id', $1, true)", [facts.partnershipId])
    const plan = (await original.call(c, `EXPLAIN (ANALYZE, BUFFERS) ${q.full}`, q.params)) as pg.QueryResult<Record<string, string>>
    await c.query('ROLLBACK')
    console.log(`\n${q.full}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`)
  }
  await c.end()
}
await db.destroy()
