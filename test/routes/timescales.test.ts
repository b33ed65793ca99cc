import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { navigationFor } from '../../src/features/home/navigation.js'
import { dueAt, withLocalLengths } from '../../src/platform/clocks/clocks.rules.js'
import { addCalendarDays, londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Local timescales: the HSB lead (or a head of service) changes a clock's length from a date on
 * a page; the kernel reads the length in effect when each clock starts, with no restart, and
 * clocks already running keep theirs.
 */
let t: TestApp
let f: Fixtures
let lead: TestAgent
let worker: TestAgent
let leadCsrf: string
let workerCsrf: string

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''
const dateFields = (iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string]
  return { 'effective-day': String(Number(day)), 'effective-month': String(Number(month)), 'effective-year': year }
}
const changes = (kind: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('partnershipTimescale')
      .selectAll()
      .where('partnershipId', '=', f.partnershipId)
      .where('clockKind', '=', kind)
      .orderBy('changedAt')
      .execute(),
  )
const clockOf = (caseId: string, kind: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('caseClock')
      .select(['startedAt', 'dueAt'])
      .where('caseId', '=', caseId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow(),
  )

/** A case opened at the front door, its request received at `receivedAt` (which starts its referral decision clock). */
async function openCase(receivedAt: Date): Promise<string> {
  const opener = await t.services.auth.currentUser(f.users.TEAM_MANAGER.id)
  return transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
    t.services.kernel.openIn(
      trx,
      opener!,
      { childId: f.children.TEAM_MANAGER.SAME_TEAM, route: 'NEW', referralReceivedAt: receivedAt },
      't',
    ),
  )
}

/** The clock page's form, filled in (a fresh page each time, so each has its own one-time key). */
async function changeForm(agent: TestAgent, kind: string, fields: Record<string, string>) {
  const page = await agent.get(`/admin/timescales/${kind}`)
  return { _csrf: leadCsrf, 'form-key': hidden(page.text, 'form-key'), ...fields }
}

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  lead = await signIn(t, f.users.HSB_LEAD)
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  leadCsrf = await csrfFor(lead)
  workerCsrf = await csrfFor(worker)
}, 120_000)
afterAll(async () => t.close())

