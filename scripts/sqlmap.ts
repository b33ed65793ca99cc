/**
 * Runs sqlmap against the app (started here on the benchmark database) with a signed-in
 * session cookie. Targets: the queues' query strings, the notifications page, the child search
 * form, the clock-reason form. Prints each target's verdict and the count of injectable
 * parameters; exits 1 if any.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_PASSWORD, BENCH_USERS, benchServerEnv } from '../bench/support/bench-env.js'
import { benchFacts, databaseExists, recreateDatabase, seedInto } from '../bench/support/bench-db.js'
import { signInOverHttp } from '../bench/support/http-session.js'
import { startProcess } from '../bench/support/server.js'

const say = (text: string) => process.stdout.write(`${text}\n`)

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hsb_bench' }, port: { type: 'string', default: '3299' } } })
const databaseUrl = values['database-url']!
if (!(await databaseExists(databaseUrl))) {
  await recreateDatabase(databaseUrl)
  await seedInto({ databaseUrl }, 1000, 1, () => {})
}
const facts = await benchFacts({ databaseUrl })
const port = Number(values.port)
const app = await startProcess('src/server.ts', { ...benchServerEnv({ port, databaseUrl }), LOG_LEVEL: 'fatal' }, { port })
const out = await mkdtemp(path.join(tmpdir(), 'hsb-sqlmap-'))
let injectable = 0
try {
  const session = await signInOverHttp(app.baseUrl, BENCH_USERS.socialWorker, BENCH_PASSWORD)
  const caseId = facts.readableCaseIds[0]!
  const base = app.baseUrl
  const targets: { label: string; args: string[] }[] = [
    { label: 'GET /work?status&sort&meetings-page', args: ['-u', `${base}/work?status=REFERRED&sort=urgency&meetings-page=1`] },
    { label: 'GET /work/front-door?status&sort', args: ['-u', `${base}/work/front-door?status=REFERRED&sort=oldest`] },
    { label: 'GET /notifications?page', args: ['-u', `${base}/notifications?page=1`] },
    {
      label: 'POST /children/search',
      args: ['-u', `${base}/children/search`, '--data', `_csrf=${session.csrf}&given-names=Ava&family-name=Patel&date-of-birth-day=1&date-of-birth-month=2&date-of-birth-year=2014&nhs-number=&upn=`, '--skip', '_csrf'],
    },
    {
      label: 'POST /cases/:caseId/clocks/:kind/reason',
      args: ['-u', `${base}/cases/${caseId}/clocks/REFERRAL_DECISION/reason`, '--data', `_csrf=${session.csrf}&reason=Waiting+for+school`, '--skip', '_csrf'],
    },
  ]
  const level = values.quick ? ['--level', '1', '--risk', '1', '--technique', 'BE'] : ['--level', '3', '--risk', '2']
  for (const t of targets) {
    let text = ''
    try {
      text = execFileSync('sqlmap', [...t.args, '--batch', '--cookie', session.cookie, '--output-dir', out, '--flush-session', '--disable-coloring', '--dbms', 'PostgreSQL', ...level, '--timeout', '10', '--retries', '1', '--threads', '2'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
    } catch (err) {
      text = String((err as { stdout?: string }).stdout ?? '')
    }
    const found = [...text.matchAll(/Parameter: (\S+) \(/g)].map((m) => m[1]!)
    injectable += found.length
    const verdict = found.length ? `INJECTABLE: ${found.join(', ')}` : /all tested parameters do not appear to be injectable/.test(text) ? 'no injectable parameters' : 'inconclusive (see sqlmap output)'
    say(`${t.label.padEnd(42)} ${verdict}`)
  }
} finally {
  await app.stop()
  await rm(out, { recursive: true, force: true })
}
say(`\nsqlmap: ${injectable} injectable parameters (goal 0)`)
process.exit(injectable === 0 ? 0 : 1)
