/**
 * sqlmap (Debian's package) against the app, started here on its own benchmark database, with a
 * signed-in session for each target: every route family that takes query-string or form input
 * that reaches SQL (queues and their paging and sorting, notifications, people search, the board's
 * action log, the chronology filter, review reports as at a date, the insight dashboard with every
 * filter, the cases behind a figure, workforce, case factors, the JSNA extract, the child search,
 * case-audit cohorts, forms that save text, and the X-Request-Id header that goes into audit rows).
 *
 *   scripts/sqlmap.sh --quick                 CI: level 2, risk 1, boolean-based, fewer targets
 *   scripts/sqlmap.sh                         full: level 3, risk 2, every technique, more targets
 *   options: --database-url URL (default hsb_bench_sqlmap, created and seeded when missing),
 *            --children N (1000), --port P (3380; the canary uses P+1), --jobs N (3 sqlmap at once),
 *            --only TEXT (targets whose label contains TEXT), --recreate (drop and seed the database
 *            again), --check (sign in and check every target answers, without sqlmap)
 *
 * The database holds the bench seed (bench/seed: the bench social worker, team manager and HSB
 * lead) and the demo partnership (src/demo: a business manager, a system administrator and a
 * board member, with reviews, board actions and case audits). Each target is signed in as a person
 * who may use the page, and is first requested by itself: it must answer 200 (or, for a form
 * that saves, a redirect to a page that answers 200) before sqlmap runs, and again after.
 *
 * Before the app, a canary: a small server in this process with two deliberately injectable
 * parameters, pages like the app's (a nonce per response, a generic 500 page). sqlmap must find
 * both with the same options, or the run fails: "0 injectable" means nothing from options that
 * cannot find an injection. (Level 1 misses the ORDER BY one; in trials it also missed injections
 * shown only as a count, in a LIKE, or only as a 500, and --smart skipped every parameter, as its
 * heuristics look for DBMS error text, which the app never shows.)
 *
 * Not targeted: the sign-in form (the email reaches SQL only as an HMAC, and its per-client
 * throttle would lock this run out); forms with a version field (after the first save every
 * request is a 409) and the pathway's step forms (each valid in one case status, which it moves
 * on); file uploads. The fuzz-forms and foreign-ids suites cover those routes.
 *
 * Prints each target's verdict and `sqlmap: N targets, N parameters tested, N injectable`; exits 1
 * when a parameter is injectable, a target could not be tested, or a parameter was not tested.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { BENCH_DB_TIMEOUT_MS, BENCH_PASSWORD, BENCH_USERS, benchConfig, benchServerEnv } from '../bench/support/bench-env.js'
import { adminUrlOf, benchFacts, databaseExists, recreateDatabase, seedInto } from '../bench/support/bench-db.js'
import { signInOverHttp, type Session } from '../bench/support/http-session.js'
import { startProcess } from '../bench/support/server.js'
import { createServices } from '../src/composition.js'
import { DEMO_PARTNERSHIP, DEMO_PASSWORD } from '../src/demo/demo-data.js'
import { seedDemo } from '../src/demo/seed.js'
import { secretBox } from '../src/platform/auth/secret-box.js'
import { addCalendarDays, londonDate } from '../src/platform/clocks/london-time.js'
import { openDatabase } from '../src/platform/db/connect.js'

const say = (text: string) => process.stdout.write(`${text}\n`)
const started = Date.now()
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/hsb_bench_sqlmap' },
    children: { type: 'string', default: '1000' },
    port: { type: 'string', default: '3380' },
    jobs: { type: 'string', default: '3' },
    only: { type: 'string' },
    recreate: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
})
const quick = values.quick!
const databaseUrl = values['database-url']!
const port = Number(values.port)
const jobs = Math.max(1, Number(values.jobs))
const children = Number(values.children)
if (!Number.isInteger(children) || children < 100) throw new Error('--children must be a whole number, 100 or more')

// ---------------------------------------------------------------------------------------------
// The database: bench seed and demo partnership, made here when missing (hsb_bench_sqlmap* only).

const { name: databaseName } = adminUrlOf(databaseUrl)
const ours = databaseName.startsWith('hsb_bench_sqlmap')
if (values.recreate) {
  if (!ours) throw new Error(`--recreate drops only databases named hsb_bench_sqlmap*, not ${databaseName}`)
  say(`recreating ${databaseName} with ${children} children (bench seed) and the demo partnership`)
  await recreateDatabase(databaseUrl)
  await seedInto({ databaseUrl }, children, 1, () => {})
} else if (!(await databaseExists(databaseUrl))) {
  if (!ours) throw new Error(`${databaseName} does not exist: this script creates only databases named hsb_bench_sqlmap*`)
  say(`creating ${databaseName} with ${children} children (bench seed) and the demo partnership`)
  await recreateDatabase(databaseUrl)
  await seedInto({ databaseUrl }, children, 1, () => {})
}
const config = benchConfig({ databaseUrl })
{
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    appRole: config.databaseAppRole,
    poolSize: 2,
    timeoutMs: BENCH_DB_TIMEOUT_MS,
  })
  try {
    const services = await createServices(config, handle)
    if (!(await services.admin.service.findPartnership(DEMO_PARTNERSHIP))) {
      if (!ours)
        throw new Error(`${databaseName} has no demo partnership, and this script adds one only to databases named hsb_bench_sqlmap*`)
      await seedDemo(services)
    }
  } finally {
    await handle.close()
  }
}
const facts = await benchFacts({ databaseUrl })
if (facts.readableCaseIds.length < 6) throw new Error('the bench social worker can read fewer than 6 cases: seed more children')
const prepared = Date.now()

const db = new pg.Client({ connectionString: databaseUrl })
await db.connect()
const one = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T> => {
  const row = (await db.query(text, params)).rows[0] as T | undefined
  if (!row) throw new Error(`nothing found for: ${text}`)
  return row
}

const today = londonDate(new Date())
const [year, month] = today.split('-').map(Number) as [number, number]
const fyStart = `${month >= 4 ? year : year - 1}-04-01`
const box = secretBox(config.mfaEncryptionKey)

/** The people who sign in: the bench seed's (known TOTP seeds) and the demo partnership's (seeds read from the database). */
const PEOPLE = {
  socialWorker: { email: BENCH_USERS.socialWorker.email, password: BENCH_PASSWORD },
  teamManager: { email: BENCH_USERS.teamManager.email, password: BENCH_PASSWORD },
  hsbLead: { email: BENCH_USERS.hsbLead.email, password: BENCH_PASSWORD },
  businessManager: { email: 'ben.carter@northshire.example', password: DEMO_PASSWORD },
  systemAdministrator: { email: 'chris.morgan@northshire.example', password: DEMO_PASSWORD },
  boardMember: { email: 'margaret.osei@northshire.example', password: DEMO_PASSWORD },
} as const
type Person = keyof typeof PEOPLE

