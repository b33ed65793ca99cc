/**
 * Load and soak: simulated users at a fixed arrival rate (an open model, bench/support/open-load.ts)
 * doing 70% reads (case page, my work, chronology), 15% searches (find a child), 10% writes (a
 * chronology entry) and 5% exports (the chronology PDF), for a given time. Reports the error rate,
 * p50/p95/p99 overall and per kind, and memory growth (RSS after the first tenth of the run
 * against the end), and writes the "load-soak" section of bench/RESULTS.md.
 *
 *   npx tsx bench/load-soak.ts                              (500 users, 200 req/s, 10 minutes)
 *   npx tsx bench/load-soak.ts --seconds 60 --rate 100      (a quick look)
 *
 * Needs the benchmark database (bench/pages.ts or bench/seed.ts create it). Every simulated user
 * is a session of its own (copies of the bench social worker's signed-in session: the seed's
 * other people have no passwords), reading the cases that person may read.
 */
import { parseArgs } from 'node:util'
import { londonDate } from '../src/platform/clocks/london-time.js'
import { benchFacts, databaseExists } from './support/bench-db.js'
import { BENCH_PASSWORD, BENCH_SESSION_SECRET, BENCH_USERS, benchServerEnv } from './support/bench-env.js'
import { csrfIn, signInOverHttp } from './support/http-session.js'
import { machineLine, writeSection } from './support/machine.js'
import { runOpenLoad, standardMix } from './support/open-load.js'
import { rssMb, startProcess } from './support/server.js'
import { cloneSessions } from './support/sessions.js'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hsb_bench' },
    users: { type: 'string', default: '500' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '600' },
    port: { type: 'string', default: '3296' },
  },
})
const databaseUrl = values['database-url']!
const users = Number(values.users)
const rate = Number(values.rate)
const seconds = Number(values.seconds)
const port = Number(values.port)
const log = (s: string) => console.log(s)

if (!(await databaseExists(databaseUrl)))
  throw new Error('no benchmark database: run `npx tsx bench/pages.ts --children 10000` (or bench/seed.ts) first')
const facts = await benchFacts({ databaseUrl })
const machine = await machineLine(databaseUrl)
const app = await startProcess(
  'src/server.ts',
  { ...benchServerEnv({ port, databaseUrl }), NODE_ENV: 'production', SECURE_COOKIES: 'false' },
  { port },
)
log(
  `app started in ${app.startupMs} ms; ${facts.children.toLocaleString('en-GB')} children; ${users} users at ${rate} req/s for ${seconds} s`,
)
try {
  const session = await signInOverHttp(app.baseUrl, BENCH_USERS.socialWorker, BENCH_PASSWORD)
  const cookies = await cloneSessions(databaseUrl, session.cookie, BENCH_SESSION_SECRET, users)
  // The CSRF token lives in the session's data, which every copy shares.
  const page = await fetch(`${app.baseUrl}/children/search`, { headers: { cookie: cookies[0]! } })
  const csrf = csrfIn(await page.text())
  const [year, month, day] = londonDate(new Date()).split('-') as [string, string, string]
  const actions = standardMix({
    caseIds: facts.readableCaseIds,
    csrf,
    today: { day: String(Number(day)), month: String(Number(month)), year },
  })

  const rss: { at: number; mb: number }[] = [{ at: 0, mb: await rssMb(app.pid) }]
  const result = await runOpenLoad({
    baseUrl: app.baseUrl,
    users,
    rate,
    seconds,
    actions,
    cookieOf: (u) => cookies[u]!,
    onSecond: (s) => {
      void rssMb(app.pid).then((mb) => rss.push({ at: s, mb }))
      if (s % 30 === 0) log(`  ${s} s`)
    },
  })
  const settled = rss.find((r) => r.at >= Math.max(5, seconds / 10)) ?? rss[0]!
  const end = rss[rss.length - 1]!
  const growth = (end.mb - settled.mb) / settled.mb
  const lines = [
    `${result.requests.toLocaleString('en-GB')} requests in ${result.seconds.toFixed(0)} s (${result.achievedRate.toFixed(0)} req/s of ${rate} planned); errors ${result.errors} (${(result.errorRate * 100).toFixed(2)}%); p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms`,
    `RSS ${rss[0]!.mb.toFixed(0)} MB idle, ${settled.mb.toFixed(0)} MB at ${settled.at} s, ${end.mb.toFixed(0)} MB at the end: growth ${(growth * 100).toFixed(1)}% (target < 10%)`,
  ]
  for (const l of lines) log(l)
  for (const k of result.byKind)
    log(
      `  ${k.kind.padEnd(26)} ${String(k.requests).padStart(7)} requests, ${k.errors} errors, p50 ${k.p50.toFixed(0)} ms, p95 ${k.p95.toFixed(0)} ms, p99 ${k.p99.toFixed(0)} ms`,
    )
  if (result.firstErrors.length) log(`first errors:\n  ${result.firstErrors.join('\n  ')}`)
  await writeSection(
    'load-soak',
    `## Load and soak (bench/load-soak.ts)

Measured ${new Date().toISOString()} on ${machine}. ${facts.children.toLocaleString('en-GB')} children; ${users} simulated users (each its own session), ${rate} requests/s planned (open model: latency counts from the planned start), ${seconds} s. Targets: 0 errors, p99 ≤ 500 ms, memory growth < 10%.

${lines.map((l) => `- ${l}`).join('\n')}

| Kind | Requests | Errors | p50 (ms) | p95 (ms) | p99 (ms) |
|---|---|---|---|---|---|
${result.byKind.map((k) => `| ${k.kind} | ${k.requests} | ${k.errors} | ${k.p50.toFixed(0)} | ${k.p95.toFixed(0)} | ${k.p99.toFixed(0)} |`).join('\n')}`,
  )
} finally {
  await app.stop()
}
