import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminUrlOf, recreateDatabase } from '../../bench/support/bench-db.js'
import type { Running } from '../../bench/support/server.js'
import { createServices, type Services } from '../../src/composition.js'
import { loadConfig } from '../../src/config.js'
import { notifications as platformNotifications } from '../../src/platform/notifications/notifications.js'
import { raiseClockNotifications } from '../../src/features/queues/notifications.service.js'
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { DRAIN_QUEUE, JOB_QUEUE_SCHEMA } from '../../src/platform/email/email.js'
import { startSmtpCapture, type SmtpCapture } from '../browser/email/smtp-capture.js'
import { nextTotpCode } from '../support/app.js'
import { london } from './support.js'
import {
  Browser,
  csrfIn,
  INSTANCE_PASSWORD,
  makePartnership,
  sharedEnv,
  startInstances,
  stopAll,
  type Partnership,
  type Person,
} from './support/instances.js'
import { startProxy, type Proxy } from './support/proxy.js'

/**
 * More than one machine (issue 8, item 6): two app instances (`src/server.ts` as child
 * processes) on one PostgreSQL database, behind a small round-robin proxy
 * (test/faults/support/proxy.ts), with SMTP pointed at a local smtp-server. Both start at
 * once, as a deployment starts them: migrations and pg-boss's queue creation must not race.
 *  - A session started on one instance works on the other, and a form rendered by one is
 *    accepted by the other (sessions and CSRF tokens live in the database).
 *  - Each notification's email is sent exactly once with both instances draining the outbox
 *    through pg-boss; the clock job run at the same moment twice raises one notification per person.
 *  - An instance killed with SIGKILL: the proxy notices, and requests keep succeeding on the other.
 * PostgreSQL only (the embedded database is one process per data folder): it runs in
 * `npm run test:faults`, and is skipped in the embedded suite.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL
const PORTS = { proxy: 3620, a: 3621, b: 3622, smtp: 3623 }
const APP_ROLE = 'hsb_app'
const DAY = 24 * 3_600_000
const CO_ASSESSOR = 'You have been named as a co-assessor on a case.'
const STRATEGY_OVERDUE = 'A strategy meeting is overdue.'

let databaseUrl: string
let handle: DatabaseHandle | undefined
let second: DatabaseHandle | undefined
let services: Services
let p: Partnership
let smtp: SmtpCapture | undefined
let instances: Map<string, Running>
let proxy: Proxy | undefined

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(handle!.db, 'system', fn)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Signs a person in through the proxy, step by step (password, then TOTP), as a browser would. */
async function signIn(person: Person): Promise<Browser> {
  const browser = new Browser(proxy!.url)
  const page = await browser.get('/sign-in')
  const step1 = await browser.post('/sign-in', { _csrf: csrfIn(page.text), email: person.email, password: INSTANCE_PASSWORD })
  expect(step1).toMatchObject({ status: 302, location: '/sign-in/code' })
  const codePage = await browser.get('/sign-in/code')
  const step2 = await browser.post('/sign-in/code', {
    _csrf: csrfIn(codePage.text),
    code: await nextTotpCode(services, person.id, person.totpSecret),
  })
  expect(step2.status).toBe(302)
  return browser
}

const alternates = (names: readonly (string | null)[]) => names.every((n, i) => i === 0 || n !== names[i - 1])

async function addChronologyEntry(browser: Browser, title: string) {
  const form = await browser.get(`/cases/${p.caseId}/chronology/new`)
  expect(form.status).toBe(200)
  const today = london(new Date())
  const fields = {
    'date-day': today.day,
    'date-month': today.month,
    'date-year': today.year,
    title,
    text: 'Recorded through the proxy.',
    corrects: '',
  }
  const saved = await browser.post(`/cases/${p.caseId}/chronology/new`, { _csrf: csrfIn(form.text), ...fields })
  return { form, saved, fields }
}