const ids = {
  demo: (await one<{ id: string }>('SELECT id FROM partnership WHERE name = $1', [DEMO_PARTNERSHIP])).id,
  benchCsc: (
    await one<{ id: string }>("SELECT id FROM agency WHERE partnership_id = $1 AND kind = 'CHILDRENS_SERVICES' ORDER BY name LIMIT 1", [
      facts.partnershipId,
    ])
  ).id,
  benchTeam: (
    await one<{ id: string }>(
      "SELECT t.id FROM team t JOIN agency a ON a.id = t.agency_id WHERE a.partnership_id = $1 AND t.name LIKE 'Assessment Team%' ORDER BY t.name LIMIT 1",
      [facts.partnershipId],
    )
  ).id,
}
const demo = {
  csc: (
    await one<{ id: string }>("SELECT id FROM agency WHERE partnership_id = $1 AND kind = 'CHILDRENS_SERVICES' ORDER BY name LIMIT 1", [
      ids.demo,
    ])
  ).id,
  team: (
    await one<{ id: string }>(
      "SELECT t.id FROM team t JOIN agency a ON a.id = t.agency_id WHERE a.partnership_id = $1 AND t.name = 'Assessment Team'",
      [ids.demo],
    )
  ).id,
  review: (
    await one<{ id: string }>(
      'SELECT r.id FROM review r WHERE r.partnership_id = $1 AND EXISTS (SELECT 1 FROM review_action a WHERE a.review_id = r.id) ORDER BY r.id LIMIT 1',
      [ids.demo],
    )
  ).id,
  tool: (await one<{ id: string }>('SELECT id FROM case_audit_tool WHERE partnership_id = $1 ORDER BY id LIMIT 1', [ids.demo])).id,
  // A lead auditor and their agency, for a case audit of our own.
  auditor: await one<{ id: string; agencyId: string }>(
    'SELECT u.id, u.agency_id AS "agencyId" FROM app_user u JOIN user_role r ON r.user_id = u.id WHERE u.partnership_id = $1 AND r.role = \'LEAD_AUDITOR\' ORDER BY u.email LIMIT 1',
    [ids.demo],
  ),
  person: (await one<{ id: string }>("SELECT id FROM app_user WHERE email = 'dan.hughes@brightpath.example'")).id,
}
// Distinct cases for targets that change a case, so that no target's page moves under another's.
const [chronologyCase, entryCase, factorsCase, headerCase, ...rest] = facts.readableCaseIds as [string, string, string, string, ...string[]]
const clock = await one<{ caseId: string; kind: string }>(
  'SELECT case_id AS "caseId", kind FROM case_clock WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, kind LIMIT 1',
  [rest],
)
const clockCase = clock.caseId

