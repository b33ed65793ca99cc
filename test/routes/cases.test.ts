import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRepository } from '../../src/platform/audit/audit.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { caseKernel } from '../../src/features/cases/kernel.js'
import { casesRepository } from '../../src/features/cases/cases.repository.js'
import { casesService } from '../../src/features/cases/cases.service.js'
import { createTestApp, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { QueryCounter } from '../support/query-counter.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
})
afterAll(async () => t.close())

async function toStrategyDue(caseId: string) {
  const { kernel } = t.services
  await kernel.run(manager, caseId, 's1', (act) => act.apply('RECORD_SCREENING', {}))
  await kernel.run(manager, caseId, 's2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'AMBER' }))
}

describe('the case page', () => {
  it('shows the status, rating, clocks and history to someone who can read the child', async () => {
    const caseId = f.caseOf[f.children.TEAM_MANAGER.SAME_AGENCY]!
    await toStrategyDue(caseId)
    const agent = await signIn(t, f.users.TEAM_MANAGER)
    const res = await agent.get(`/cases/${caseId}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain("data-qa='case-status'>Strategy meeting due<")
    expect(res.text).toContain('Amber')
    expect(res.text).toContain('Strategy meeting (24 hours)')
    expect(res.text).toContain('Child and family assessment (45 working days)')
    // The history says what happened, in words.
    expect(res.text).toContain('Screening confirmed (management oversight)')
    expect(res.text).toContain(`/cases/${caseId}/strategy-meeting/new`)
  })

  it('shows a clock in its last fifth as due soon, as the queues do', async () => {
    const caseId = f.caseOf[f.children.HEAD_OF_SERVICE.SAME_AGENCY]!
    await toStrategyDue(caseId)
    // Started 22 hours ago, due in 2: inside the last 5 hours of the 24.
    await transaction(t.services.db, 'system', (trx) =>
      trx
        .updateTable('caseClock')
        .set({ startedAt: new Date(Date.now() - 22 * 3600_000), dueAt: new Date(Date.now() + 2 * 3600_000) })
        .where('caseId', '=', caseId)
        .where('kind', '=', 'STRATEGY_MEETING')
        .execute(),
    )
    const agent = await signIn(t, f.users.HEAD_OF_SERVICE)
    const page = await agent.get(`/cases/${caseId}`)
    expect(page.status).toBe(200)
    expect(page.text).toMatch(/Strategy meeting \(24 hours\)<\/td>\s*<td[^>]*>\s*<strong class="govuk-tag govuk-tag--yellow">\s*Due soon/)
  })

  it('warns of an overdue clock and takes the reason it was missed, with the input kept on error', async () => {
    const caseId = f.caseOf[f.children.TEAM_MANAGER.SAME_TEAM]!
    await toStrategyDue(caseId)
    await transaction(t.services.db, 'system', (trx) =>
      trx
        .updateTable('caseClock')
        .set({ dueAt: new Date(Date.now() - 3 * 3600_000) })
        .where('caseId', '=', caseId)
        .where('kind', '=', 'STRATEGY_MEETING')
        .execute(),
    )
    const agent = await signIn(t, f.users.TEAM_MANAGER)
    const page = await agent.get(`/cases/${caseId}`)
    expect(page.text).toContain('data-qa="overdue-warning"')
    expect(page.text).toMatch(/Overdue by \d+ hours?/)
    const form = await agent.get(`/cases/${caseId}/clocks/STRATEGY_MEETING/reason`)
    expect(form.status).toBe(200)
    const empty = await agent
      .post(`/cases/${caseId}/clocks/STRATEGY_MEETING/reason`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), reason: '   ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter why the timescale was missed')
    const saved = await agent
      .post(`/cases/${caseId}/clocks/STRATEGY_MEETING/reason`)
      .type('form')
      .send({ _csrf: csrfFrom(empty.text), reason: 'Police could not attend until the next morning.' })
    expect(saved.status).toBe(302)
    const after = await agent.get(`/cases/${caseId}`)
    expect(after.text).toContain('Police could not attend until the next morning.')
    expect((await agent.get(`/cases/${caseId}/clocks/NOT_A_CLOCK/reason`)).status).toBe(404)
  })

  it('is refused to a police officer who is not involved, and the refusal is audited', async () => {
    const caseId = f.caseOf[f.children.POLICE_OFFICER.OTHER_AGENCY]!
    const agent = await signIn(t, f.users.POLICE_OFFICER)
    const res = await agent.get(`/cases/${caseId}`)
    expect(res.status).toBe(403)
    expect(res.text).not.toContain('POLICE_OFFICER-OTHER_AGENCY')
    const rows = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('auditLog')
        .select(['outcome'])
        .where('recordId', '=', caseId)
        .where('userId', '=', f.users.POLICE_OFFICER.id)
        .execute(),
    )
    expect(rows).toEqual([{ outcome: 'DENIED' }])
    // …and the HSB lead sees the refused attempt on the child's "who has seen this record" page.
    const lead = await signIn(t, f.users.HSB_LEAD)
    const history = await lead.get(`/children/${f.children.POLICE_OFFICER.OTHER_AGENCY}/access-history`)
    expect(history.status).toBe(200)
    expect(history.text).toMatch(/Fixture POLICE_OFFICER[\s\S]*?Opened a case[\s\S]*?Denied/)
  })

  it('runs the same number of statements for a case with 3 events and with 300', async () => {
    const counter = new QueryCounter()
    const db = t.services.db.withPlugin(counter)
    const repo = casesRepository()
    const audit = auditRepository()
    const service = casesService({ db, audit, cases: caseKernel({ db, audit }) })
    const small = f.caseOf[f.children.HSB_LEAD.INVOLVED]!
    const large = f.caseOf[f.children.HSB_LEAD.SAME_TEAM]!
    await transaction(t.services.db, 'system', async (trx) => {
      for (let i = 0; i < 300; i++) {
        await repo.insertEvent(trx, {
          partnershipId: f.partnershipId,
          caseId: large,
          action: 'RECORD_CLOCK_REASON',
          fromStatus: 'REFERRED',
          toStatus: 'REFERRED',
          actorId: f.users.HSB_LEAD.id,
        })
      }
    })
    const lead = (await t.services.auth.currentUser(f.users.HSB_LEAD.id))!
    counter.count = 0
    const a = await service.viewCase(lead, small, 'q1')
    const smallCount = counter.count
    counter.count = 0
    const b = await service.viewCase(lead, large, 'q2')
    expect(b.events.length).toBeGreaterThan(300)
    expect(a.events.length).toBeLessThan(5)
    expect(counter.count).toBe(smallCount)
    // set_config, load with access, audit, events, clocks.
    expect(smallCount).toBeLessThanOrEqual(6)
  })
})

describe('completing the child and family assessment', () => {
  const day = 86_400_000
  const ukDate = (d: Date) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(d)
  const part = (d: Date, type: string) => ukDate(d).find((p) => p.type === type)?.value ?? ''
  const dateFields = (d: Date) => ({
    'completed-day': part(d, 'day'),
    'completed-month': part(d, 'month'),
    'completed-year': part(d, 'year'),
  })
  const clockOf = (caseId: string) =>
    transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('caseClock').selectAll().where('caseId', '=', caseId).where('kind', '=', 'ASSESSMENT').executeTakeFirstOrThrow(),
    )
  /** A case the social worker works on, received ten days ago, at "strategy meeting due" (its 45-working-day clock running). */
  async function caseReceivedTenDaysAgo() {
    const childId = f.children.SOCIAL_WORKER.SAME_TEAM
    const caseId = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      t.services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(Date.now() - 10 * day) }, 'cfa'),
    )
    await toStrategyDue(caseId)
    return caseId
  }

  it('records when it was completed and its outcome, stops its clock on that day, and cannot be done twice', async () => {
    const caseId = await caseReceivedTenDaysAgo()
    const worker = await signIn(t, f.users.SOCIAL_WORKER)
    const form = await worker.get(`/cases/${caseId}/child-and-family-assessment`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('When was the assessment completed?')
    // The case page links to it.
    expect((await worker.get(`/cases/${caseId}`)).text).toContain(`/cases/${caseId}/child-and-family-assessment`)

    const post = (body: Record<string, string>) =>
      worker
        .post(`/cases/${caseId}/child-and-family-assessment`)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), ...body })
    const future = await post({ ...dateFields(new Date(Date.now() + 2 * day)), outcome: 'CHILD_IN_NEED' })
    expect(future.status).toBe(400)
    expect(future.text).toContain('Date the assessment was completed must be today or in the past')
    expect(future.text).toMatch(/value="CHILD_IN_NEED" checked/)
    const early = await post({ ...dateFields(new Date(Date.now() - 20 * day)), outcome: 'CHILD_IN_NEED' })
    expect(early.text).toContain('must be the same as or after the date the request for support was received')
    const noOutcome = await post(dateFields(new Date(Date.now() - 3 * day)))
    expect([noOutcome.status, noOutcome.text.includes('Select the outcome of the assessment')]).toEqual([400, true])
    expect((await clockOf(caseId)).metAt).toBeNull()

    const done = await post({ ...dateFields(new Date(Date.now() - 3 * day)), outcome: 'CHILD_IN_NEED' })
    expect([done.status, done.headers.location]).toEqual([302, `/cases/${caseId}`])
    const clock = await clockOf(caseId)
    // Met at the end of the day it was completed (UK time), three days ago, not when it was typed in.
    expect(clock.metAt!.getTime()).toBeLessThan(Date.now() - 2 * day)
    expect(clock.metAt!.getTime()).toBeLessThanOrEqual(clock.dueAt.getTime())
    const event = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('caseEvent')
        .select(['detail', 'actorId'])
        .where('caseId', '=', caseId)
        .where('action', '=', 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT')
        .executeTakeFirstOrThrow(),
    )
    expect(event).toMatchObject({ actorId: f.users.SOCIAL_WORKER.id, detail: { outcome: 'CHILD_IN_NEED' } })

    // A clock cannot be stopped twice: a second completion is refused and the refusal audited.
    const again = await post({ ...dateFields(new Date()), outcome: 'NO_FURTHER_ACTION' })
    expect(again.status).toBe(409)
    expect(again.text).toContain('The child and family assessment is not running on this case')
    const audit = await transaction(t.services.db, 'system', (trx) =>
      trx
        .selectFrom('auditLog')
        .select(['outcome'])
        .where('action', '=', 'case:COMPLETE_CHILD_AND_FAMILY_ASSESSMENT')
        .where('recordId', '=', caseId)
        .orderBy('id')
        .execute(),
    )
    expect(audit.map((a) => a.outcome)).toEqual(['ALLOWED', 'DENIED'])
  })

  it('is refused before a concern is confirmed (409) and to a role that does not assess (403)', async () => {
    const referred = f.caseOf[f.children.SOCIAL_WORKER.INVOLVED]!
    const worker = await signIn(t, f.users.SOCIAL_WORKER)
    const notYet = await worker.get(`/cases/${referred}/child-and-family-assessment`)
    expect(notYet.status).toBe(409)
    expect(notYet.text).toContain('so “Complete the child and family assessment” cannot be done now')
    const lead = await signIn(t, f.users.HSB_LEAD)
    expect((await lead.get(`/cases/${referred}/child-and-family-assessment`)).status).toBe(403)
  })
})

describe('recording the outcome of a section 47 enquiry', () => {
  const day = 86_400_000
  const part = (d: Date, type: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' })
      .formatToParts(d)
      .find((p) => p.type === type)?.value ?? ''
  const dateFields = (d: Date) => ({
    'completed-day': part(d, 'day'),
    'completed-month': part(d, 'month'),
    'completed-year': part(d, 'year'),
  })
  const conferenceClock = (caseId: string) =>
    transaction(t.services.db, 'system', (trx) =>
      trx.selectFrom('caseClock').selectAll().where('caseId', '=', caseId).where('kind', '=', 'INITIAL_CONFERENCE').executeTakeFirst(),
    )

  it('stops the conference clock on the day the enquiry concluded, with its outcome, once; not before its strategy meeting', async () => {
    const childId = f.children.SOCIAL_WORKER.SAME_TEAM
    const caseId = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      t.services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(Date.now() - 20 * day) }, 's47'),
    )
    await toStrategyDue(caseId)
    // The strategy meeting, held 10 days ago, started a section 47 enquiry (its conference clock).
    await t.services.kernel.run(manager, caseId, 's47-m', (act) =>
      act.apply('FINALISE_STRATEGY_MEETING', {
        outcomes: ['INITIAL_CHILD_PROTECTION_CONFERENCE'],
        occurredAt: new Date(Date.now() - 10 * day),
      }),
    )
    expect((await conferenceClock(caseId))?.metAt).toBeNull()

    const worker = await signIn(t, f.users.SOCIAL_WORKER)
    const form = await worker.get(`/cases/${caseId}/section-47-enquiry`)
    expect(form.status).toBe(200)
    expect(form.text).toContain('How did the enquiry end?')
    expect((await worker.get(`/cases/${caseId}`)).text).toContain(`/cases/${caseId}/section-47-enquiry`)
    const post = (body: Record<string, string>) =>
      worker
        .post(`/cases/${caseId}/section-47-enquiry`)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), ...body })

    const before = await post({ ...dateFields(new Date(Date.now() - 12 * day)), outcome: 'ICPC_HELD' })
    expect(before.status).toBe(400)
    expect(before.text).toContain('Date the enquiry concluded must be the same as or after the strategy meeting that started it')
    expect(before.text).toMatch(/value="ICPC_HELD" checked/)
    const noOutcome = await post(dateFields(new Date(Date.now() - 2 * day)))
    expect([noOutcome.status, noOutcome.text.includes('Select how the section 47 enquiry ended')]).toEqual([400, true])

    const done = await post({ ...dateFields(new Date(Date.now() - 2 * day)), outcome: 'ICPC_HELD' })
    expect([done.status, done.headers.location]).toEqual([302, `/cases/${caseId}`])
    const clock = (await conferenceClock(caseId))!
    expect(clock.metAt!.getTime()).toBeLessThan(Date.now() - day)
    expect(clock.metAt!.getTime()).toBeLessThanOrEqual(clock.dueAt.getTime())

    const again = await post({ ...dateFields(new Date()), outcome: 'ICPC_NOT_REQUIRED' })
    expect(again.status).toBe(409)
    expect(again.text).toContain('No section 47 enquiry is running on this case')
    // Signing the same person in again inside one 30-second code step waits for the next (a wait, not a timing assertion).
  }, 120_000)

  it('is refused when no enquiry was started (409) and to a role that does not assess (403)', async () => {
    const caseId = f.caseOf[f.children.SOCIAL_WORKER.INVOLVED]!
    const worker = await signIn(t, f.users.SOCIAL_WORKER)
    expect((await worker.get(`/cases/${caseId}/section-47-enquiry`)).status).toBe(409)
    const lead = await signIn(t, f.users.HSB_LEAD)
    expect((await lead.get(`/cases/${caseId}/section-47-enquiry`)).status).toBe(403)
  }, 120_000)
})
