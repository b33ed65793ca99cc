/**
 * Fault drill: acknowledged writes survive a crash. Sends requests for support (each with its
 * own idempotency key, so the client knows exactly which record it asked for) with many in
 * flight, kills a process with SIGKILL part-way, restarts it, and counts:
 *   - acknowledged writes lost: the server answered 302 but the request is not in the database (goal 0)
 *   - unaudited rows: a request for support whose case has no 'case:OPEN' audit row or no OPEN
 *     history event (goal 0), over every request the run created, acknowledged or not
 *   - the audit hash chain verifies after the restart.
 *
 *   npx tsx scripts/fault-writes.ts --kill node      [--writes 1000 --in-flight 100 --rounds 3]
 *   npx tsx scripts/fault-writes.ts --kill postgres --database-url postgres://postgres@127.0.0.1:5433/hsb_fault \
 *        --pg-restart "scripts/fault-pg-cluster.sh restart" --pg-pid-file /tmp/hsb-fault-pg/data/postmaster.pid
 *   npx tsx scripts/fault-writes.ts --kill none      (a control run: nothing killed)
 *
 * The last line printed is `RESULT {json}` for scripts and tests (test/faults/crash-drills.test.ts):
 * the totals (acknowledged, lost, unaudited, chainOk, exits) and each round's figures, with how
 * many writes were acknowledged and how many were in flight when the process was killed.
 *
 * kill node: the app server (a child process on PostgreSQL) is killed and started again.
 * kill postgres: the postmaster and its backends are killed (a throwaway cluster only: see
 * scripts/fault-kill-postgres.sh), the cluster restarted (crash recovery), the app left running.
 */
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { execSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { BENCH_PASSWORD, BENCH_USERS, benchServerEnv } from '../bench/support/bench-env.js'
import { databaseExists, recreateDatabase, seedInto } from '../bench/support/bench-db.js'
import { signInOverHttp, type Session } from '../bench/support/http-session.js'
import { startProcess, waitFor, type Running } from '../bench/support/server.js'

const say = (text: string) => process.stdout.write(`${text}\n`)

const { values } = parseArgs({
  options: {
    kill: { type: 'string', default: 'node' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hsb_fault_node' },
    writes: { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    port: { type: 'string', default: '3295' },
    'pg-pid-file': { type: 'string' },
    'pg-restart': { type: 'string' },
    recreate: { type: 'boolean', default: false },
    /** The embedded default instead: the app on PGlite in this folder (kill node only). */
    embedded: { type: 'string' },
    /** The app's log level; anything but 'fatal' prints the app's log (JSON lines) with this drill's output. */
    'app-log': { type: 'string', default: 'fatal' },
  },
})
const kill = values.kill as 'node' | 'postgres' | 'none'
const databaseUrl = values['database-url']!
const writes = Number(values.writes)
const inFlight = Number(values['in-flight'])
const rounds = Number(values.rounds)
const port = Number(values.port)
const embedded = values.embedded
const appLog = values['app-log']!
const env = { ...benchServerEnv({ port, ...(embedded ? { dataDir: embedded } : { databaseUrl }) }), LOG_LEVEL: appLog }
const quiet = appLog === 'fatal'

/** Runs SQL as the owner: PostgreSQL directly; the embedded folder only while the server is stopped. */
async function ownerQuery<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  if (embedded) {
    const { PGlite } = await import('@electric-sql/pglite')
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
    const lite = await PGlite.create({ dataDir: `${embedded}/pgdata`, extensions: { pg_trgm } })
    try {
      return (await lite.query<T>(text, params)).rows
    } finally {
      await lite.close()
    }
  }
  const c = new pg.Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    return (await c.query<T>(text, params)).rows
  } finally {
    await c.end()
  }
}

if (embedded) {
  if (kill !== 'node' && kill !== 'none') throw new Error('the embedded database runs inside the app: --kill node only')
  if (values.recreate || !existsSync(embedded)) {
    await rm(embedded, { recursive: true, force: true })
    await seedInto({ dataDir: embedded }, 200, 1, () => {})
  }
} else if (values.recreate || !(await databaseExists(databaseUrl))) {
  await recreateDatabase(databaseUrl)
  await seedInto({ databaseUrl }, 200, 1, () => {})
}
const children = (await ownerQuery<{ id: string }>('SELECT id FROM child ORDER BY id LIMIT 200')).map((r) => r.id)

const nodeArgs: string[] = []
let app: Running = await startProcess('src/server.ts', env, { port, nodeArgs, quiet })
let appCrashes = 0
const session: Session = await signInOverHttp(app.baseUrl, BENCH_USERS.socialWorker, BENCH_PASSWORD)

function form(key: string): string {
  return new URLSearchParams([
    ['_csrf', session.csrf],
    ['received-day', '2'],
    ['received-month', '3'],
    ['received-year', '2026'],
    ['received-time', '09:15'],
    ['what-happened', 'Fictional account sent by the crash drill.'],
    ['contexts', 'SCHOOL'],
    ['sharing-basis', 'CONSENT'],
    ['consent-sought', 'yes'],
    ['open-case', 'no'],
    ['idempotency-key', key],
  ]).toString()
}

type Outcome = { key: string; acked: boolean; status: number | null; cause?: string }

async function oneWrite(key: string): Promise<Outcome> {
  const child = children[Math.floor(Math.random() * children.length)]!
  try {
    const res = await fetch(`${app.baseUrl}/children/${child}/request-for-support`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(key),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    })
    await res.arrayBuffer()
    return { key, acked: res.status === 302 && /^\/cases\//.test(res.headers.get('location') ?? ''), status: res.status }
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; message?: string } }
    return { key, acked: false, status: null, cause: e.cause?.code ?? e.cause?.message ?? e.name ?? 'error' }
  }
}