async function totpSecretOf(email: string): Promise<string> {
  const bench = Object.values(BENCH_USERS).find((u) => u.email === email)
  if (bench) return bench.totpSecret
  const row = await one<{ totp_secret: string }>('SELECT totp_secret FROM app_user WHERE email = $1', [email])
  return box.open(row.totp_secret)
}

// ---------------------------------------------------------------------------------------------
// Targets.

type Target = {
  label: string
  person: Person
  method: 'GET' | 'POST'
  path: string
  /** Values for the parameters (query string or form); each one is tested. */
  params: Record<string, string>
  /** Take the other fields of the form whose action is `path` from this page, and test them too. */
  formPage?: string
  /** Fields of that form not to send (e.g. a button that would draw the sample). */
  omit?: string[]
  /** A header with sqlmap's injection marker (*) instead of parameters. */
  header?: string
  fullOnly?: boolean
}

const insightFilters = (agency: string, team: string) => ({
  period: 'custom',
  from: fyStart,
  to: today,
  'as-at': today,
  agency,
  team,
  rating: 'AMBER',
  age: '14-17',
  gender: 'MALE',
  ethnicity: 'WHITE',
  send: 'no',
})
const benchFilters = insightFilters(ids.benchCsc, ids.benchTeam)
const chronologyFilter = {
  type: 'EVENT',
  'from-day': '1',
  'from-month': '1',
  'from-year': '2015',
  'to-day': today.slice(8),
  'to-month': today.slice(5, 7),
  'to-year': today.slice(0, 4),
  order: 'newest',
}
const monthAgo = addCalendarDays(today, -30)

