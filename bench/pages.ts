/**
 * Page benchmark: the app's pages under 1, 8, 32 and 64 concurrent clients (autocannon), each
 * as a ratio of the floor server's throughput measured in the same run on the same database.
 * Also the footprint: start-up time, RSS at idle and the peak under load.
 *
 *   npx tsx bench/pages.ts --children 10000                  (PostgreSQL: creates and seeds hsb_bench if missing)
 *   npx tsx bench/pages.ts --children 100000 --recreate --seconds 20
 *   npx tsx bench/pages.ts --embedded --data-dir /tmp/hsb-bench-embedded --children 10000 --pages case
 *
 * Options: --database-url (default postgres://postgres@127.0.0.1:5432/hsb_bench), --seed S,
 * --seconds per run (default 10), --connections 1,8,32,64, --pages case,my-work,front-door,dashboard.
 */
import { execFile } from 'node:child_process'
import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import { BENCH_PASSWORD, BENCH_SESSION_SECRET, BENCH_USERS, benchServerEnv, type BenchUserKey } from './support/bench-env.js'
import { cloneSessions } from './support/sessions.js'
import { benchFacts, databaseExists, recreateDatabase, seedInto, type BenchFacts } from './support/bench-db.js'
import { signInOverHttp } from './support/http-session.js'
import { runLoad, type LoadResult } from './support/load.js'
import { machineLine, writeSection } from './support/machine.js'
import { cpuMs, rssMb, startProcess } from './support/server.js'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hsb_bench' },
    children: { type: 'string' },
    seed: { type: 'string', default: '1' },
    recreate: { type: 'boolean', default: false },
    embedded: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: '/tmp/hsb-bench-embedded' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '1,8,32,64' },
    pages: { type: 'string', default: 'case,my-work,front-door,dashboard' },
    port: { type: 'string', default: '3290' },
    'floor-port': { type: 'string', default: '3291' },
    'no-floor': { type: 'boolean', default: false },
    /** PostgreSQL: WEB_CONCURRENCY for the app (worker processes); the floor stays one process. */
    workers: { type: 'string', default: '1' },
  },
})

/** The pages measured (the dashboard as the HSB lead: unsuppressed, every figure, this financial year). */
type PageTarget = { key: string; label: string; user: BenchUserKey; path: (facts: BenchFacts) => () => string }
const randomOf = (ids: readonly string[]) => () => ids[Math.floor(Math.random() * ids.length)]!
const PAGES: PageTarget[] = [
  {
    key: 'case',
    label: 'Case page',
    user: 'socialWorker',
    path: (f) => {
      const id = randomOf(f.readableCaseIds)
      return () => `/cases/${id()}`
    },
  },
  { key: 'my-work', label: 'My work queue', user: 'socialWorker', path: () => () => '/work' },
  { key: 'front-door', label: 'Front-door queue', user: 'socialWorker', path: () => () => '/work/front-door' },
  { key: 'dashboard', label: 'Dashboard (all figures)', user: 'hsbLead', path: () => () => '/insight' },
]

const databaseUrl = values['database-url']!
const embedded = values.embedded!
const dataDir = values['data-dir']!
const seconds = Number(values.seconds)
const warmup = Number(values.warmup)
const levels = values.connections!.split(',').map(Number)
const wanted = values.pages!.split(',')
const pages = PAGES.filter((p) => wanted.includes(p.key))
const port = Number(values.port)
const floorPort = Number(values['floor-port'])
const log = (s: string) => console.log(s)

