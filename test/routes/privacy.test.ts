import { randomUUID } from 'node:crypto'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_ROLES, type Role } from '../../src/platform/access/roles.js'
import type { PrivacyAlertKind } from '../../src/platform/db/schema.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * The privacy officer's workspace (issue 18): the alert queue, reviewing an alert once, access
 * reports by person, and nobody else let in. Alerts are inserted as the raising code would.
 */
let t: TestApp
let f: Fixtures
let officer: TestAgent
let officerCsrf: string

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const HOUR = 3_600_000
const ago = (hours: number) => new Date(Date.now() - hours * HOUR)

async function alert(kind: PrivacyAlertKind, by: Role, raisedAt: Date, childId: string | null, detail: Record<string, unknown> = {}) {
  return asSystem(async (trx) => {
    const row = await trx
      .insertInto('privacyAlert')
      .values({
        partnershipId: f.partnershipId,
        kind,
        userId: f.users[by].id,
        childId,
        raisedAt,
        detail: JSON.stringify(detail),
        dedupeKey: `test:${randomUUID()}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  })
}

async function auditAs(by: Role, action: string, recordType: string, recordId: string | null, occurredAt: Date) {
  await asSystem((trx) =>
    trx
      .insertInto('auditLog')
      .values({
        partnershipId: f.partnershipId,
        userId: f.users[by].id,
        action,
        recordType,
        recordId,
        outcome: 'ALLOWED',
        requestId: null,
        detail: JSON.stringify({}),
        occurredAt,
      })
      .execute(),
  )
}

const auditOf = (action: string, userId: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['recordType', 'recordId', 'outcome', 'detail'])
      .where('action', '=', action)
      .where('userId', '=', userId)
      .execute(),
  )
/** The officer's entries of one action on one child's record (what the child's access history shows). */
const onChild = (action: string, childId: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('auditLog')
      .select(['outcome', 'detail'])
      .where('action', '=', action)
      .where('userId', '=', f.users.PRIVACY_OFFICER.id)
      .where('recordType', '=', 'child')
      .where('recordId', '=', childId)
      .execute(),
  )
const alertRow = (id: string) =>
  asSystem((trx) => trx.selectFrom('privacyAlert').selectAll().where('id', '=', id).executeTakeFirstOrThrow())

let breakGlassAlert: string
let restrictedAlert: string
let volumeAlert: string
let reviewedAlert: string

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  officer = await signIn(t, f.users.PRIVACY_OFFICER)
  officerCsrf = await csrfFor(officer)
  const sw = f.users.SOCIAL_WORKER
  const strangerChild = f.children.SOCIAL_WORKER.NONE
  // A break-glass opening, with its reason, and the alert it raised 3 hours ago.
  await asSystem((trx) =>
    trx
      .insertInto('breakGlassAccess')
      .values({
        partnershipId: f.partnershipId,
        childId: strangerChild,
        userId: sw.id,
        reasonCode: 'IMMEDIATE_RISK',
        reasonText: 'Police called out of hours about the child.',
        openedAt: ago(3.1),
        expiresAt: ago(-1),
      })
      .execute(),
  )
  breakGlassAlert = await alert('BREAK_GLASS', 'SOCIAL_WORKER', ago(3), strangerChild)
  restrictedAlert = await alert('RESTRICTED_READ', 'TEAM_MANAGER', ago(5), f.restrictedChildren.TEAM_MANAGER)
  volumeAlert = await alert('UNUSUAL_VOLUME', 'HSB_LEAD', ago(1), null, { children: 61, threshold: 50 })
  reviewedAlert = await alert('RESTRICTED_READ', 'TEAM_MANAGER', ago(48), f.restrictedChildren.TEAM_MANAGER)
  await asSystem((trx) =>
    trx
      .updateTable('privacyAlert')
      .set({ reviewedBy: f.users.PRIVACY_OFFICER.id, reviewedAt: ago(47), outcome: 'APPROPRIATE' })
      .where('id', '=', reviewedAlert)
      .execute(),
  )
  // What the social worker did around the break-glass alert, and long before.
  await auditAs('SOCIAL_WORKER', 'child:read', 'child', strangerChild, ago(3))
  await auditAs('SOCIAL_WORKER', 'case:read', 'case', f.caseOf[strangerChild]!, ago(2.5))
  await auditAs('SOCIAL_WORKER', 'case:RECORD_SCREENING', 'case', f.caseOf[strangerChild]!, ago(24 * 40))
}, 120_000)
afterAll(async () => t.close())

const order = (text: string, ids: string[]) => ids.map((id) => text.indexOf(`data-alert-id="${id}"`))

describe('the privacy officer’s landing page', () => {
  it('lands on the workspace, with how many alerts wait and links to the queue and the access reports', async () => {
    const home = await officer.get('/')
    expect([home.status, home.headers.location]).toEqual([302, '/privacy/overview'])
    const page = await officer.get('/privacy/overview')
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-landing="privacy"')
    expect(page.text).toContain('3 privacy alerts are waiting for review.')
    expect(page.text).toContain('href="/privacy/alerts?status=waiting"')
    expect(page.text).toContain('href="/privacy/access"')
    expect(page.text).not.toContain('There is nothing here for you yet')
    // Navigation: the queue, the reports and notifications.
    for (const href of ['/privacy/alerts', '/privacy/access', '/notifications']) expect(page.text).toContain(`href="${href}"`)
  })
})

describe('the alert queue', () => {
  it('shows waiting alerts, oldest first, each in plain words; reviewed ones only when asked, after the waiting ones', async () => {
    const waiting = await officer.get('/privacy/alerts')
    expect(waiting.status).toBe(200)
    const [restricted, breakGlass, volume, reviewed] = order(waiting.text, [restrictedAlert, breakGlassAlert, volumeAlert, reviewedAlert])
    expect(restricted).toBeGreaterThan(0)
    expect(restricted!).toBeLessThan(breakGlass!)
    expect(breakGlass!).toBeLessThan(volume!)
    expect(reviewed).toBe(-1)
    expect(waiting.text).toContain(`Fixture SOCIAL_WORKER opened Fixture SOCIAL_WORKER-NONE’s record through break-glass on`)
    expect(waiting.text).toContain('Fixture TEAM_MANAGER opened Restricted TEAM_MANAGER’s record, which is restricted, on')
    expect(waiting.text).toContain('Fixture HSB_LEAD opened 61 children’s records within an hour')

    const all = await officer.get('/privacy/alerts?status=all')
    const positions = order(all.text, [restrictedAlert, breakGlassAlert, volumeAlert, reviewedAlert])
    expect(positions.every((p) => p > 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })

  it('filters by kind and status from the query string', async () => {
    const breakGlass = await officer.get('/privacy/alerts?kind=BREAK_GLASS&status=all')
    expect(order(breakGlass.text, [breakGlassAlert, restrictedAlert, volumeAlert, reviewedAlert])).toEqual([expect.any(Number), -1, -1, -1])
    expect(breakGlass.text).toMatch(/<option value="BREAK_GLASS" selected/)
    const reviewed = await officer.get('/privacy/alerts?kind=RESTRICTED_READ&status=reviewed')
    const [r, w] = order(reviewed.text, [reviewedAlert, restrictedAlert])
    expect(r).toBeGreaterThan(0)
    expect(w).toBe(-1)
    // Nonsense filters are no filter, not an error.
    expect((await officer.get('/privacy/alerts?kind=%3Cscript%3E&status=x&page=-4')).status).toBe(200)
  })

  it('audits reading the list', async () => {
    const rows = await auditOf('privacy:list-alerts', f.users.PRIVACY_OFFICER.id)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.outcome === 'ALLOWED')).toBe(true)
  })

  it('audits each child the list names on that child’s record (a restricted one too), with ids only', async () => {
    const named = [f.children.SOCIAL_WORKER.NONE, f.restrictedChildren.TEAM_MANAGER]
    const before = await Promise.all(named.map(async (id) => (await onChild('privacy:list-alerts', id)).length))
    const list = await officer.get('/privacy/alerts?status=all')
    expect(list.text).toContain('Restricted TEAM_MANAGER')
    const after = await Promise.all(named.map((id) => onChild('privacy:list-alerts', id)))
    expect(after.map((rows) => rows.length)).toEqual(before.map((n) => n + 1))
    for (const rows of after) expect(rows.every((r) => r.outcome === 'ALLOWED' && JSON.stringify(r.detail) === '{}')).toBe(true)
    // And it shows in the child's access history.
    const history = await officer.get(`/children/${f.restrictedChildren.TEAM_MANAGER}/access-history`)
    expect(history.text).toContain('Listed the privacy alerts')
  })
})

describe('reviewing an alert', () => {
  it('shows who, their roles and agency, the child, the reason given, and their other reads around then; audited', async () => {
    const page = await officer.get(`/privacy/alerts/${breakGlassAlert}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Fixture SOCIAL_WORKER')
    expect(page.text).toContain('Social worker')
    expect(page.text).toContain('Fixture Children’s Services')
    expect(page.text).toContain('Police called out of hours about the child.')
    expect(page.text).toContain(`href="/children/${f.children.SOCIAL_WORKER.NONE}/access-history"`)
    expect(page.text).toContain(`href="/privacy/access/people/${f.users.SOCIAL_WORKER.id}"`)
    // Around the alert (two hours either side): the record and the case opened; not the screening weeks ago.
    const around = page.text.slice(page.text.indexOf('data-qa="around"'))
    expect(around).toContain('Opened the record')
    expect(around).toContain('Opened a case')
    expect(around).not.toContain('Screening recorded')
    expect(page.text).toContain('name="form-key"')
    const reads = await auditOf('privacy:read-alert', f.users.PRIVACY_OFFICER.id)
    expect(reads).toContainEqual(expect.objectContaining({ recordType: 'child', recordId: f.children.SOCIAL_WORKER.NONE }))
  })

  const send = async (alertId: string, body: Record<string, string>) => {
    const page = await officer.get(`/privacy/alerts/${alertId}`)
    const key = /name="form-key" value="([^"]+)"/.exec(page.text)?.[1] ?? ''
    const res = await officer
      .post(`/privacy/alerts/${alertId}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), 'form-key': key, ...body })
    return { res, key }
  }

  it('audits each other child the reads around the alert name, on that child’s record', async () => {
    const other = f.children.SOCIAL_WORKER.INVOLVED
    await auditAs('SOCIAL_WORKER', 'child:read', 'child', other, ago(2.9))
    const before = (await onChild('privacy:read-alert', other)).length
    const page = await officer.get(`/privacy/alerts/${breakGlassAlert}`)
    expect(page.text).toContain('Fixture SOCIAL_WORKER-INVOLVED')
    const after = await onChild('privacy:read-alert', other)
    expect(after).toHaveLength(before + 1)
    expect(after).toContainEqual({ outcome: 'ALLOWED', detail: { alertId: breakGlassAlert } })
  })

  it('asks for an outcome, and a note for follow-up or a breach, keeping what was typed', async () => {
    const none = await send(restrictedAlert, { note: '' })
    expect(none.res.status).toBe(400)
    expect(none.res.text).toContain('Select the outcome of your review')
    const followUp = await send(restrictedAlert, { outcome: 'FOLLOW_UP', note: '  ' })
    expect(followUp.res.status).toBe(400)
    expect(followUp.res.text).toContain('Enter a note saying what follow-up is needed')
    expect(followUp.res.text).toMatch(/value="FOLLOW_UP" checked/)
    const breach = await send(restrictedAlert, { outcome: 'BREACH' })
    expect(breach.res.text).toContain('Enter a note saying what the breach was')
    expect((await alertRow(restrictedAlert)).reviewedAt).toBeNull()
  })

  it('records a review with its note; audited; the same form sent again changes nothing; a second review is refused', async () => {
    const { res, key } = await send(restrictedAlert, { outcome: 'FOLLOW_UP', note: 'Ask the team manager why they opened it.' })
    expect([res.status, res.headers.location]).toEqual([302, `/privacy/alerts/${restrictedAlert}`])
    const row = await alertRow(restrictedAlert)
    expect(row).toMatchObject({
      outcome: 'FOLLOW_UP',
      outcomeNote: 'Ask the team manager why they opened it.',
      reviewedBy: f.users.PRIVACY_OFFICER.id,
    })
    expect(row.reviewedAt).toBeInstanceOf(Date)
    const audited = await auditOf('privacy:review-alert', f.users.PRIVACY_OFFICER.id)
    expect(audited).toEqual([expect.objectContaining({ recordType: 'privacy_alert', recordId: restrictedAlert, outcome: 'ALLOWED' })])

    // Back and send the same form again: its own review, nothing more.
    const again = await officer
      .post(`/privacy/alerts/${restrictedAlert}`)
      .type('form')
      .send({ _csrf: officerCsrf, 'form-key': key, outcome: 'BREACH', note: 'Changed my mind' })
    expect(again.status).toBe(302)
    expect(await alertRow(restrictedAlert)).toMatchObject({ outcome: 'FOLLOW_UP', reviewedAt: row.reviewedAt })
    expect(await auditOf('privacy:review-alert', f.users.PRIVACY_OFFICER.id)).toHaveLength(1)

    // Another form: refused, the review stands.
    const second = await officer
      .post(`/privacy/alerts/${restrictedAlert}`)
      .type('form')
      .send({ _csrf: officerCsrf, 'form-key': randomUUID(), outcome: 'APPROPRIATE' })
    expect(second.status).toBe(409)
    expect(second.text).toContain('This alert was already reviewed')
    expect((await alertRow(restrictedAlert)).outcome).toBe('FOLLOW_UP')
    // The refused attempt is on the record: one DENIED entry beside the review.
    const entries = await auditOf('privacy:review-alert', f.users.PRIVACY_OFFICER.id)
    expect(entries).toHaveLength(2)
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordId: restrictedAlert, outcome: 'ALLOWED' }),
        expect.objectContaining({ recordType: 'privacy_alert', recordId: restrictedAlert, outcome: 'DENIED' }),
      ]),
    )

    // The page shows the review instead of the form.
    const page = await officer.get(`/privacy/alerts/${restrictedAlert}`)
    expect(page.text).toContain('Ask the team manager why they opened it.')
    expect(page.text).not.toContain('data-qa="review-form"')
  })

  it('takes “appropriate” without a note', async () => {
    const { res } = await send(volumeAlert, { outcome: 'APPROPRIATE' })
    expect(res.status).toBe(302)
    expect(await alertRow(volumeAlert)).toMatchObject({ outcome: 'APPROPRIATE', outcomeNote: null })
  })

  it('refuses a form without its key, and an alert that does not exist', async () => {
    const res = await officer.post(`/privacy/alerts/${breakGlassAlert}`).type('form').send({ _csrf: officerCsrf, outcome: 'APPROPRIATE' })
    expect(res.status).toBe(400)
    expect((await alertRow(breakGlassAlert)).reviewedAt).toBeNull()
    expect((await officer.get(`/privacy/alerts/${randomUUID()}`)).status).toBe(404)
    expect((await officer.get('/privacy/alerts/not-an-id')).status).toBe(404)
  })
})

describe('access reports', () => {
  it('lists the people to choose from, and goes to the one chosen', async () => {
    const page = await officer.get('/privacy/access')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Fixture SOCIAL_WORKER (Fixture Children’s Services)')
    const chosen = await officer.get(`/privacy/access?person=${f.users.SOCIAL_WORKER.id}`)
    expect([chosen.status, chosen.headers.location]).toEqual([302, `/privacy/access/people/${f.users.SOCIAL_WORKER.id}`])
    expect((await officer.get('/privacy/access?person=')).status).toBe(400)
  })

  it('shows every entry by the person in the last 30 days by default, in plain words, with the child; audited', async () => {
    const res = await officer.get(`/privacy/access/people/${f.users.SOCIAL_WORKER.id}`)
    expect(res.status).toBe(200)
    const entries = res.text.slice(res.text.indexOf('data-qa="entries"'))
    expect(entries).toContain('Opened the record')
    expect(entries).toContain('Opened a case')
    expect(entries).toContain('Fixture SOCIAL_WORKER-NONE')
    // 40 days ago: outside the default range.
    expect(entries).not.toContain('Screening recorded')
    expect(res.text).not.toMatch(/>\s*(case|child):[a-zA-Z_-]+\s*</)
    const audited = await auditOf('privacy:access-report-person', f.users.PRIVACY_OFFICER.id)
    expect(audited).toContainEqual(expect.objectContaining({ recordType: 'user', recordId: f.users.SOCIAL_WORKER.id }))
    // And the child the report names, on the child's record (whose report: an id only).
    expect(await onChild('privacy:access-report-person', f.children.SOCIAL_WORKER.NONE)).toContainEqual({
      outcome: 'ALLOWED',
      detail: { personId: f.users.SOCIAL_WORKER.id },
    })
  })

  it('takes a date range (GOV.UK date inputs), and says what is wrong with one', async () => {
    const at = ago(24 * 40)
    const day = (d: Date) => ({ day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) })
    const from = day(new Date(at.getTime() - 2 * 24 * HOUR))
    const to = day(new Date(at.getTime() + 2 * 24 * HOUR))
    const q = `from-day=${from.day}&from-month=${from.month}&from-year=${from.year}&to-day=${to.day}&to-month=${to.month}&to-year=${to.year}`
    const res = await officer.get(`/privacy/access/people/${f.users.SOCIAL_WORKER.id}?${q}`)
    expect(res.status).toBe(200)
    const entries = res.text.slice(res.text.indexOf('data-qa="entries"'))
    expect(entries).toContain('Screening recorded')
    expect(entries).not.toContain('Opened a case')

    const bad = await officer.get(`/privacy/access/people/${f.users.SOCIAL_WORKER.id}?from-day=31&from-month=2&from-year=2025&to-day=1`)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Start date must be a real date')
    expect(bad.text).toContain('End date must include a month and year')
    expect(bad.text).toContain('value="31"')
    const backwards = await officer.get(
      `/privacy/access/people/${f.users.SOCIAL_WORKER.id}?from-day=2&from-month=2&from-year=2025&to-day=1&to-month=2&to-year=2025`,
    )
    expect(backwards.text).toContain('End date must be the same as or after the start date')
  })

  it('is a page that does not exist for someone of another partnership or no one', async () => {
    expect((await officer.get(`/privacy/access/people/${randomUUID()}`)).status).toBe(404)
  })

  it('lets the privacy officer see who has opened a restricted record', async () => {
    const res = await officer.get(`/children/${f.restrictedChildren.PRIVACY_OFFICER}/access-history`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Restricted PRIVACY_OFFICER')
  })
})

describe('notifications for the privacy officer', () => {
  it('lead to the alert queue', async () => {
    await asSystem((trx) =>
      trx
        .insertInto('notification')
        .values({
          partnershipId: f.partnershipId,
          userId: f.users.PRIVACY_OFFICER.id,
          kind: 'PRIVACY_ALERT',
          dedupeKey: `privacy-alert:${volumeAlert}`,
        })
        .execute(),
    )
    const page = await officer.get('/notifications')
    expect(page.status).toBe(200)
    expect(page.text).toContain('href="/privacy/alerts"')
  })
})

describe('everyone else', () => {
  it('is refused every page of the workspace, and the refusal is audited', async () => {
    for (const role of ALL_ROLES.filter((r) => r !== 'PRIVACY_OFFICER')) {
      const agent = await signIn(t, f.users[role])
      const csrf = await csrfFor(agent)
      for (const path of [
        '/privacy/overview',
        '/privacy/alerts',
        `/privacy/alerts/${breakGlassAlert}`,
        '/privacy/access',
        `/privacy/access/people/${f.users.SOCIAL_WORKER.id}`,
      ])
        expect((await agent.get(path)).status, `${role} ${path}`).toBe(403)
      const post = await agent
        .post(`/privacy/alerts/${breakGlassAlert}`)
        .type('form')
        .send({ _csrf: csrf, 'form-key': randomUUID(), outcome: 'APPROPRIATE' })
      expect(post.status, role).toBe(403)
      const refused = await asSystem((trx) =>
        trx
          .selectFrom('auditLog')
          .select('outcome')
          .where('userId', '=', f.users[role].id)
          .where('action', '=', 'privacy:review')
          .execute(),
      )
      expect(refused.length, role).toBeGreaterThanOrEqual(6)
      expect(refused.every((r) => r.outcome === 'DENIED')).toBe(true)
    }
    expect((await alertRow(breakGlassAlert)).reviewedAt).toBeNull()
  }, 120_000)
})