const targets: Target[] = [
  // Queues, paging and sorting.
  {
    label: 'GET /work',
    person: 'socialWorker',
    method: 'GET',
    path: '/work',
    params: { status: 'REFERRED', sort: 'urgency', page: '1', 'meetings-page': '1' },
  },
  // The front door's and the team's queues read the same query string into the same SQL as the HSB overview's (queues.sql.ts).
  {
    label: 'GET /work/front-door',
    person: 'socialWorker',
    method: 'GET',
    path: '/work/front-door',
    params: { status: 'REFERRED', sort: 'oldest', page: '1' },
    fullOnly: true,
  },
  {
    label: 'GET /work/team',
    person: 'teamManager',
    method: 'GET',
    path: '/work/team',
    params: { status: 'ALLOCATED', sort: 'newest', page: '1' },
    fullOnly: true,
  },
  {
    label: 'GET /work/hsb-overview',
    person: 'hsbLead',
    method: 'GET',
    path: '/work/hsb-overview',
    params: { status: 'ALLOCATED', sort: 'urgency', page: '2' },
  },
  { label: 'GET /notifications', person: 'socialWorker', method: 'GET', path: '/notifications', params: { page: '1' } },
  // People, the board, reviews.
  {
    label: 'GET /admin/users',
    person: 'systemAdministrator',
    method: 'GET',
    path: '/admin/users',
    params: { q: 'north', page: '1' },
    formPage: '/admin/users',
  },
  { label: 'GET /board/actions', person: 'businessManager', method: 'GET', path: '/board/actions', params: { show: 'all' } },
  {
    label: 'GET /reviews/:id/report',
    person: 'businessManager',
    method: 'GET',
    path: `/reviews/${demo.review}/report`,
    params: { asAt: monthAgo },
    formPage: `/reviews/${demo.review}/report`,
  },
  {
    label: 'GET /reviews/:id/report.xlsx',
    person: 'businessManager',
    method: 'GET',
    path: `/reviews/${demo.review}/report.xlsx`,
    params: { asAt: monthAgo },
    fullOnly: true,
  },
  {
    label: 'GET /reviews/:id/report.docx',
    person: 'businessManager',
    method: 'GET',
    path: `/reviews/${demo.review}/report.docx`,
    params: { asAt: monthAgo },
    fullOnly: true,
  },
  // A case's chronology.
  {
    label: 'GET /cases/:id/chronology',
    person: 'socialWorker',
    method: 'GET',
    path: `/cases/${chronologyCase}/chronology`,
    params: chronologyFilter,
    formPage: `/cases/${chronologyCase}/chronology`,
  },
  {
    label: 'GET /cases/:id/chronology/print',
    person: 'socialWorker',
    method: 'GET',
    path: `/cases/${chronologyCase}/chronology/print`,
    params: chronologyFilter,
    fullOnly: true,
  },
  {
    label: 'GET /cases/:id/chronology.pdf',
    person: 'socialWorker',
    method: 'GET',
    path: `/cases/${chronologyCase}/chronology.pdf`,
    params: chronologyFilter,
    fullOnly: true,
  },
  // Insight: the dashboard with every filter, the cases behind a figure, downloads, workforce, case factors, JSNA.
  { label: 'GET /insight', person: 'hsbLead', method: 'GET', path: '/insight', params: benchFilters, formPage: '/insight' },
  {
    label: 'GET /insight (suppressed: board member)',
    person: 'boardMember',
    method: 'GET',
    path: '/insight',
    params: insightFilters(demo.csc, demo.team),
    fullOnly: true,
  },
  {
    label: 'GET /insight/cases',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/cases',
    params: { figure: 'referrals-by-rating', row: 'AMBER', column: 'referrals', ...benchFilters },
  },
  {
    label: 'GET /insight/figures/all.csv',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/figures/all.csv',
    params: benchFilters,
    fullOnly: true,
  },
  {
    label: 'GET /insight/figures/:id.xlsx',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/figures/referrals-by-rating.xlsx',
    params: benchFilters,
    fullOnly: true,
  },
  {
    label: 'GET /insight/workforce',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/workforce',
    params: quick ? { 'as-at': today, period: 'custom', from: fyStart, to: today } : benchFilters,
    formPage: '/insight/workforce',
  },
  {
    label: 'GET /insight/workforce/figures/:id.csv',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/workforce/figures/trained-by-model.csv',
    params: { 'as-at': today },
    fullOnly: true,
  },
  {
    label: 'GET /insight/case-factors',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/case-factors',
    params: benchFilters,
    formPage: '/insight/case-factors',
  },
  {
    label: 'GET /insight/case-factors/figures/:id.csv',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/case-factors/figures/case-factors.csv',
    params: benchFilters,
    fullOnly: true,
  },
  {
    label: 'GET /insight/jsna.csv',
    person: 'hsbLead',
    method: 'GET',
    path: '/insight/jsna.csv',
    params: { period: 'custom', from: fyStart, to: today, 'as-at': today },
  },
  // A header that is written into audit rows.
  {
    label: 'GET /cases/:id with X-Request-Id',
    person: 'socialWorker',
    method: 'GET',
    path: `/cases/${headerCase}`,
    params: {},
    header: 'X-Request-Id: sqlmapprobe0001*',
  },
  // Forms.
  {
    label: 'POST /children/search',
    person: 'socialWorker',
    method: 'POST',
    path: '/children/search',
    params: {
      'given-names': 'Ava',
      'family-name': 'Patel',
      'date-of-birth-day': '1',
      'date-of-birth-month': '2',
      'date-of-birth-year': '2014',
      'nhs-number': '',
      upn: '',
      'local-case-id': '',
    },
    formPage: '/children/search',
  },
  {
    label: 'POST /cases/:id/clocks/:kind/reason',
    person: 'socialWorker',
    method: 'POST',
    path: `/cases/${clockCase}/clocks/${clock.kind}/reason`,
    params: { reason: 'Waiting for school' },
    formPage: `/cases/${clockCase}/clocks/${clock.kind}/reason`,
  },
  {
    label: 'POST /cases/:id/chronology/new',
    person: 'socialWorker',
    method: 'POST',
    path: `/cases/${entryCase}/chronology/new`,
    params: {
      'date-day': '3',
      'date-month': '2',
      'date-year': '2024',
      title: 'School meeting',
      text: 'Met the designated safeguarding lead',
      corrects: '',
    },
    formPage: `/cases/${entryCase}/chronology/new`,
  },
  {
    label: 'POST /cases/:id/factors',
    person: 'socialWorker',
    method: 'POST',
    path: `/cases/${factorsCase}/factors`,
    params: {},
    formPage: `/cases/${factorsCase}/factors`,
  },
  {
    label: 'POST /insight/settings',
    person: 'hsbLead',
    method: 'POST',
    path: '/insight/settings',
    params: { threshold: '5' },
    formPage: '/insight/settings',
  },
  // The cohort of a case audit of our own (its sample not drawn): counted, never drawn. Filled in below.
  {
    label: 'POST /case-audits/:id/cohort',
    person: 'businessManager',
    method: 'POST',
    path: '/case-audits/:audit/cohort',
    params: {
      'open-on-day': today.slice(8),
      'open-on-month': today.slice(5, 7),
      'open-on-year': today.slice(0, 4),
      ratings: 'AMBER',
      agency: demo.csc,
      'sample-size': '3',
      seed: '42',
    },
    formPage: '/case-audits/:audit',
    omit: ['action'],
  },
  {
    label: 'POST /reviews/rag-key',
    person: 'businessManager',
    method: 'POST',
    path: '/reviews/rag-key',
    params: {},
    formPage: '/reviews/rag-key',
    fullOnly: true,
  },
  {
    label: 'POST /admin/users/:id/training/new',
    person: 'systemAdministrator',
    method: 'POST',
    path: `/admin/users/${demo.person}/training/new`,
    params: {
      'completed-day': '1',
      'completed-month': '3',
      'completed-year': '2025',
      'expires-day': '1',
      'expires-month': '3',
      'expires-year': '2028',
    },
    formPage: `/admin/users/${demo.person}/training/new`,
    fullOnly: true,
  },
  {
    label: 'POST /insight/provision/new',
    person: 'hsbLead',
    method: 'POST',
    path: '/insight/provision/new',
    params: {
      service: 'Harmful behaviour group work',
      provider: 'Bench Children’s Services',
      capacity: '12',
      notes: 'Tuesdays',
      'ended-day': '',
      'ended-month': '',
      'ended-year': '',
    },
    formPage: '/insight/provision/new',
    fullOnly: true,
  },
]

