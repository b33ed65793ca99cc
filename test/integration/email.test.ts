import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { CaseAction, TransitionContext } from '../../src/features/cases/pathway.rules.js'
import type { CaseChanges } from '../../src/features/cases/index.js'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { meetingsRepository } from '../../src/features/meetings/meetings.repository.js'
import { notifications as platformNotifications } from '../../src/platform/notifications/notifications.js'
import { raiseClockNotifications } from '../../src/features/queues/notifications.service.js'
import type { Role } from '../../src/platform/access/roles.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction, type Trx } from '../../src/platform/db/transaction.js'
import { DRAIN_QUEUE, emailService, JOB_QUEUE_SCHEMA } from '../../src/platform/email/email.js'
import { outboxRepository } from '../../src/platform/email/outbox.repository.js'
import { freePort, startSmtpCapture, type CapturedEmail, type SmtpCapture } from '../browser/email/smtp-capture.js'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Email notifications end to end against a real SMTP server (smtp-server on a random local
 * port): the outbox row written with the notification, the sender, retries, deduplication and
 * the AIM assessment overdue job. On PostgreSQL (npm run test:pg) the sender runs on pg-boss.
 */

let t: TestApp
let f: Fixtures
let smtp: SmtpCapture
let dbUrl: string | undefined
const notes = platformNotifications()
const outbox = outboxRepository()
const children = childrenRepository()
const BASE = 'https://hsb-pathway.test'
const CHILD = { givenNames: 'Zebedee', familyName: 'Quartermaine', dateOfBirth: '2013-07-19' }
const CHILD_DETAILS = ['Zebedee', 'Quartermaine', '2013-07-19', '19/07/2013', '19 July 2013']
let childCaseId: string

/** The email settings for a service talking to `port`; on PostgreSQL with the job queue. */
function emailConfig(port: number, extra: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    DEMO_MODE: 'false',
    LOG_LEVEL: 'silent',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    PUBLIC_BASE_URL: BASE,
    EMAIL_FROM: 'HSB Pathway <no-reply@hsb-pathway.test>',
    EMAIL_POLL_INTERVAL_MS: '200',
    EMAIL_RETRY_BASE_MS: '60000',
    ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
    ...extra,
  })
}

const inPartnership = <T>(fn: (trx: Trx) => Promise<T>) => transaction(t.services.db, { partnershipId: f.partnershipId }, fn)
const asSystem = <T>(fn: (trx: Trx) => Promise<T>) => transaction(t.services.db, 'system', fn)
const actor = async (role: Role): Promise<CurrentUser> => (await t.services.auth.currentUser(f.users[role].id))!

async function notificationIds(userId: string, dedupeKey: string): Promise<string[]> {
  const rows = await asSystem((trx) =>
    trx.selectFrom('notification').select('id').where('userId', '=', userId).where('dedupeKey', '=', dedupeKey).execute(),
  )
  return rows.map((r) => r.id)
}
async function outboxFor(userId: string, dedupeKey: string) {
  const ids = await notificationIds(userId, dedupeKey)
  return asSystem((trx) => outbox.forNotifications(trx, ids))
}
const raise = (userId: string, dedupeKey: string, kind: 'CO_ASSESSOR_ALLOCATED' | 'MEETING_INVITATION' = 'CO_ASSESSOR_ALLOCATED') =>
  inPartnership((trx) => notes.raise(trx, { partnershipId: f.partnershipId, userId, kind, caseId: childCaseId, dedupeKey }))

async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

function expectNoChildDetails(m: CapturedEmail) {
  for (const detail of CHILD_DETAILS) expect(m.raw).not.toContain(detail)
  expect(m.raw).not.toContain(childCaseId)
}

beforeAll(async () => {
  t = await createTestApp()
  dbUrl = (t.handle as { url?: string }).url
  f = await createFixtures(t.services)
  smtp = await startSmtpCapture()
  const manager = await actor('TEAM_MANAGER')
  childCaseId = await inPartnership(async (trx) => {
    const childId = await children.insertChild(trx, { partnershipId: f.partnershipId, ...CHILD })
    await children.insertInvolvement(trx, {
      partnershipId: f.partnershipId,
      childId,
      kind: 'INVOLVED',
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
    })
    return t.services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date() }, 'email-test')
  })
}, 120_000)
afterAll(async () => {
  await smtp?.close()
  await t?.close()
})