describe('the timescales page', () => {
  it('shows every clock with its national length and the length in effect today', async () => {
    const page = await lead.get('/admin/timescales')
    expect(page.status).toBe(200)
    // Each clock named once, its national length in its own column (not repeated in the name).
    expect(page.text).toMatch(/data-qa="timescale-STRATEGY_MEETING"[\s\S]*?>Strategy meeting<\/th>[\s\S]*?24 hours/)
    expect(page.text).toMatch(/data-qa="timescale-ASSESSMENT"[\s\S]*?>Child and family assessment<\/th>[\s\S]*?45 working days/)
    expect(page.text).not.toContain('Strategy meeting (24 hours)')
    expect(page.text).toMatch(/data-qa="timescale-AIM_TARGET"[\s\S]*?6 weeks[\s\S]*?6 weeks[\s\S]*?None/)
    const clock = await lead.get('/admin/timescales/STRATEGY_MEETING')
    expect(clock.status).toBe(200)
    expect(clock.text).toContain('govuk-input__suffix')
    expect(clock.text).toMatch(/<div class="govuk-input__suffix"[^>]*>hours<\/div>/)
    expect(clock.text).toContain('data-qa="timescale-history-empty"')
  })

  it('changes a length from tomorrow: a clock started today keeps the old length, one started after uses the new', async () => {
    const today = londonDate(new Date())
    const tomorrow = addCalendarDays(today, 1)
    const res = await lead
      .post('/admin/timescales/REFERRAL_DECISION')
      .type('form')
      .send(
        await changeForm(lead, 'REFERRAL_DECISION', {
          length: '3',
          ...dateFields(tomorrow),
          reason: 'Agreed by the partnership executive',
        }),
      )
    expect([res.status, res.headers.location]).toEqual([302, '/admin/timescales/REFERRAL_DECISION'])

    const shown = await lead.get('/admin/timescales/REFERRAL_DECISION')
    expect(shown.text).toContain('Referral decision timescale changed')
    expect(shown.text).toMatch(
      /data-qa="timescale-history"[\s\S]*?Fixture HSB_LEAD[\s\S]*?1 working day[\s\S]*?3 working days[\s\S]*?Agreed by the partnership executive/,
    )
    const overview = await lead.get('/admin/timescales')
    expect(overview.text).toMatch(
      /data-qa="timescale-REFERRAL_DECISION"[\s\S]*?1 working day[\s\S]*?1 working day[\s\S]*?3 working days from/,
    )

    // No restart: the running service starts the next clocks with the length in effect on their day.
    const now = new Date()
    const startedToday = await openCase(now)
    const later = new Date(now.getTime() + 3 * 24 * 3600_000)
    const startedLater = await openCase(later)
    expect((await clockOf(startedToday, 'REFERRAL_DECISION')).dueAt.toISOString()).toBe(dueAt('REFERRAL_DECISION', now).toISOString())
    expect((await clockOf(startedLater, 'REFERRAL_DECISION')).dueAt.toISOString()).toBe(
      dueAt('REFERRAL_DECISION', later, withLocalLengths({ REFERRAL_DECISION: 3 })).toISOString(),
    )

    const rows = await changes('REFERRAL_DECISION')
    expect(rows.map((r) => [r.length, r.previousLength, r.changedBy, r.reason])).toEqual([
      [3, 1, f.users.HSB_LEAD.id, 'Agreed by the partnership executive'],
    ])
    const audit = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['userId', 'outcome', 'recordId', 'detail'])
        .where('action', '=', 'timescale:change')
        .where('partnershipId', '=', f.partnershipId)
        .execute(),
    )
    expect(audit).toEqual([
      {
        userId: f.users.HSB_LEAD.id,
        outcome: 'ALLOWED',
        recordId: rows[0]!.id,
        detail: { clock: 'REFERRAL_DECISION', unit: 'working-days', from: 1, to: 3, effectiveFrom: tomorrow, withReason: true },
      },
    ])
  })

  it('keeps a clock already running as it started', async () => {
    const running = await openCase(new Date())
    const before = await clockOf(running, 'REFERRAL_DECISION')
    const res = await lead
      .post('/admin/timescales/REFERRAL_DECISION')
      .type('form')
      .send(await changeForm(lead, 'REFERRAL_DECISION', { length: '2', ...dateFields(londonDate(new Date())), reason: '' }))
    expect(res.status).toBe(302)
    expect(await clockOf(running, 'REFERRAL_DECISION')).toEqual(before)
  })

  it('refuses bad input with every message beside its field, keeping what was typed', async () => {
    const yesterday = addCalendarDays(londonDate(new Date()), -1)
    const res = await lead
      .post('/admin/timescales/STRATEGY_MEETING')
      .type('form')
      .send(await changeForm(lead, 'STRATEGY_MEETING', { length: '36.5', ...dateFields(yesterday), reason: 'Typed <b>reason</b>' }))
    expect(res.status).toBe(400)
    expect(res.text).toContain('There is a problem')
    expect(res.text).toContain('The length must be a whole number of hours')
    expect(res.text).toContain(
      'The date the change takes effect must be today or in the future: clocks already started keep the length they started with',
    )
    expect(res.text).toContain('value="36.5"')
    expect(res.text).toContain(`value="${Number(yesterday.slice(8))}"`)
    expect(res.text).toContain('Typed &lt;b&gt;reason&lt;/b&gt;')
    expect(res.text).toMatch(/<title>Error: /)

    for (const [length, message] of [
      ['', 'Enter the length in hours'],
      ['0', 'The length must be at least 1 hour'],
      ['-12', 'The length must be at least 1 hour'],
      ['10000', 'The length must be 168 hours or fewer'],
      ['24', 'The strategy meeting timescale is already 24 hours on that date. Enter a different length'],
    ]) {
      const again = await lead
        .post('/admin/timescales/STRATEGY_MEETING')
        .type('form')
        .send(await changeForm(lead, 'STRATEGY_MEETING', { length: length!, ...dateFields(londonDate(new Date())), reason: '' }))
      expect([again.status, again.text.includes(message!)], length).toEqual([400, true])
    }
    expect(await changes('STRATEGY_MEETING')).toEqual([])
  })

  it('makes one change however often the same form is sent', async () => {
    const form = await changeForm(lead, 'AIM_TARGET', {
      length: '5',
      ...dateFields(addCalendarDays(londonDate(new Date()), 7)),
      reason: '',
    })
    for (let i = 0; i < 3; i++) expect((await lead.post('/admin/timescales/AIM_TARGET').type('form').send(form)).status).toBe(302)
    expect(await changes('AIM_TARGET')).toHaveLength(1)
    const missingKey = await lead
      .post('/admin/timescales/AIM_TARGET')
      .type('form')
      .send({ ...form, 'form-key': 'not-a-key', length: '4' })
    expect(missingKey.status).toBe(400)
    expect(await changes('AIM_TARGET')).toHaveLength(1)
  })

  it('is a 404 for a clock that does not exist', async () => {
    expect((await lead.get('/admin/timescales/NAP_TIME')).status).toBe(404)
  })

  it('refuses every other role, audited, and offers the page only to the HSB lead and heads of service', async () => {
    expect((await worker.get('/admin/timescales')).status).toBe(403)
    expect((await worker.get('/admin/timescales/STRATEGY_MEETING')).status).toBe(403)
    const post = await worker
      .post('/admin/timescales/STRATEGY_MEETING')
      .type('form')
      .send({ _csrf: workerCsrf, 'form-key': crypto.randomUUID(), length: '48', ...dateFields(londonDate(new Date())) })
    expect(post.status).toBe(403)
    expect(await changes('STRATEGY_MEETING')).toEqual([])
    // The route guard refuses them before the service is reached, and audits each refusal.
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'recordId', 'outcome'])
        .where('userId', '=', f.users.SOCIAL_WORKER.id)
        .where('action', '=', 'timescales:manage')
        .execute(),
    )
    expect(denied.map((d) => `${d.recordId} ${d.outcome}`).sort()).toEqual([
      'GET /admin/timescales DENIED',
      'GET /admin/timescales/:kind DENIED',
      'POST /admin/timescales/:kind DENIED',
    ])
    const user = (role: 'HSB_LEAD' | 'HEAD_OF_SERVICE' | 'SOCIAL_WORKER' | 'SYSTEM_ADMINISTRATOR') => ({
      id: 'u',
      partnershipId: 'p',
      agencyId: 'a',
      teamIds: [],
      roles: [role],
      displayName: '',
      email: '',
      agencyName: '',
    })
    const offered = (role: Parameters<typeof user>[0]) => navigationFor(user(role), '/').some((i) => i.href === '/admin/timescales')
    expect([offered('HSB_LEAD'), offered('HEAD_OF_SERVICE'), offered('SOCIAL_WORKER'), offered('SYSTEM_ADMINISTRATOR')]).toEqual([
      true,
      true,
      false,
      false,
    ])
  })

  it('takes the command line’s change through the same rule, from today, shown as the system’s', async () => {
    const timescales = t.services.cases.service.timescales
    const system = { system: true as const, partnershipId: f.partnershipId }
    expect(await timescales.setFromCommandLine(system, 'SERIOUS_INCIDENT_NOTIFICATION', '4')).toEqual({
      ok: true,
      effectiveFrom: londonDate(new Date()),
    })
    expect(await timescales.setFromCommandLine(system, 'SERIOUS_INCIDENT_NOTIFICATION', '4')).toEqual({
      ok: false,
      error: 'The serious incident notification timescale is already 4 working days on that date. Enter a different length',
    })
    expect(await timescales.setFromCommandLine(system, 'SERIOUS_INCIDENT_NOTIFICATION', '0')).toEqual({
      ok: false,
      error: 'The length must be at least 1 working day',
    })
    const page = await lead.get('/admin/timescales/SERIOUS_INCIDENT_NOTIFICATION')
    expect(page.text).toMatch(/data-qa="timescale-history"[\s\S]*?Command line \(system\)[\s\S]*?5 working days[\s\S]*?4 working days/)
  })
})