// ---------------------------------------------------------------------------------------------
// Forms, sign-in and the check that a target answers before (and after) sqlmap runs.

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)
  return m ? decode(m[1]!) : undefined
}

/** The fields of the form whose action is `action` (first value of each: a checked box, a selected option, or the first). */
function formFields(html: string, action: string): Map<string, string> | null {
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if ((attr(form[1]!, 'action') ?? '').split('?')[0] !== action) continue
    const fields = new Map<string, string>()
    const body = form[2]!
    for (const m of body.matchAll(/<input\b[^>]*>/g)) {
      const tag = m[0]
      const name = attr(tag, 'name')
      const type = attr(tag, 'type') ?? 'text'
      if (!name || type === 'file' || type === 'submit') continue
      const value = attr(tag, 'value') ?? ''
      if (!fields.has(name) || ((type === 'checkbox' || type === 'radio') && /\schecked\b/.test(tag))) fields.set(name, value)
    }
    for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(m[1]!, 'name')
      if (!name) continue
      const options = [...m[2]!.matchAll(/<option\b[^>]*>/g)].map((o) => o[0])
      const chosen = options.find((o) => /\sselected\b/.test(o)) ?? options.find((o) => attr(o, 'value')) ?? options[0]
      fields.set(name, chosen ? (attr(chosen, 'value') ?? '') : '')
    }
    for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attr(m[1]!, 'name')
      if (name) fields.set(name, decode(m[2]!.trim()))
    }
    for (const m of body.matchAll(/<button\b[^>]*>/g)) {
      const name = attr(m[0], 'name')
      if (name && !fields.has(name)) fields.set(name, attr(m[0], 'value') ?? '')
    }
    return fields
  }
  return null
}

// sqlmap sends hundreds of searches as one person: the per-person search limit would answer 429.
const app = await startProcess(
  'src/server.ts',
  { ...benchServerEnv({ port, databaseUrl }), LOG_LEVEL: 'fatal', CHILD_SEARCHES_PER_5_MINUTES: '10000' },
  { port },
)
const base = app.baseUrl
const sessions = new Map<Person, Promise<Session>>()
const sessionOf = (person: Person) => {
  if (!sessions.has(person)) {
    const p = PEOPLE[person]
    sessions.set(
      person,
      totpSecretOf(p.email).then((totpSecret) => signInOverHttp(base, { email: p.email, totpSecret }, p.password)),
    )
  }
  return sessions.get(person)!
}