// 1. The data.
const target = embedded ? { dataDir } : { databaseUrl }
if (embedded) {
  if (values.recreate || !existsSync(dataDir)) {
    if (!values.children) throw new Error(`no embedded data in ${dataDir}: give --children N to seed it`)
    await import('node:fs/promises').then((fs) => fs.rm(dataDir, { recursive: true, force: true }))
    log(`Seeding ${dataDir} with ${values.children} children (embedded)`)
    await seedInto({ dataDir }, Number(values.children), Number(values.seed), log)
  }
} else if (values.recreate || !(await databaseExists(databaseUrl))) {
  if (!values.children) throw new Error('the benchmark database does not exist: give --children N to create and seed it')
  await recreateDatabase(databaseUrl)
  log(`Seeding ${databaseUrl} with ${values.children} children`)
  await seedInto({ databaseUrl }, Number(values.children), Number(values.seed), log)
}
const facts = await benchFacts(target)
if (values.children && Number(values.children) !== facts.children) {
  throw new Error(`the database holds ${facts.children} children, not ${values.children}: add --recreate to seed it again`)
}
log(`${facts.children.toLocaleString('en-GB')} children; ${facts.readableCaseIds.length} cases the bench social worker may read (sampled)`)
const machine = await machineLine(embedded ? undefined : databaseUrl)

// 2. The servers.
const floorOn = !values['no-floor'] && !embedded
const floor = floorOn
  ? await startProcess('bench/floor-server.ts', { DATABASE_URL: databaseUrl, PORT: String(floorPort) }, { port: floorPort })
  : undefined