describe('the outbox', () => {
  it('gets one row, to the person’s address, in the same transaction as the notification', async () => {
    const worker = f.users.SOCIAL_WORKER
    await raise(worker.id, 'email-test:a')
    const rows = await outboxFor(worker.id, 'email-test:a')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      userId: worker.id,
      kind: 'CO_ASSESSOR_ALLOCATED',
      toAddress: worker.email,
      attempts: 0,
      sentAt: null,
      lastError: null,
    })
  })

  it('gets nothing when the transaction rolls back', async () => {
    const worker = f.users.SOCIAL_WORKER
    await expect(
      inPartnership(async (trx) => {
        await notes.raise(trx, {
          partnershipId: f.partnershipId,
          userId: worker.id,
          kind: 'CO_ASSESSOR_ALLOCATED',
          caseId: childCaseId,
          dedupeKey: 'email-test:rolled-back',
        })
        const inside = await sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM email_outbox o JOIN notification n ON n.id = o.notification_id WHERE n.dedupe_key = 'email-test:rolled-back'`.execute(
          trx,
        )
        expect(inside.rows[0]?.n).toBe(1)
        throw new Error('the step failed')
      }),
    ).rejects.toThrow('the step failed')
    expect(await notificationIds(worker.id, 'email-test:rolled-back')).toEqual([])
    const all = await asSystem((trx) =>
      sql<{
        n: number
      }>`SELECT count(*)::int AS n FROM email_outbox o JOIN notification n ON n.id = o.notification_id WHERE n.dedupe_key = 'email-test:rolled-back'`.execute(
        trx,
      ),
    )
    expect(all.rows[0]?.n).toBe(0)
  })

  it('is deduplicated: raising the same notification again queues no second email', async () => {
    const worker = f.users.SOCIAL_WORKER
    await raise(worker.id, 'email-test:dedupe')
    await raise(worker.id, 'email-test:dedupe')
    await inPartnership((trx) =>
      notes.raiseToManagersAndLeads(trx, [
        {
          caseId: childCaseId,
          partnershipId: f.partnershipId,
          allocatedTeamId: f.users.TEAM_MANAGER.teamId,
          kind: 'HSB_PANEL_REQUESTED',
          dedupeKey: 'email-test:panel',
        },
      ]),
    )
    await inPartnership((trx) =>
      notes.raiseToManagersAndLeads(trx, [
        {
          caseId: childCaseId,
          partnershipId: f.partnershipId,
          allocatedTeamId: f.users.TEAM_MANAGER.teamId,
          kind: 'HSB_PANEL_REQUESTED',
          dedupeKey: 'email-test:panel',
        },
      ]),
    )
    expect(await outboxFor(worker.id, 'email-test:dedupe')).toHaveLength(1)
    expect(await outboxFor(f.users.HSB_LEAD.id, 'email-test:panel')).toHaveLength(1)
    expect(await outboxFor(f.users.TEAM_MANAGER.id, 'email-test:panel')).toHaveLength(1)
  })

  it('also gets the meetings feature’s invitations, which insert notifications directly', async () => {
    const manager = f.users.TEAM_MANAGER
    const police = f.users.POLICE_OFFICER
    const meetingId = await inPartnership(async (trx) => {
      const id = await meetingsRepository().insertMeeting(trx, {
        partnershipId: f.partnershipId,
        caseId: childCaseId,
        kind: 'STRATEGY_MEETING',
        scheduledFor: new Date(),
        chairId: manager.id,
        createdBy: manager.id,
        idempotencyKey: 'email-test-meeting',
      })
      await notes.raiseToEach(trx, [police.id, police.id], {
        partnershipId: f.partnershipId,
        kind: 'MEETING_INVITATION',
        caseId: childCaseId,
        meetingId: id,
        dedupeKey: `invitation:${id}`,
      })
      return id
    })
    const rows = await outboxFor(police.id, `invitation:${meetingId}`)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ kind: 'MEETING_INVITATION', toAddress: police.email })
  })
})

describe('the sender', () => {
  it('delivers to the SMTP server: the link, and nothing about the child', async () => {
    const email = emailService({ config: emailConfig(smtp.port), db: t.services.db })
    const result = await email.drain()
    expect(result.sent).toBeGreaterThanOrEqual(4)
    const worker = f.users.SOCIAL_WORKER
    const m = await smtp.waitFor((x) => x.to.includes(worker.email) && x.body.includes('co-assessor'))
    expect(m.from).toBe('no-reply@hsb-pathway.test')
    expect(m.subject).toBe('HSB Pathway: you have a new notification')
    expect(m.body).toContain('You have been named as a co-assessor on a case.')
    expect(m.body).toContain(`Sign in to HSB Pathway to see it: ${BASE}/notifications`)
    expectNoChildDetails(m)
    const invitation = await smtp.waitFor((x) => x.to.includes(f.users.POLICE_OFFICER.email))
    expect(invitation.body).toContain('You have been invited to a meeting.')
    expectNoChildDetails(invitation)
    const [row] = await outboxFor(worker.id, 'email-test:a')
    expect(row).toMatchObject({ attempts: 1, lastError: null })
    expect(row?.sentAt).toBeInstanceOf(Date)
    // Sent once: draining again sends nothing more.
    const count = smtp.messages.length
    expect((await email.drain()).sent).toBe(0)
    expect(smtp.messages.length).toBe(count)
  })

  it('carries an invitation’s link to set a password, and forgets the link once sent', async () => {
    const person = f.users.ANALYST
    await inPartnership((trx) =>
      t.services.auth.invitations.issue(trx, {
        partnershipId: f.partnershipId,
        userId: person.id,
        createdBy: f.users.SYSTEM_ADMINISTRATOR.id,
      }),
    )
    const email = emailService({ config: emailConfig(smtp.port), db: t.services.db })
    await email.drain()
    const m = await smtp.waitFor((x) => x.to.includes(person.email) && x.subject === 'HSB Pathway: set up your account')
    const link = new RegExp(`${BASE}/account/set-up\\?invitation=([A-Za-z0-9_-]+)`).exec(m.body)
    expect(link).not.toBeNull()
    expect((await t.services.auth.invitations.open(link![1]!)).ok).toBe(true)
    const kept = await asSystem((trx) =>
      sql<{ n: string }>`SELECT count(*) AS n FROM email_outbox WHERE link_token IS NOT NULL`.execute(trx),
    )
    expect(Number(kept.rows[0]!.n)).toBe(0)
  })

  it('keeps trying while the SMTP server is down and delivers when it is back', async () => {
    const port = await freePort()
    let offset = 0
    const email = emailService({ config: emailConfig(port), db: t.services.db, now: () => new Date(Date.now() + offset) })
    const stop = await email.start()
    let back: SmtpCapture | undefined
    try {
      const manager = f.users.TEAM_MANAGER
      await raise(manager.id, 'email-test:retry')
      const failed = await waitUntil(async () => {
        const [row] = await outboxFor(manager.id, 'email-test:retry')
        return row && row.attempts >= 1 && row.lastError ? row : undefined
      })
      expect(failed.sentAt).toBeNull()
      expect(failed.lastError).not.toMatch(/@|127\.0\.0\.1/)
      expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000)
      // Not retried before its time, even with the server back.
      back = await startSmtpCapture(port)
      await new Promise((r) => setTimeout(r, 1000))
      expect(back.messages).toEqual([])
      // Its time comes: delivered.
      offset = 61_000
      const m = await back.waitFor((x) => x.to.includes(manager.email))
      expect(m.body).toContain(`${BASE}/notifications`)
      const [sent] = await waitUntil(async () => {
        const rows = await outboxFor(manager.id, 'email-test:retry')
        return rows[0]?.sentAt ? rows : undefined
      })
      expect(sent).toMatchObject({ attempts: 2, lastError: null })
      if (dbUrl) {
        // On PostgreSQL the drain ran as pg-boss jobs, in pg-boss's own schema.
        const client = new pg.Client({ connectionString: dbUrl })
        await client.connect()
        try {
          const jobs = await client.query(
            `SELECT count(*)::int AS n FROM ${JOB_QUEUE_SCHEMA}.job WHERE name = $1 AND state = 'completed'`,
            [DRAIN_QUEUE],
          )
          expect(jobs.rows[0].n).toBeGreaterThan(0)
        } finally {
          await client.end()
        }
      }
    } finally {
      await stop()
      await back?.close()
    }
  })

  it('gives up after the last attempt, keeping only an error code', async () => {
    const port = await freePort()
    let offset = 0
    const email = emailService({
      config: emailConfig(port, { EMAIL_MAX_ATTEMPTS: '2' }),
      db: t.services.db,
      now: () => new Date(Date.now() + offset),
    })
    const worker = f.users.SOCIAL_WORKER
    await raise(worker.id, 'email-test:give-up')
    expect((await email.drain()).retrying).toBe(1)
    offset = 61_000
    expect((await email.drain()).gaveUp).toBe(1)
    const [row] = await outboxFor(worker.id, 'email-test:give-up')
    expect(row).toMatchObject({ attempts: 2, sentAt: null })
    expect(row?.gaveUpAt).toBeInstanceOf(Date)
    expect(row?.lastError).toMatch(/^[A-Z]+/)
    offset = 10 * 3_600_000
    expect((await email.drain()).gaveUp + (await email.drain()).sent).toBe(0)
  })

  it('sends nothing and starts no job queue without SMTP_HOST: emails wait in the outbox', async () => {
    const email = emailService({ config: loadConfig({ LOG_LEVEL: 'silent' }), db: t.services.db })
    const stop = await email.start()
    await raise(f.users.SOCIAL_WORKER.id, 'email-test:not-configured')
    expect(await email.drain()).toEqual({ sent: 0, retrying: 0, gaveUp: 0 })
    expect(await email.pending()).toBeGreaterThanOrEqual(1)
    await stop()
  })
})

describe('an AIM assessment past 8 weeks', () => {
  /** Moves a case along the pathway through the workflow, as the people whose steps they are. */
  async function act(caseId: string, role: Role, steps: [CaseAction, TransitionContext & CaseChanges][]) {
    const user = await actor(role)
    await inPartnership(async (trx) => {
      const onCase = t.services.kernel.actOn(trx, user, (await t.services.kernel.load(trx, user, caseId))!, 'email-test')
      for (const [action, ctx] of steps) await onCase.apply(action, ctx)
    })
  }

  it('raises AIM_ASSESSMENT_OVERDUE to the HSB lead and the team manager, and the email reaches the SMTP server', async () => {
    await act(childCaseId, 'TEAM_MANAGER', [
      ['RECORD_SCREENING', { rating: 'AMBER' }],
      ['CONFIRM_SCREENING', { rating: 'AMBER' }],
      ['ALLOCATE', { allocatedTeamId: f.users.TEAM_MANAGER.teamId, allocatedUserId: f.users.SOCIAL_WORKER.id }],
      ['FINALISE_STRATEGY_MEETING', {}],
    ])
    await act(childCaseId, 'HSB_LEAD', [['DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'WELFARE' }]])
    // Nothing yet: the assessment has only just started.
    await raiseClockNotifications(t.services.db)
    expect(await notificationsOfKind('AIM_ASSESSMENT_OVERDUE')).toEqual([])

    // The decision was nine weeks ago: both clocks have run out.
    const day = 86_400_000
    await asSystem((trx) =>
      trx
        .updateTable('caseClock')
        .set({
          startedAt: new Date(Date.now() - 63 * day),
          dueAt: sql`CASE kind WHEN 'AIM_TARGET' THEN now() - interval '21 days' ELSE now() - interval '7 days' END`,
        })
        .where('caseId', '=', childCaseId)
        .where('kind', 'in', ['AIM_TARGET', 'AIM_INTERVIEWS'])
        .execute(),
    )
    expect(await raiseClockNotifications(t.services.db)).toBeGreaterThanOrEqual(2)
    expect(await raiseClockNotifications(t.services.db)).toBe(0)
    const overdue = await notificationsOfKind('AIM_ASSESSMENT_OVERDUE')
    expect(overdue.map((n) => n.userId).sort()).toEqual([f.users.TEAM_MANAGER.id, f.users.HSB_LEAD.id].sort())
    expect(overdue[0]?.dedupeKey).toMatch(new RegExp(`^clock:${childCaseId}:AIM_INTERVIEWS:OVERDUE:`))

    // The HSB lead sees it as overdue in the service.
    const lead = await signIn(t, f.users.HSB_LEAD)
    const page = await lead.get('/notifications')
    expect(page.status).toBe(200)
    expect(page.text).toContain('AIM assessment overdue')

    // And the email reaches the SMTP server, with the link and nothing about the child.
    const email = emailService({ config: emailConfig(smtp.port), db: t.services.db })
    const stop = await email.start()
    try {
      const m = await smtp.waitFor((x) => x.to.includes(f.users.HSB_LEAD.email) && x.body.includes('An AIM assessment is overdue.'))
      expect(m.body).toContain(`${BASE}/notifications`)
      expectNoChildDetails(m)
      await smtp.waitFor((x) => x.to.includes(f.users.TEAM_MANAGER.email) && x.body.includes('An AIM assessment is overdue.'))
    } finally {
      await stop()
    }
    // No email anywhere names the child.
    for (const m of smtp.messages) expectNoChildDetails(m)
  })

  async function notificationsOfKind(kind: string) {
    return asSystem((trx) =>
      trx
        .selectFrom('notification')
        .select(['userId', 'dedupeKey'])
        .where('caseId', '=', childCaseId)
        .where('kind', '=', kind as 'AIM_ASSESSMENT_OVERDUE')
        .execute(),
    )
  }
})