async function request(person: Person, method: 'GET' | 'POST', url: string, body?: string, headers: Record<string, string> = {}) {
  const session = await sessionOf(person)
  const res = await fetch(base + url, {
    method,
    redirect: 'manual',
    headers: { cookie: session.cookie, ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
    ...(body !== undefined ? { body } : {}),
  })
  return { status: res.status, location: res.headers.get('location') ?? '', text: await res.text() }
}

/** The case audit whose cohort is tested: ours, its sample not drawn (made once, through the app, as the business manager). */
async function cohortAudit(): Promise<string> {
  const theme = 'sqlmap: cohort preview (never drawn)'
  const found = await db.query<{ id: string }>(
    'SELECT id FROM case_audit WHERE partnership_id = $1 AND theme = $2 AND sampled_at IS NULL ORDER BY id LIMIT 1',
    [ids.demo, theme],
  )
  if (found.rows[0]) return found.rows[0].id
  const session = await sessionOf('businessManager')
  const form = new URLSearchParams({
    _csrf: session.csrf,
    theme,
    'panel-date-day': today.slice(8),
    'panel-date-month': today.slice(5, 7),
    'panel-date-year': today.slice(0, 4),
    tool: demo.tool,
    purpose: 'Tested by scripts/sqlmap.ts',
    [`agency-${demo.auditor.agencyId}`]: 'TAKING_PART',
    [`auditor-${demo.auditor.agencyId}`]: demo.auditor.id,
  })
  const res = await request('businessManager', 'POST', '/case-audits', form.toString())
  const id = /^\/case-audits\/([0-9a-f-]{36})$/.exec(res.location)?.[1]
  if (res.status !== 302 || !id) throw new Error(`could not set up the case audit for the cohort target: ${res.status}`)
  return id
}

type Prepared = { target: Target; url: string; data?: string; tested: string[]; cookie: string; check: () => Promise<string | null> }

/** The target's final URL or form, and a check that it answers as it should: null when it does, else why not. */
async function prepare(t: Target): Promise<Prepared | { target: Target; error: string }> {
  const session = await sessionOf(t.person)
  const params = new Map<string, string>()
  if (t.formPage) {
    const page = await request(t.person, 'GET', t.formPage)
    if (page.status !== 200) return { target: t, error: `the form's page ${t.formPage} answered ${page.status} ${page.location}` }
    const fields = formFields(page.text, t.path)
    if (!fields) return { target: t, error: `no form with action ${t.path} on ${t.formPage}` }
    for (const [k, v] of fields) if (k !== '_csrf' && !(t.omit ?? []).includes(k)) params.set(k, v)
  }
  for (const [k, v] of Object.entries(t.params)) params.set(k, v)
  const query = new URLSearchParams([...params])
  const tested = t.header ? [`${t.header.split(':')[0]} #1*`] : [...params.keys()]
  const headerPair = t.header
    ? {
        [t.header.split(':')[0]!]: t.header
          .slice(t.header.indexOf(':') + 1)
          .trim()
          .replace('*', ''),
      }
    : {}
  if (t.method === 'GET') {
    const url = `${t.path}${params.size ? `?${query}` : ''}`
    const check = async () => {
      const res = await request(t.person, 'GET', url, undefined, headerPair)
      return res.status === 200 ? null : `answered ${res.status}${res.location ? ` → ${res.location}` : ''}`
    }
    return { target: t, url: base + url, tested, cookie: session.cookie, check }
  }
  const data = new URLSearchParams([['_csrf', session.csrf], ...params]).toString()
  const check = async () => {
    const res = await request(t.person, 'POST', t.path, data)
    if (res.status === 200) return null
    if ((res.status === 302 || res.status === 303) && !res.location.startsWith('/sign-in')) {
      const next = await request(t.person, 'GET', res.location)
      return next.status === 200 ? null : `redirected to ${res.location}, which answered ${next.status}`
    }
    const why = /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]*)</.exec(res.text)?.[1]?.trim()
    return `answered ${res.status}${res.location ? ` → ${res.location}` : ''}${why ? ` (${why})` : ''}`
  }
  return { target: t, url: base + t.path, data, tested, cookie: session.cookie, check }
}

// ---------------------------------------------------------------------------------------------
// sqlmap.

// Quick: level 2 (level 1 missed the canary's ORDER BY, and count-only, LIKE and silent injections
// in trials), boolean-based only: error-based needs DBMS error text in the page, and the app's
// error page never shows it (platform/http/error-handler.ts). Full: every technique, level 3, risk 2.
const LEVEL = quick ? ['--level', '2', '--risk', '1', '--technique', 'B'] : ['--level', '3', '--risk', '2', '--technique', 'BEUSTQ']
/** Every finding is reported and every parameter tested, even after one is found injectable. */
const COMMON = [
  '--dbms',
  'PostgreSQL',
  ...LEVEL,
  '--answers',
  'keep testing=Y',
  '--skip-waf',
  '--keep-alive',
  '--timeout',
  '30',
  '--retries',
  '1',
  '-v',
  '1',
]
const out = await mkdtemp(path.join(tmpdir(), 'hsb-sqlmap-'))

type Verdict = {
  label: string
  person: string
  ms: number
  tested: string[]
  missing: string[]
  injectable: string[]
  codes: string
  problem: string | null
}

function runSqlmap(args: string[], logFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d.toString()))
    child.stderr.on('data', (d: Buffer) => (text += d.toString()))
    child.on('error', reject)
    child.on('close', () => {
      writeFile(logFile, text).then(() => resolve(text), reject)
    })
  })
}

