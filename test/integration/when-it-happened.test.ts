import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LATE_REASON, demoSteps, demoWhen, type DemoBehaviour } from '../../src/demo/demo-steps.js'
import { parseAllocation, readScreeningForm } from '../../src/features/referrals/index.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { whenValuesOf } from '../../src/platform/forms/when.js'
import { createTestApp, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

/**
 * Issue 15: a step entered after it happened says when it happened. Its clocks, the case's
 * history and closure follow that time; the audit log keeps both, with the reason it was late.
 */
let t: TestApp
let f: Fixtures
let worker: CurrentUser
let manager: CurrentUser
let lead: CurrentUser

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  worker = (await t.services.auth.currentUser(f.users.SOCIAL_WORKER.id))!
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  lead = (await t.services.auth.currentUser(f.users.HSB_LEAD.id))!
})
afterAll(async () => t.close())

const system = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const HOUR = 3_600_000
let serial = 0

/** A new child with a request for support received at `receivedAt`, entered now. */
async function requestReceived(receivedAt: Date): Promise<string> {
  const steps = demoSteps(t.services)
  serial += 1
  const childId = await steps.createChild(
    worker,
    {
      givenNames: ['Arlo', 'Bexley', 'Corin', 'Dacey'][serial % 4]!,
      familyName: ['Quenby', 'Ravelle', 'Stroud', 'Tollan'][serial % 4]!,
      dateOfBirth: `201${serial % 4}-0${(serial % 4) + 2}-1${serial % 4}`,
      gender: 'MALE',
      ethnicity: 'NOT_STATED',
    },
    { searchFirst: false },
  )
  return steps.raiseRequest(worker, childId, {
    receivedAt,
    whatHappened: 'A synthetic concern for a test.',
    contexts: ['SCHOOL'],
    sharingBasis: 'CONSENT',
    consentSought: true,
  })
}

const BEHAVIOUR: DemoBehaviour = {
  description: 'A synthetic behaviour',
  date: null,
  context: 'SCHOOL',
  hackett: 'INAPPROPRIATE',
  rating: 'AMBER',
  rationale: 'Synthetic',
}
const MINUTES = {
  informationShared: 'Shared',
  risks: 'Some',
  vulnerabilities: 'Some',
  protectiveFactors: 'Some',
  worries: 'Some',
  workingWell: 'Some',
  needsToHappen: 'Some',
  dangerStatements: '',
  safetyGoals: 'Some',
  decisions: 'No AIM assessment.',
}

async function eventsOf(caseId: string) {
  return system((trx) =>
    trx
      .selectFrom('caseEvent')
      .select(['action', 'occurredAt', 'recordedAt', 'lateReason'])
      .where('caseId', '=', caseId)
      .orderBy('id')
      .execute(),
  )
}
async function clocksOf(caseId: string) {
  const rows = await system((trx) => trx.selectFrom('caseClock').selectAll().where('caseId', '=', caseId).execute())
  return Object.fromEntries(rows.map((c) => [c.kind, c]))
}