/** The postmaster's children (backends and auxiliary processes): of this cluster only, whatever its name. */
function childrenOf(pid: number): number[] {
  return execSync(`ps -o pid= --ppid ${pid} || true`)
    .toString()
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter(Boolean)
}

async function killPostgres(): Promise<void> {
  const pidFile = values['pg-pid-file']
  if (!pidFile) throw new Error('--kill postgres needs --pg-pid-file (of a throwaway cluster)')
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0])
  const backends = childrenOf(pid)
  process.kill(pid, 'SIGKILL')
  for (const b of backends) {
    try {
      process.kill(b, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

type RoundReport = {
  round: number
  sent: number
  acked: number
  failed: number
  lost: number
  unaudited: number
  chainOk: boolean
  recoveryMs: number
  /** Whether the process was killed this round, and the writes acknowledged / still in flight at that moment. */
  killed: boolean
  ackedAtKill: number | null
  inFlightAtKill: number | null
  /** How the writes were answered: HTTP status (a 302 to the case is an acknowledgement) or 'none' (no answer), and why none. */
  statuses: Record<string, number>
  noAnswer: Record<string, number>
}

async function round(n: number): Promise<RoundReport> {
  const keys = Array.from({ length: writes }, () => randomUUID())
  const outcomes: Outcome[] = []
  let next = 0
  let killed = false
  let ackedAtKill: number | null = null
  let inFlightAtKill: number | null = null
  // Kill somewhere between a fifth and a half of the way through (none: never).
  const killAfter = kill === 'none' ? Infinity : Math.floor(writes * (0.2 + Math.random() * 0.3))
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!
      outcomes.push(await oneWrite(key))
      const ackedSoFar = outcomes.filter((o) => o.acked).length
      if (!killed && ackedSoFar >= killAfter) {
        killed = true
        ackedAtKill = ackedSoFar
        inFlightAtKill = next - outcomes.length
        if (kill === 'node') {
          if (app.child.exitCode !== null || app.child.signalCode !== null) appCrashes++ // it had died on its own
          app.child.kill('SIGKILL')
        } else await killPostgres()
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  const restartAt = Date.now()
  if (kill === 'node') {
    app = await startProcess('src/server.ts', env, { port, nodeArgs, quiet })
  } else if (kill === 'postgres') {
    execSync(values['pg-restart']!, { stdio: 'inherit' })
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      // The app did not survive PostgreSQL's death: say so, and start it again to count.
      appCrashes++
      say(`  the app process exited (code ${app.child.exitCode}) when PostgreSQL died; starting it again`)
      app = await startProcess('src/server.ts', env, { port, nodeArgs, quiet })
    } else {
      await waitFor(`${app.baseUrl}/health`, Date.now() + 60_000)
    }
  }
  const recoveryMs = killed ? Date.now() - restartAt : 0
  // Count, as the database owner, across every key sent (embedded: with the server stopped).
  if (embedded) await app.stop()
  const found = await ownerQuery<{ key: string; case_id: string; audited: boolean; evented: boolean }>(
    `SELECT r.idempotency_key AS key, r.case_id,
            EXISTS (SELECT 1 FROM audit_log a WHERE a.record_type = 'case' AND a.record_id = r.case_id::text AND a.action = 'case:OPEN') AS audited,
            EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = r.case_id AND e.action = 'OPEN') AS evented
       FROM request_for_support r WHERE r.idempotency_key = ANY($1::text[])`,
    [keys],
  )
  const present = new Set(found.map((r) => r.key))
  const acked = outcomes.filter((o) => o.acked)
  const lost = acked.filter((o) => !present.has(o.key)).length
  const unaudited = found.filter((r) => !r.audited || !r.evented).length
  let chainOk: boolean
  try {
    const verify = execSync('npx tsx src/cli/index.ts verify-audit --seal', {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString()
    chainOk = /^OK:/m.test(verify)
  } catch {
    chainOk = false // exit 1: BROKEN
  }
  if (embedded) app = await startProcess('src/server.ts', env, { port, nodeArgs, quiet })
  const statuses: Record<string, number> = {}
  const noAnswer: Record<string, number> = {}
  for (const o of outcomes) {
    statuses[o.status ?? 'none'] = (statuses[o.status ?? 'none'] ?? 0) + 1
    if (o.cause) noAnswer[o.cause] = (noAnswer[o.cause] ?? 0) + 1
  }
  return {
    round: n,
    sent: keys.length,
    acked: acked.length,
    failed: keys.length - acked.length,
    lost,
    unaudited,
    chainOk,
    recoveryMs,
    killed,
    ackedAtKill,
    inFlightAtKill,
    statuses,
    noAnswer,
  }
}

const reports: RoundReport[] = []
try {
  for (let r = 1; r <= rounds; r++) {
    const rep = await round(r)
    reports.push(rep)
    say(
      `round ${r}: sent ${rep.sent}, acknowledged ${rep.acked}, not acknowledged ${rep.failed}; ` +
        `acknowledged but lost ${rep.lost}; rows without audit/history ${rep.unaudited}; audit chain ${rep.chainOk ? 'OK' : 'BROKEN'}; back in ${rep.recoveryMs} ms`,
    )
  }
} finally {
  await app.stop()
}
const lost = reports.reduce((s, r) => s + r.lost, 0)
const unaudited = reports.reduce((s, r) => s + r.unaudited, 0)
const broken = reports.filter((r) => !r.chainOk).length
say(
  `\nkill ${kill}: ${rounds} rounds of ${writes} writes: acknowledged writes lost ${lost} (goal 0), unaudited rows ${unaudited} (goal 0), broken chains ${broken}${kill === 'postgres' ? `, app process crashes ${appCrashes}` : ''}`,
)
const ok = lost === 0 && unaudited === 0 && broken === 0
say(
  'RESULT ' +
    JSON.stringify({
      drill: 'writes',
      kill,
      database: embedded ? 'embedded' : 'postgresql',
      writes,
      inFlight,
      acknowledged: reports.reduce((s, r) => s + r.acked, 0),
      lost,
      unaudited,
      chainOk: broken === 0,
      exits: appCrashes,
      ok,
      rounds: reports,
    }),
)
process.exit(ok ? 0 : 1)