function readSqlmap(text: string, expected: string[]) {
  const plain = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') // eslint-disable-line no-control-regex
  const notInjectable = new Set([...plain.matchAll(/parameter '([^']+)' does not seem to be injectable/g)].map((m) => m[1]!))
  const injectable = [
    ...new Set([...plain.matchAll(/^Parameter: (.+) \((?:GET|POST|\(custom\) HEADER|[A-Z ]+)\)$/gm)].map((m) => m[1]!.trim())),
  ]
  // Tested: the expected parameters sqlmap finished with, either way (others it may add, such as a URI marker, are not counted).
  const tested = [...new Set([...expected.filter((p) => notInjectable.has(p)), ...injectable])]
  const missing = expected.filter((p) => !tested.includes(p))
  const codes = [...plain.matchAll(/^(\d{3}) \(([^)]*)\) - (\d+) times/gm)].map((m) => `${m[1]}×${m[3]}`).join(' ')
  const critical = [...plain.matchAll(/\[CRITICAL\] (.*)/g)]
    .map((m) => m[1]!)
    .filter((m) => !/all tested parameters do not appear to be injectable/.test(m))
  const toSignIn = /redirect to '[^']*\/sign-in/.test(plain)
  return { tested, injectable, missing, codes, problem: toSignIn ? 'sqlmap was sent to the sign-in page' : (critical[0] ?? null) }
}

async function attack(p: Prepared, n: number): Promise<Verdict> {
  const t0 = Date.now()
  const t = p.target
  const args = [
    '-u',
    p.url,
    ...(p.data !== undefined ? ['--data', p.data, '--skip', '_csrf', '--ignore-redirects'] : []),
    ...(t.header ? ['--headers', t.header] : []),
    '-p',
    p.tested.join(','),
    '--cookie',
    p.cookie,
    '--drop-set-cookie',
    '--batch',
    '--flush-session',
    '--disable-coloring',
    '--output-dir',
    path.join(out, String(n)),
    ...COMMON,
  ]
  const text = await runSqlmap(args, path.join(out, `${n}.log`))
  const read = readSqlmap(text, p.tested)
  const after = await p.check()
  return {
    label: t.label,
    person: t.person,
    ms: Date.now() - t0,
    ...read,
    problem: read.problem ?? (after ? `after sqlmap the target ${after}` : null),
  }
}

function show(v: Verdict) {
  const verdict = v.injectable.length
    ? `INJECTABLE: ${v.injectable.join(', ')}`
    : v.problem
      ? `NOT TESTED: ${v.problem}`
      : v.missing.length
        ? `NOT TESTED: ${v.missing.join(', ')}`
        : 'no injectable parameters'
  say(
    `${v.label.padEnd(44)} ${v.person.padEnd(19)} ${String(v.tested.length).padStart(2)} params ${seconds(v.ms).padStart(7)}  ${verdict}${v.codes ? `  [${v.codes}]` : ''}`,
  )
}

// ---------------------------------------------------------------------------------------------
// The canary: two planted injections sqlmap must find with the same options.

const CANARY_ROWS = "SELECT n AS id, (ARRAY['GREEN','AMBER','RED'])[1 + n % 3] AS rating FROM generate_series(1, 60) n"
const canaryPool = new pg.Pool({ connectionString: databaseUrl, max: 2 })
const canary = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://canary')
  const page = (status: number, body: string) => {
    if (res.headersSent) return
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
    res.end(
      `<!doctype html><html><head><script nonce="${randomBytes(16).toString('base64')}">x()</script></head><body><h1>Cases</h1>${body}<footer>${'Fictional footer text. '.repeat(60)}</footer></body></html>`,
    )
  }
  if (url.pathname !== '/cases') return page(404, '<p>Page not found</p>')
  // Deliberately injectable (string and ORDER BY), on generated rows, read only, one statement
  // (a bound parameter forces the extended protocol), within 3 seconds.
  const text = `SELECT id, rating FROM (${CANARY_ROWS}) t WHERE $1::int = 1 AND rating = '${url.searchParams.get('rating') ?? ''}' ORDER BY ${url.searchParams.get('sort') ?? 'id'} LIMIT 20`
  canaryPool
    .connect()
    .then(async (c) => {
      try {
        await c.query("BEGIN READ ONLY; SET LOCAL statement_timeout = '3s'")
        const r = await c.query<{ id: number; rating: string }>(text, [1])
        page(200, `<table>${r.rows.map((x) => `<tr><td>Case ${x.id}</td><td>${x.rating}</td></tr>`).join('')}</table>`)
      } finally {
        await c.query('ROLLBACK').catch(() => {})
        c.release()
      }
    })
    .catch(() => page(500, '<h1>Sorry, there is a problem with the service</h1>'))
})

