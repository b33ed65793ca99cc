/**
 * Fault drill (e): PostgreSQL paused (SIGSTOP on the postmaster and every backend of a
 * THROWAWAY cluster), as a hung database server or a network partition looks to the app.
 * Goal: every request answers 503 within 5 seconds; nothing is served unchecked (no 200 while
 * the database cannot audit the read); the service answers 200 again soon after SIGCONT.
 *
 *   scripts/fault-pause-postgres.sh        (creates the cluster on port 5433, runs this, removes it)
 *   FAULT_PG_PORT=5434 FAULT_PG_DIR=/tmp/hsb-fault-pause scripts/fault-pause-postgres.sh --port 3394 --pause-seconds 12
 *
 * The last line printed is `RESULT {json}` for scripts and tests (test/faults/crash-drills.test.ts):
 * every request's status and time before, during and after the pause, served unchecked, and how
 * long the service took to answer 200 again after SIGCONT.
 */
import { readFile } from 'node:fs/promises'
import { execSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { BENCH_PASSWORD, BENCH_USERS, benchServerEnv } from '../bench/support/bench-env.js'
import { recreateDatabase, seedInto } from '../bench/support/bench-db.js'
import { signInOverHttp } from '../bench/support/http-session.js'
import { startProcess } from '../bench/support/server.js'

const say = (text: string) => process.stdout.write(`${text}\n`)

const { values } = parseArgs({
  options: {
    // The throwaway cluster of scripts/fault-pg-cluster.sh (FAULT_PG_PORT, FAULT_PG_DIR).
    'database-url': { type: 'string', default: `postgres://postgres@127.0.0.1:${process.env.FAULT_PG_PORT ?? '5433'}/hsb_fault_pause` },
    'pg-pid-file': { type: 'string', default: `${process.env.FAULT_PG_DIR ?? '/tmp/hsb-fault-pg'}/data/postmaster.pid` },
    'pause-seconds': { type: 'string', default: '12' },
    port: { type: 'string', default: '3297' },
  },
})
const databaseUrl = values['database-url']!
// This drill pauses the whole cluster: only the throwaway one, and the URL must be that cluster's.
const throwawayPort = process.env.FAULT_PG_PORT ?? '5433'
const urlPort = new URL(databaseUrl).port || '5432'
if ((urlPort !== throwawayPort || urlPort === '5432') && !process.env.FAULT_PG_ANY_PORT) {
  throw new Error(`this drill pauses the whole cluster: use the throwaway one on port ${throwawayPort} (scripts/fault-pg-cluster.sh)`)
}
const pidFileLines = (await readFile(values['pg-pid-file']!, 'utf8')).split('\n')
if (pidFileLines[3] !== urlPort) throw new Error(`${values['pg-pid-file']} is the postmaster of port ${pidFileLines[3]}, not ${urlPort}`)
const port = Number(values.port)
await recreateDatabase(databaseUrl)
await seedInto({ databaseUrl }, 100, 1, () => {})
const c = new pg.Client({ connectionString: databaseUrl })
await c.connect()
const caseId = (
  await c.query<{ id: string }>(
    `SELECT k.id FROM hsb_case k JOIN child_involvement i ON i.child_id = k.child_id
  JOIN team_member m ON m.team_id = i.team_id JOIN app_user u ON u.id = m.user_id WHERE u.email = $1 AND i.ended_at IS NULL LIMIT 1`,
    [BENCH_USERS.socialWorker.email],
  )
).rows[0]!.id
await c.end()

const nodeArgs: string[] = []
const app = await startProcess('src/server.ts', { ...benchServerEnv({ port, databaseUrl }), LOG_LEVEL: 'fatal' }, { port, nodeArgs })
const session = await signInOverHttp(app.baseUrl, BENCH_USERS.socialWorker, BENCH_PASSWORD)
const probes: { label: string; path: string; auth: boolean }[] = [
  { label: 'health', path: '/health', auth: false },
  { label: 'case page', path: `/cases/${caseId}`, auth: true },
  { label: 'my work', path: '/work', auth: true },
  { label: 'sign-in page', path: '/sign-in', auth: false },
]
type Probe = { label: string; status: number | 'no answer'; ms: number }
async function probe(p: (typeof probes)[number], timeoutMs: number): Promise<Probe> {
  const t0 = Date.now()
  try {
    const res = await fetch(app.baseUrl + p.path, {
      headers: p.auth ? { cookie: session.cookie } : {},
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    await res.arrayBuffer()
    return { label: p.label, status: res.status, ms: Date.now() - t0 }
  } catch {
    return { label: p.label, status: 'no answer', ms: Date.now() - t0 }
  }
}
/** The postmaster and its children (backends and auxiliary processes): of this cluster only, whatever its name. */
const pids = async () => {
  const pid = Number((await readFile(values['pg-pid-file']!, 'utf8')).split('\n')[0])
  return [
    pid,
    ...execSync(`ps -o pid= --ppid ${pid} || true`)
      .toString()
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter(Boolean),
  ]
}
const signal = async (sig: NodeJS.Signals) => {
  for (const pid of await pids()) {
    try {
      process.kill(pid, sig)
    } catch {
      // gone
    }
  }
}

let failures = 0
let servedUnchecked = 0
let before: Probe[] = []
const during: (Probe & { ok: boolean })[] = []
let back: Probe[] = []
let recoveredMs: number | null = null
let pausedMs = 0
try {
  before = await Promise.all(probes.map((p) => probe(p, 5000)))
  say('before the pause: ' + before.map((b) => `${b.label} ${b.status}`).join(', '))
  await signal('SIGSTOP')
  const pausedAt = Date.now()
  say(`PostgreSQL paused (SIGSTOP) for ${values['pause-seconds']} s`)
  // Two waves: one at once, one after 5 s (pool connections already stuck by then).
  const wave = () => Promise.all(probes.map((p) => probe(p, Number(values['pause-seconds']) * 1000 - 1000)))
  const first = wave()
  await new Promise((r) => setTimeout(r, 5000))
  const second = wave()
  for (const d of [...(await first), ...(await second)]) {
    const ok = d.status === 503 && d.ms <= 5000
    const unchecked = d.status === 200 && d.label !== 'sign-in page'
    if (!ok) failures++
    if (unchecked) servedUnchecked++
    during.push({ ...d, ok })
    say(
      `  during: ${d.label.padEnd(13)} ${String(d.status).padEnd(10)} after ${d.ms} ms ${ok ? 'OK' : unchecked ? 'FAIL: served while the database could not audit it' : 'FAIL: not a 503 within 5 s'}`,
    )
  }
  await signal('SIGCONT')
  const resumed = Date.now()
  pausedMs = resumed - pausedAt
  for (;;) {
    back = await Promise.all(probes.map((p) => probe(p, 5000)))
    if (back.every((b) => b.status === 200) || Date.now() - resumed > 60_000) break
    await new Promise((r) => setTimeout(r, 250))
  }
  const recovered = back.every((b) => b.status === 200)
  if (!recovered) failures++
  else recoveredMs = Date.now() - resumed
  say(
    `after SIGCONT: ${back.map((b) => `${b.label} ${b.status}`).join(', ')}; ${recovered ? `recovered in ${recoveredMs} ms` : 'NOT recovered in 60 s'}`,
  )
} finally {
  await signal('SIGCONT')
  await app.stop()
}
say(
  `\nSIGSTOP drill: ${failures === 0 ? 'every request answered 503 within 5 s and the service recovered' : `${failures} failures`}; served unchecked (fail-open) ${servedUnchecked}`,
)
say(
  'RESULT ' +
    JSON.stringify({
      drill: 'pause',
      pauseSeconds: Number(values['pause-seconds']),
      pausedMs,
      before,
      during,
      servedUnchecked,
      failures,
      recovered: recoveredMs !== null,
      recoveredMs,
      after: back,
      ok: failures === 0,
    }),
)
process.exit(failures === 0 ? 0 : 1)