const workers = Number(values.workers)
const appEnv = {
  ...benchServerEnv({ port, ...(embedded ? { dataDir } : { databaseUrl }) }),
  NODE_ENV: 'production',
  SECURE_COOKIES: 'false',
  WEB_CONCURRENCY: String(workers),
}
const app = await startProcess('src/server.ts', appEnv, { port }).catch(async (err: unknown) => {
  await floor?.stop()
  throw err
})
log(`app started in ${app.startupMs} ms${workers > 1 ? ` (${workers} worker processes)` : ''}`)
/** The app's processes: itself, and its workers when it has them. */
const appPids = async (): Promise<number[]> => {
  if (workers <= 1) return [app.pid]
  // Workers only: the primary's other child (tsx's esbuild service) is not part of serving pages.
  const out = await new Promise<string>((resolve) =>
    execFile('ps', ['-o', 'pid=,args=', '--ppid', String(app.pid)], (_err, stdout) => resolve(stdout)),
  )
  const workerPids = out
    .split('\n')
    .filter((line) => line.includes('src/server.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
  return [app.pid, ...workerPids.filter(Boolean)]
}
const appCpuMs = async () => (await Promise.all((await appPids()).map((pid) => cpuMs(pid).catch(() => 0)))).reduce((a, b) => a + b, 0)
const appRssMb = async () => (await Promise.all((await appPids()).map((pid) => rssMb(pid).catch(() => 0)))).reduce((a, b) => a + b, 0)
const sessions = new Map<BenchUserKey, string>()
/** PostgreSQL: one session per connection (copies of the signed-in one); embedded: the one session. */
const perConnection = new Map<BenchUserKey, string[]>()
try {
  for (const p of pages) {
    if (!sessions.has(p.user)) sessions.set(p.user, (await signInOverHttp(app.baseUrl, BENCH_USERS[p.user], BENCH_PASSWORD)).cookie)
  }
  // Every page answers 200 before it is measured (a benchmark of error pages measures nothing).
  for (const p of pages) {
    const path = p.path(facts)()
    const res = await fetch(app.baseUrl + path, { headers: { cookie: sessions.get(p.user)! }, redirect: 'manual' })
    if (res.status !== 200) throw new Error(`${p.label} (${path}) answered ${res.status}, not 200`)
  }
  if (!embedded) {
    for (const [user, cookie] of sessions)
      perConnection.set(user, await cloneSessions(databaseUrl, cookie, BENCH_SESSION_SECRET, Math.max(...levels)))
  }
  await new Promise((r) => setTimeout(r, 2000))
  const idleRss = await appRssMb()
  let peakRss = idleRss
  const rssTimer = setInterval(() => void appRssMb().then((mb) => (peakRss = Math.max(peakRss, mb))), 250)

  // 3. The runs: at each level, the floor, then each page.
  const results: { page: string; r: LoadResult; floor: LoadResult | undefined; cpu: number }[] = []
  const floorPath = randomOf(facts.readableCaseIds)
  for (const c of levels) {
    let floorResult: LoadResult | undefined
    if (floor) {
      await runLoad({ url: floor.baseUrl, connections: c, seconds: warmup, path: () => `/floor/cases/${floorPath()}` })
      const cpuBefore = await cpuMs(floor.pid)
      floorResult = await runLoad({ url: floor.baseUrl, connections: c, seconds, path: () => `/floor/cases/${floorPath()}` })
      const cpu = (await cpuMs(floor.pid)) - cpuBefore
      log(`${fmt('Floor', floorResult, undefined)}  floor CPU ${(cpu / Math.max(1, floorResult.requests)).toFixed(2)} ms/request`)
      results.push({ page: 'Floor', r: floorResult, floor: undefined, cpu })
    }
    for (const p of pages) {
      const own = perConnection.get(p.user)
      const opts = {
        url: app.baseUrl,
        connections: c,
        ...(own ? { cookies: own } : { headers: { cookie: sessions.get(p.user)! } }),
        path: p.path(facts),
      }
      await runLoad({ ...opts, seconds: warmup })
      const cpuBefore = await appCpuMs()
      const r = await runLoad({ ...opts, seconds })
      const cpu = (await appCpuMs()) - cpuBefore
      log(`${fmt(p.label, r, floorResult)}  app CPU ${(cpu / Math.max(1, r.requests)).toFixed(2)} ms/request`)
      results.push({ page: p.label, r, floor: floorResult, cpu })
    }
  }
  clearInterval(rssTimer)

  // 4. The report.
  const rows = results.map(
    ({ page, r, floor: f, cpu }) =>
      `| ${page} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.non2xx + r.errors + r.timeouts} | ${f ? f.rps.toFixed(0) : '–'} | ${f ? (r.rps / f.rps).toFixed(2) : '–'} | ${(cpu / Math.max(1, r.requests)).toFixed(2)} |`,
  )
  const body = `## Pages (${embedded ? 'embedded PGlite' : 'PostgreSQL'}, ${facts.children.toLocaleString('en-GB')} children${workers > 1 ? `, the app as ${workers} worker processes` : ''})

Run ${new Date().toISOString()} with \`npx tsx bench/pages.ts ${process.argv.slice(2).join(' ')}\`.
Machine: ${machine}.
Each figure: ${seconds} s of autocannon after ${warmup} s of warm-up, the app started with NODE_ENV=production.
App CPU: user + system time of the app process during the run ÷ requests (from /proc; the figure other work on the machine moves least).
Floor: bench/floor-server.ts (one indexed query, one Nunjucks template) on the same database. ${embedded ? 'One session shared by every connection.' : 'Each connection has its own session.'}${embedded ? ' (No floor for the embedded run: the floor reads PostgreSQL.)' : ''}

| Page | Clients | Requests/s | p50 ms | p95 ms | p99 ms | Not 2xx | Floor requests/s | Ratio to floor | App CPU ms/request |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Footprint: start-up ${app.startupMs} ms (launch to the first 200 from /health, migrations already applied); RSS ${idleRss.toFixed(0)} MB at idle after sign-in, ${peakRss.toFixed(0)} MB at the peak under load.`
  // One section per scale (and per subset of pages), so runs at 10,000, 100,000 and 1,000,000 children sit side by side.
  const subset = (pages.length === PAGES.length ? '' : `-${pages.map((p) => p.key).join('-')}`) + (workers > 1 ? `-workers-${workers}` : '')
  await writeSection(`${embedded ? 'pages-embedded' : 'pages'}-${facts.children}${subset}`, body)
  log(
    `\nstart-up ${app.startupMs} ms; RSS idle ${idleRss.toFixed(0)} MB, peak under load ${peakRss.toFixed(0)} MB. Written to bench/RESULTS.md`,
  )
} finally {
  await app.stop()
  await floor?.stop()
}

function fmt(label: string, r: LoadResult, f: LoadResult | undefined): string {
  const ratio = f ? `  ratio ${(r.rps / f.rps).toFixed(2)}` : ''
  const bad = r.non2xx + r.errors + r.timeouts
  return `${label.padEnd(18)} c=${String(r.connections).padStart(2)}  ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms${bad ? `  NOT 2xx: ${bad}` : ''}${ratio}`
}