let canaryClosed = false
async function closeCanary() {
  if (canaryClosed) return
  canaryClosed = true
  if (canary.listening) await new Promise<void>((resolve) => canary.close(() => resolve()))
  await canaryPool.end()
}

// ---------------------------------------------------------------------------------------------
// Run.

let exitCode = 0
let summary = ''
let canaryMissed = false
try {
  if (!values.check) {
    await new Promise<void>((resolve) => canary.listen(port + 1, '127.0.0.1', resolve))
    const canaryUrl = `http://127.0.0.1:${port + 1}/cases?rating=AMBER&sort=id`
    const canaryText = await runSqlmap(
      [
        '-u',
        canaryUrl,
        '-p',
        'rating,sort',
        '--batch',
        '--flush-session',
        '--disable-coloring',
        '--output-dir',
        path.join(out, 'canary'),
        ...COMMON,
      ],
      path.join(out, 'canary.log'),
    )
    const found = readSqlmap(canaryText, ['rating', 'sort']).injectable
    const canaryOk = found.includes('rating') && found.includes('sort')
    say(
      `${'canary (planted: rating, sort)'.padEnd(44)} ${'-'.padEnd(19)}  2 params          ${canaryOk ? 'found both, as it must' : `MISSED: found ${found.join(', ') || 'nothing'}`}`,
    )
    if (!canaryOk) {
      exitCode = 1
      canaryMissed = true
    }
  }
  await closeCanary()

  const audit = await cohortAudit()
  const chosen = targets
    .filter((t) => !(quick && t.fullOnly))
    .filter((t) => !values.only || t.label.includes(values.only))
    .map((t) =>
      t.path.includes(':audit') ? { ...t, path: t.path.replace(':audit', audit), formPage: t.formPage?.replace(':audit', audit) } : t,
    )
  if (!chosen.length) throw new Error(`no target's label contains “${values.only}”`)
  say(
    `${quick ? 'quick' : 'full'} run: ${chosen.length} targets, sqlmap ${LEVEL.join(' ')}, ${jobs} at a time (prepared in ${seconds(prepared - started)})`,
  )
  const verdicts: Verdict[] = []
  let planned = 0
  let next = 0
  const worker = async () => {
    for (;;) {
      const n = next++
      const t = chosen[n]
      if (!t) return
      const p = await prepare(t)
      if ('error' in p) {
        const v = { label: t.label, person: t.person, ms: 0, tested: [], missing: [], injectable: [], codes: '', problem: p.error }
        verdicts.push(v)
        show(v)
        continue
      }
      const before = await p.check()
      if (before) {
        const v = {
          label: t.label,
          person: t.person,
          ms: 0,
          tested: [],
          missing: p.tested,
          injectable: [],
          codes: '',
          problem: `before sqlmap the target ${before}`,
        }
        verdicts.push(v)
        show(v)
        continue
      }
      if (values.check) {
        planned += p.tested.length
        say(`${t.label.padEnd(44)} ${t.person.padEnd(19)} answers; would test ${p.tested.join(', ')}`)
        continue
      }
      const v = await attack(p, n)
      verdicts.push(v)
      show(v)
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker))
  const tested = verdicts.reduce((s, v) => s + v.tested.length, 0)
  const injectable = verdicts.reduce((s, v) => s + v.injectable.length, 0)
  const untested = verdicts.filter((v) => !v.injectable.length && (v.problem || v.missing.length))
  const fiveHundreds = verdicts.reduce((s, v) => s + [...v.codes.matchAll(/5\d\d×(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0), 0)
  if (injectable || untested.length) exitCode = 1
  say(
    `\n${canaryMissed ? 'sqlmap missed the planted injection with these options: its other verdicts prove nothing\n' : ''}${untested.length ? `${untested.length} target(s) not fully tested: ${untested.map((v) => v.label).join('; ')}\n` : ''}${fiveHundreds ? `${fiveHundreds} responses were 5xx (see the targets above)\n` : ''}wall time ${seconds(Date.now() - started)}${exitCode ? `; sqlmap's logs are kept in ${out}` : ''}`,
  )
  summary = values.check
    ? `sqlmap --check: ${chosen.length - verdicts.length} of ${chosen.length} targets answer, ${planned} parameters to test (sqlmap not run)`
    : `sqlmap: ${verdicts.length} targets, ${tested} parameters tested, ${injectable} injectable`
} finally {
  await closeCanary()
  await app.stop()
  await db.end()
  if (exitCode === 0) await rm(out, { recursive: true, force: true })
}
say(summary)
process.exit(exitCode)