describe('steps entered after they happened', () => {
  it('keep when they happened and when they were recorded; clocks run on when they happened; the audit keeps the reason', async () => {
    const steps = demoSteps(t.services)
    const received = new Date('2025-11-10T09:00:00Z')
    const caseId = await requestReceived(received)
    await steps.screen(worker, caseId, [{ ...BEHAVIOUR, date: '2025-11-07' }], 'Amber overall', new Date('2025-11-10T15:00:00Z'))
    await steps.confirmScreening(manager, caseId, 'Agree amber', new Date('2025-11-10T16:00:00Z'))

    const events = await eventsOf(caseId)
    expect(events.map((e) => [e.action, e.occurredAt.toISOString(), e.lateReason])).toEqual([
      ['OPEN', '2025-11-10T09:00:00.000Z', null],
      ['RECORD_SCREENING', '2025-11-10T15:00:00.000Z', DEMO_LATE_REASON],
      ['CONFIRM_SCREENING', '2025-11-10T16:00:00.000Z', DEMO_LATE_REASON],
    ])
    for (const e of events) expect(e.recordedAt.getTime()).toBeGreaterThan(Date.now() - HOUR)

    const clocks = await clocksOf(caseId)
    // The referral decision (at oversight) was met on the day, not "271 working days late".
    expect(clocks.REFERRAL_DECISION!.metAt!.toISOString()).toBe('2025-11-10T16:00:00.000Z')
    expect(clocks.REFERRAL_DECISION!.metAt!.getTime()).toBeLessThanOrEqual(clocks.REFERRAL_DECISION!.dueAt.getTime())
    expect(clocks.STRATEGY_MEETING!.startedAt.toISOString()).toBe('2025-11-10T16:00:00.000Z')
    // The case opened when the request was received.
    const kase = await system((trx) => trx.selectFrom('hsbCase').select('openedAt').where('id', '=', caseId).executeTakeFirstOrThrow())
    expect(kase.openedAt.toISOString()).toBe('2025-11-10T09:00:00.000Z')

    const audit = await system((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'detail'])
        .where('recordId', '=', caseId)
        .where('action', 'in', ['case:RECORD_SCREENING', 'case:CONFIRM_SCREENING'])
        .orderBy('id')
        .execute(),
    )
    expect(audit.map((a) => a.detail)).toEqual([
      expect.objectContaining({ occurredAt: '2025-11-10T15:00:00.000Z', lateReason: DEMO_LATE_REASON }),
      expect.objectContaining({ occurredAt: '2025-11-10T16:00:00.000Z', lateReason: DEMO_LATE_REASON }),
    ])

    // The case page's history is in the order things happened, and says when each was recorded and why late.
    const view = await t.services.cases.service.viewCase(manager, caseId, 'r-view')
    expect(view.events.map((e) => e.action)).toEqual(['CONFIRM_SCREENING', 'RECORD_SCREENING', 'OPEN'])
  })

  it('refuses a time in the future, before the last step, or long past without a reason, with the field named and nothing saved', async () => {
    const caseId = await requestReceived(new Date(Date.now() - 30 * 24 * HOUR))
    const screening = (when: Record<string, string>) => {
      const body = {
        'tool-version': 'BROOK_ORIGINAL',
        rows: '1',
        'behaviour-1-description': 'A synthetic behaviour',
        'behaviour-1-rating': 'AMBER',
        'behaviour-1-rationale': 'Synthetic',
        'overall-rationale': 'Amber overall',
        ...when,
      }
      return t.services.referrals.service
        .viewScreening(worker, caseId, 'r')
        .then((v) =>
          t.services.referrals.service.recordScreening(
            worker,
            caseId,
            readScreeningForm({ ...body, version: String(v.kase.version) }),
            'r',
          ),
        )
    }
    const future = await screening(whenValuesOf(new Date(Date.now() + 2 * HOUR)))
    expect(future.ok ? [] : future.errors).toEqual([
      { href: '#occurred-day', text: 'The date and time it happened must be now or in the past' },
    ])

    const before = await screening({ ...whenValuesOf(new Date(Date.now() - 31 * 24 * HOUR)), 'late-reason': 'From the file' })
    expect(before.ok ? '' : before.errors[0]!.text).toMatch(
      /^The date and time it happened must be the same as or after the last step on this case \(Request for support received\) \(.+\)$/,
    )

    const noReason = await screening(whenValuesOf(new Date(Date.now() - 20 * 24 * HOUR)))
    expect(noReason.ok ? [] : noReason.errors).toEqual([
      { href: '#late-reason', text: 'Enter why this is entered more than 7 days after it happened' },
    ])
    expect((await eventsOf(caseId)).map((e) => e.action)).toEqual(['OPEN'])

    const ok = await screening({ ...whenValuesOf(new Date(Date.now() - 20 * 24 * HOUR)), 'late-reason': 'From the file' })
    expect(ok.ok).toBe(true)
  })

  it('closing a case stops every clock still running, "case closed", at when it closed', async () => {
    const steps = demoSteps(t.services)
    const received = new Date(Date.now() - 60 * 24 * HOUR)
    const caseId = await requestReceived(received)
    const at = (days: number) => new Date(received.getTime() + days * 24 * HOUR)
    await steps.screen(worker, caseId, [{ ...BEHAVIOUR }], 'Amber overall', at(0.1))
    await steps.confirmScreening(manager, caseId, 'Agree amber', at(0.2))
    const allocation = await t.services.referrals.service.viewAllocation(manager, caseId, 'r')
    const team = allocation.data!.teams.find((x) => allocation.data!.workers.some((w) => w.teamId === x.id))!
    const chosen = allocation.data!.workers.find((w) => w.teamId === team.id)!
    const allocated = await t.services.referrals.service.allocate(
      manager,
      caseId,
      parseAllocation({
        team: team.id,
        worker: chosen.id,
        'interim-measures': 'Supervised at school',
        version: String(allocation.kase.version),
        ...whenValuesOf(at(0.3)),
        'late-reason': 'From the file',
      }),
      'r',
    )
    expect(allocated.ok).toBe(true)
    await steps.arrangeStrategyMeeting(lead, caseId, { kind: 'STRATEGY_MEETING', at: at(0.9), agencies: ['Fixture Police'], people: [] })
    await steps.recordMinutes(lead, caseId, {
      heldAt: at(0.9),
      attendance: { 'Fixture Police': 'PRESENT' },
      text: MINUTES,
      scores: [],
      outcomes: ['CONSIDER_AIM_ASSESSMENT'],
      actions: [],
    })
    const decided = await t.services.assessments.service.decide(
      lead,
      caseId,
      {
        decision: 'NO_ASSESSMENT',
        reasons: 'Not needed',
        route: '',
        leadAgency: '',
        administeringAgency: '',
        policeContact: '',
        when: demoWhen(at(2)),
      },
      'r',
    )
    expect(decided.ok).toBe(true)
    expect((await clocksOf(caseId)).ASSESSMENT!.metAt).toBeNull()

    const closed = await t.services.interventions.service.close(
      lead,
      caseId,
      { reason: 'Plan complete', openWorkReason: 'Assessment recorded in the social care record', when: demoWhen(at(10)) },
      'r',
    )
    expect(closed.ok).toBe(true)
    const clocks = Object.values(await clocksOf(caseId))
    expect(clocks.filter((c) => c.metAt === null)).toEqual([])
    const assessment = clocks.find((c) => c.kind === 'ASSESSMENT')!
    expect([assessment.stopReason, assessment.metAt!.toISOString()]).toEqual([
      'CASE_CLOSED',
      at(10).toISOString().slice(0, 16) + ':00.000Z',
    ])
    // Clocks met by their own step keep no stop reason.
    expect(clocks.find((c) => c.kind === 'REFERRAL_DECISION')!.stopReason).toBeNull()
    const kase = await system((trx) =>
      trx.selectFrom('hsbCase').select(['closedAt', 'status']).where('id', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect([kase.status, kase.closedAt!.getTime()]).toEqual(['CLOSED', assessment.metAt!.getTime()])

    // The case page says the clock stopped because the case closed.
    const page = await t.services.cases.service.viewCase(lead, caseId, 'r')
    expect(page.clocks.find((c) => c.kind === 'ASSESSMENT')!.stopReason).toBe('CASE_CLOSED')
  })
})