describe.skipIf(!ADMIN_URL)('two app instances behind a proxy, on one PostgreSQL database', () => {
  beforeAll(async () => {
    const url = new URL(ADMIN_URL!)
    url.pathname = '/hsb_fault_instances'
    databaseUrl = url.toString()
    await recreateDatabase(databaseUrl)
    handle = await openDatabase({ databaseUrl, appRole: APP_ROLE, poolSize: 4 })
    await migrate(handle.db, APP_ROLE)
    services = await createServices(loadConfig(sharedEnv(databaseUrl)), handle)
    p = await makePartnership(services, new Date(Date.now() - 2 * 3_600_000))
    smtp = await startSmtpCapture(PORTS.smtp)
    const env = {
      ...sharedEnv(databaseUrl),
      TRUST_PROXY: 'true',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(PORTS.smtp),
      EMAIL_POLL_INTERVAL_MS: '500',
      PUBLIC_BASE_URL: `http://127.0.0.1:${PORTS.proxy}`,
    }
    // Both at once: migrations (advisory lock), pg-boss's schema (its lock) and its queues (no lock
    // in pg-boss 10: see startJobQueue in src/platform/email/email.ts) must not race.
    instances = await startInstances([
      { name: 'a', port: PORTS.a, env },
      { name: 'b', port: PORTS.b, env },
    ])
    proxy = await startProxy({
      port: PORTS.proxy,
      upstreams: [
        { name: 'a', port: PORTS.a },
        { name: 'b', port: PORTS.b },
      ],
      healthEveryMs: 500,
    })
  }, 120_000)

  afterAll(async () => {
    await proxy?.close()
    await stopAll()
    await smtp?.close()
    await second?.close()
    await handle?.close()
    if (databaseUrl) {
      const c = new pg.Client({ connectionString: adminUrlOf(databaseUrl).admin })
      await c.connect()
      await c.query('DROP DATABASE IF EXISTS hsb_fault_instances WITH (FORCE)')
      await c.end()
    }
  }, 60_000)

  it('keeps a session started on one instance on the other, and accepts a form rendered by one when submitted to the other', async () => {
    const browser = await signIn(p.people.worker)
    // Signing in took four requests; they alternated, so the half-signed-in session crossed instances too.
    expect(new Set(browser.upstreams)).toEqual(new Set(['a', 'b']))
    expect(alternates(browser.upstreams)).toBe(true)

    const pages = []
    for (let i = 0; i < 6; i++) pages.push(await browser.get('/work'))
    expect(pages.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 200])
    for (const page of pages) expect(page.text).toContain('data-qa="sign-out"')
    expect(alternates(pages.map((x) => x.upstream))).toBe(true)
    expect(new Set(pages.map((x) => x.upstream))).toEqual(new Set(['a', 'b']))

    // The form (and its CSRF token) from one instance, submitted to the other.
    const { form, saved, fields } = await addChronologyEntry(browser, 'Entry submitted to the other instance')
    expect(saved.upstream).not.toBe(form.upstream)
    expect(saved).toMatchObject({ status: 302, location: `/cases/${p.caseId}/chronology` })
    const entries = await asSystem((trx) =>
      trx.selectFrom('chronologyEntry').select(['title', 'authorId']).where('caseId', '=', p.caseId).execute(),
    )
    expect(entries).toEqual([{ title: 'Entry submitted to the other instance', authorId: p.people.worker.id }])

    // The token is really checked there: a forged one is refused, whichever instance gets it.
    for (let i = 0; i < 2; i++) {
      const forged = await browser.post(`/cases/${p.caseId}/chronology/new`, { _csrf: 'forged-token', ...fields, title: 'Forged' })
      expect(forged.status).toBe(403)
    }
    expect(await asSystem((trx) => trx.selectFrom('chronologyEntry').select('id').where('title', '=', 'Forged').execute())).toEqual([])
  })

  it('sends each notification’s email exactly once with both instances draining the outbox, and raises one clock notification per person', async () => {
    const notes = platformNotifications()
    const N = 8
    await transaction(handle!.db, { partnershipId: p.partnershipId }, async (trx) => {
      for (let i = 0; i < N; i++) {
        await notes.raise(trx, {
          partnershipId: p.partnershipId,
          userId: p.people.worker.id,
          kind: 'CO_ASSESSOR_ALLOCATED',
          caseId: p.caseId,
          dedupeKey: `two-instances:${i}`,
        })
      }
    })
    // The clock job at the same moment from two connection pools, as two instances run it each
    // minute; a month on, the case's strategy meeting is overdue.
    second = await openDatabase({ databaseUrl, appRole: APP_ROLE, poolSize: 2 })
    const later = new Date(Date.now() + 30 * DAY)
    const raised = await Promise.all([raiseClockNotifications(handle!.db, later), raiseClockNotifications(second.db, later)])
    const overdue = await asSystem((trx) =>
      trx.selectFrom('notification').select('userId').where('kind', '=', 'STRATEGY_MEETING_OVERDUE').execute(),
    )
    expect(overdue.map((n) => n.userId).sort()).toEqual([p.people.lead.id, p.people.manager.id].sort())
    expect(raised[0] + raised[1]).toBe(overdue.length)

    // Every email sent, then several more poll intervals on both instances: nothing sent again.
    const to = (person: Person, wording?: string) =>
      smtp!.messages.filter((m) => m.to.includes(person.email) && (!wording || m.body.includes(wording)))
    const until = Date.now() + 30_000
    for (;;) {
      const pending = await asSystem((trx) =>
        sql<{ n: number }>`SELECT count(*)::int AS n FROM email_outbox WHERE sent_at IS NULL`.execute(trx),
      )
      if (pending.rows[0]!.n === 0 && to(p.people.worker, CO_ASSESSOR).length >= N) break
      if (Date.now() > until) throw new Error(`emails not all sent in 30 s (${smtp!.messages.length} received)`)
      await sleep(200)
    }
    await sleep(4000)
    expect(to(p.people.worker, CO_ASSESSOR)).toHaveLength(N)
    expect(to(p.people.lead, STRATEGY_OVERDUE)).toHaveLength(1)
    expect(to(p.people.manager, STRATEGY_OVERDUE)).toHaveLength(1)
    // Whatever else was raised meanwhile (the instances' own clock job): one email per notification.
    for (const person of Object.values(p.people)) {
      const rows = await asSystem((trx) => trx.selectFrom('notification').select('id').where('userId', '=', person.id).execute())
      expect(to(person)).toHaveLength(rows.length)
    }
    const outbox = await asSystem((trx) =>
      sql<{ attempts: number; sent: boolean }>`SELECT attempts, sent_at IS NOT NULL AS sent FROM email_outbox`.execute(trx),
    )
    expect(outbox.rows.every((r) => r.sent && r.attempts === 1)).toBe(true)

    // The drains ran as pg-boss jobs on a "stately" queue: pg-boss's unique index on (queue,
    // state) lets only one drain job be active at a time across the instances. (Job timestamps
    // cannot show it: started_on is when the fetch statement began, and a fetch waiting on that
    // index for the previous job to complete starts a few ms before that job's completed_on.)
    // pg-boss's schema is the login role's, not the application role's: read it as the owner.
    const owner = new pg.Client({ connectionString: databaseUrl })
    await owner.connect()
    try {
      const queue = await owner.query<{ policy: string }>(`SELECT policy FROM ${JOB_QUEUE_SCHEMA}.queue WHERE name = $1`, [DRAIN_QUEUE])
      expect(queue.rows).toEqual([{ policy: 'stately' }])
      const jobs = await owner.query<{ state: string; policy: string; n: number }>(
        `SELECT state, policy, count(*)::int AS n FROM ${JOB_QUEUE_SCHEMA}.job WHERE name = $1 AND state IN ('active', 'completed') GROUP BY 1, 2`,
        [DRAIN_QUEUE],
      )
      expect(jobs.rows.every((r) => r.policy === 'stately')).toBe(true)
      expect(jobs.rows.find((r) => r.state === 'completed')?.n).toBeGreaterThan(1)
      expect(jobs.rows.find((r) => r.state === 'active')?.n ?? 0).toBeLessThanOrEqual(1)
    } finally {
      await owner.end()
    }
  })

  it('keeps answering through the proxy when one instance is killed with SIGKILL', async () => {
    const browser = await signIn(p.people.manager)
    type Outcome = { start: number; status: number; upstream: string | null; signedIn: boolean }
    const outcomes: Outcome[] = []
    let running = true
    const client = async () => {
      while (running) {
        const start = Date.now()
        try {
          const res = await fetch(`${proxy!.url}/work`, { headers: { cookie: browser.cookie }, redirect: 'manual' })
          const text = await res.text()
          outcomes.push({
            start,
            status: res.status,
            upstream: res.headers.get('x-upstream'),
            signedIn: text.includes('data-qa="sign-out"'),
          })
        } catch {
          outcomes.push({ start, status: 0, upstream: null, signedIn: false })
        }
      }
    }
    const clients = [client(), client(), client(), client()]
    await sleep(1500)
    const killedAt = Date.now()
    instances.get('b')!.child.kill('SIGKILL')
    const noticedAt = await proxy!.waitUntilDown('b')
    await sleep(3000)
    running = false
    await Promise.all(clients)

    const before = outcomes.filter((o) => o.start < killedAt)
    const after = outcomes.filter((o) => o.start >= noticedAt)
    const failed = outcomes.filter((o) => o.status !== 200 || !o.signedIn)
    console.log(
      `SIGKILL: proxy noticed after ${noticedAt - killedAt} ms; ${before.length} requests before, ${after.length} after it noticed; ` +
        `${failed.length} failed; ${proxy!.stats.retried} retried on the other instance`,
    )
    expect(new Set(before.map((o) => o.upstream))).toEqual(new Set(['a', 'b']))
    expect(after.length).toBeGreaterThan(8)
    expect(after.every((o) => o.status === 200 && o.signedIn && o.upstream === 'a')).toBe(true)
    // At most the requests that were in flight on the killed instance (a GET is retried, so usually none).
    expect(failed.length).toBeLessThanOrEqual(4)
    expect(instances.get('b')!.child.signalCode).toBe('SIGKILL')
    await expect(fetch(`http://127.0.0.1:${PORTS.b}/health`)).rejects.toThrow()

    // A form still works, on the surviving instance, in the same session.
    const { saved } = await addChronologyEntry(browser, 'Entry after an instance died')
    expect(saved).toMatchObject({ status: 302, upstream: 'a' })
  })
})
