import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoSteps, type DemoMinutes } from '../../src/demo/demo-steps.js'
import { figureSpec } from '../../src/features/insight/dashboard.figures.js'
import type { ShownFigure } from '../../src/features/insight/insight.figures.js'
import type { Rating } from '../../src/features/referrals/index.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { addCalendarDays, londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFrom, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { addKnownCase } from '../support/insight-data.js'

/**
 * Honest figures (issue 15, item 4). A year of history entered today through the services with
 * when each step happened (2025-26); strategy meetings around now (a red case past its 24-hour
 * meeting, one held in time, one not yet due); clocks stopped by a case closing (2024-25, written
 * into the tables: no step closes a case while its strategy meeting is due); and a level of
 * concern recorded after an intervention (2023-24). The fixtures' own cases are opened today,
 * away from these.
 */
let t: TestApp
let f: Fixtures
let lead: TestAgent
const HOUR = 3_600_000
const now = Date.now()
const hoursAgo = (h: number) => new Date(now - h * HOUR)
/** A custom period around now (a few days either side), whatever the date the tests run. */
const aroundNow = {
  period: 'custom',
  from: addCalendarDays(londonDate(new Date(now)), -3),
  to: addCalendarDays(londonDate(new Date(now)), 2),
}

let people: { social: CurrentUser; manager: CurrentUser; chair: CurrentUser }
let serial = 0
/** Fictional children, in the order they are made (different enough not to be possible matches). */
const FAMILY_NAMES = ['Ashdown', 'Birchall', 'Carverley', 'Dunmore', 'Ellery', 'Fenwick']

/** A case made through the services: received, screened and confirmed at the times given, and a strategy meeting or discussion held. */
async function caseThroughTheServices(c: {
  received: Date
  screened: Date
  confirmed: Date
  rating: Exclude<Rating, 'GREEN'>
  held?: { at: Date; kind: 'STRATEGY_MEETING' | 'STRATEGY_DISCUSSION' }
}): Promise<string> {
  const steps = demoSteps(t.services)
  const familyName = FAMILY_NAMES[serial]!
  serial += 1
  const childId = await steps.createChild(
    people.social,
    { givenNames: 'Honest', familyName, dateOfBirth: `2011-0${serial}-1${serial}`, gender: 'MALE', ethnicity: 'WHITE' },
    { searchFirst: false },
  )
  const caseId = await steps.raiseRequest(people.social, childId, {
    receivedAt: c.received,
    whatHappened: 'Fictional: a younger pupil told staff about unwanted touching.',
    contexts: ['SCHOOL'],
    otherChildren: 'Known to the school.',
    sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
    consentSought: false,
    sharingNote: 'Not sought: another child may be at risk.',
  })
  await steps.screen(
    people.social,
    caseId,
    [
      {
        description: 'Unwanted touching',
        date: null,
        context: 'SCHOOL',
        hackett: 'PROBLEMATIC',
        rating: c.rating,
        rationale: 'Persistent.',
      },
    ],
    `${c.rating}: a strategy meeting is needed.`,
    c.screened,
  )
  await steps.confirmScreening(people.manager, caseId, 'Agreed.', c.confirmed)
  if (c.held) {
    await steps.arrangeStrategyMeeting(people.chair, caseId, { kind: c.held.kind, at: c.held.at, agencies: ['Fixture Police'], people: [] })
    const minutes: DemoMinutes = {
      heldAt: c.held.at,
      attendance: { 'Fixture Police': 'PRESENT' },
      text: {
        informationShared: 'Shared.',
        risks: 'Further harm.',
        vulnerabilities: 'Age.',
        protectiveFactors: 'Parents engaged.',
        worries: 'It carries on.',
        workingWell: 'Safety plan in place.',
        needsToHappen: 'Support.',
        dangerStatements: '',
        safetyGoals: 'The other child feels safe.',
        decisions: 'As recorded.',
      },
      scores: [],
      outcomes: ['CHILD_IN_NEED'],
      actions: [],
    }
    await steps.recordMinutes(people.chair, caseId, minutes)
  }
  return caseId
}

const at = (iso: string) => new Date(iso)
const plus = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * HOUR)

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  const user = async (role: 'SOCIAL_WORKER' | 'TEAM_MANAGER' | 'HSB_LEAD') => (await t.services.auth.currentUser(f.users[role].id))!
  people = { social: await user('SOCIAL_WORKER'), manager: await user('TEAM_MANAGER'), chair: await user('HSB_LEAD') }

  // 2025-26, entered today: waiting for screening 48, 96 and 24 hours (median 2 days).
  const h1 = '2025-06-02T08:00:00Z'
  await caseThroughTheServices({
    received: at(h1),
    screened: plus(h1, 48),
    confirmed: plus(h1, 49),
    rating: 'RED',
    held: { at: plus(h1, 60), kind: 'STRATEGY_MEETING' }, // 11 hours after: within 24
  })
  const h2 = '2025-09-01T08:00:00Z'
  await caseThroughTheServices({
    received: at(h2),
    screened: plus(h2, 96),
    confirmed: plus(h2, 97),
    rating: 'AMBER',
    held: { at: plus(h2, 130), kind: 'STRATEGY_DISCUSSION' }, // 33 hours after: late
  })
  const h3 = '2025-11-03T09:00:00Z'
  await caseThroughTheServices({ received: at(h3), screened: plus(h3, 24), confirmed: plus(h3, 25), rating: 'RED' }) // never held

  // Around now: the red case 6 hours past its meeting, one held in time, one not yet due.
  await caseThroughTheServices({ received: hoursAgo(40), screened: hoursAgo(39), confirmed: hoursAgo(30), rating: 'RED' })
  await caseThroughTheServices({
    received: hoursAgo(30),
    screened: hoursAgo(29),
    confirmed: hoursAgo(20),
    rating: 'AMBER',
    held: { at: hoursAgo(10), kind: 'STRATEGY_MEETING' },
  })
  await caseThroughTheServices({ received: hoursAgo(5), screened: hoursAgo(4), confirmed: hoursAgo(3), rating: 'AMBER' })

  // 2024-25: clocks stopped because the case closed, after and before the meeting fell due; one held in time.
  const by = f.users.HSB_LEAD.id
  const school = f.agencyIds.other
  const closedCase = async (received: string, stoppedAt: string, rating: 'RED' | 'AMBER') => {
    const { caseId } = await addKnownCase(t.services, f.partnershipId, by, {
      received,
      dateOfBirth: '2010-01-01',
      referrerAgencyId: school,
      rating,
      statuses: [{ to: 'CLOSED', at: stoppedAt }],
      closedAt: stoppedAt,
    })
    await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      trx
        .insertInto('caseClock')
        .values({
          partnershipId: f.partnershipId,
          caseId,
          kind: 'STRATEGY_MEETING',
          startedAt: plus(received, 1),
          dueAt: plus(received, 25),
          metAt: at(stoppedAt),
          stopReason: 'CASE_CLOSED',
        })
        .execute(),
    )
  }
  await closedCase('2024-05-01T09:00:00Z', '2024-05-03T09:00:00Z', 'RED') // closed a day after it was due: missed
  await closedCase('2024-06-01T09:00:00Z', '2024-06-01T15:00:00Z', 'AMBER') // closed before it was due: left out
  await addKnownCase(t.services, f.partnershipId, by, {
    received: '2024-07-01T09:00:00Z',
    dateOfBirth: '2010-01-01',
    referrerAgencyId: school,
    rating: 'AMBER',
    strategyMeeting: { heldAt: '2024-07-01T20:00:00Z', dueAt: '2024-07-02T10:00:00Z', outcomes: ['EARLY_HELP'] },
  })

  // 2023-24: an intervention plan agreed before the AIM assessment's level of concern was recorded.
  await addKnownCase(t.services, f.partnershipId, by, {
    received: '2023-05-01T09:00:00Z',
    dateOfBirth: '2010-01-01',
    referrerAgencyId: school,
    rating: 'AMBER',
    assessment: { route: 'WELFARE', startedAt: '2023-05-10T09:00:00Z', completedAt: '2023-07-01T09:00:00Z', levelOfConcern: 'HIGH' },
    plan: { createdAt: '2023-06-01T09:00:00Z', providers: ['Provider Early'] },
  })
  lead = await signIn(t, f.users.HSB_LEAD)
}, 300_000)
afterAll(async () => t.close())

async function figures(
  query: Record<string, string>,
  role: 'HSB_LEAD' | 'BOARD_MEMBER' = 'HSB_LEAD',
): Promise<Record<string, ShownFigure>> {
  const actor = (await t.services.auth.currentUser(f.users[role].id))!
  const parsed = await t.services.insight.service.dashboard.parse(actor, query)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const view = await t.services.insight.service.dashboard.view(actor, parsed.value)
  return Object.fromEntries(view.figures.map((fig) => [fig.id, fig]))
}
const table = (fig: ShownFigure) => Object.fromEntries(fig.rows.map((r) => [r.label, r.cells.map((c) => c.text)]))
/** A cell's text by row key and column key. */
const cell = (fig: ShownFigure, row: string, column: string) =>
  fig.rows.find((r) => r.key === row)?.cells[fig.columns.findIndex((c) => c.key === column)]?.text

describe('strategy meetings within 24 hours: of every meeting that fell due', () => {
  it('counts the red case past its 24-hour meeting as not within, and the one not yet due as still running', async () => {
    const y = await figures(aroundNow)
    // Held, discussions, due, within 24 hours, share, still running.
    expect(table(y['strategy-meetings']!)).toMatchObject({
      Amber: ['1', '0', '1', '1', '100%', '1'],
      Red: ['0', '0', '1', '0', '0%', '0'],
      Total: ['1', '0', '2', '1', '50%', '1'],
    })
  })

  it('counts strategy discussions beside strategy meetings, each under its own heading, and late ones as not within', async () => {
    const y = await figures({ period: '2025-26' })
    expect(table(y['strategy-meetings']!)).toMatchObject({
      Amber: ['0', '1', '1', '0', '0%', '0'],
      Red: ['1', '0', '2', '1', '50%', '0'],
      Total: ['1', '1', '3', '1', '33%', '0'],
    })
    expect(table(y['meeting-outcomes']!)['Child in need (section 17)']).toEqual(['1', '1'])
  })

  it('counts a clock stopped by the case closing after it was due as missed, and leaves out one closed before', async () => {
    const y = await figures({ period: '2024-25' })
    expect(table(y['strategy-meetings']!)).toMatchObject({
      Amber: ['1', '0', '1', '1', '100%', '0'],
      Red: ['0', '0', '1', '0', '0%', '0'],
      Total: ['1', '0', '2', '1', '50%', '0'],
    })
  })

  it('lists the cases behind the meetings due, the overdue red case among them', async () => {
    const query = new URLSearchParams({ ...aroundNow, figure: 'strategy-meetings', row: 'RED', column: 'due' })
    const list = await lead.get(`/insight/cases?${query.toString()}`)
    expect(list.status).toBe(200)
    expect(list.text).toContain('Honest Dunmore')
  })
})

describe('when things happened', () => {
  it('times each stage from when its steps happened: history entered today is not all zero', async () => {
    const y = await figures({ period: '2025-26' })
    const stages = y['stage-durations']!
    expect(cell(stages, 'REFERRED', 'cases')).toBe('3')
    // 48, 96 and 24 hours waiting for screening: a median of 2 days.
    expect(cell(stages, 'REFERRED', 'median-days')).toBe('2')
    expect(cell(stages, 'STRATEGY_MEETING_DUE', 'cases')).toBe('2')
    // 11 and 33 hours from the concern being confirmed to the meeting: a median of 22 hours.
    expect(cell(stages, 'STRATEGY_MEETING_DUE', 'median-days')).toBe('0.9')
  })

  it('gives the same yearly figures now and as at the end of the year, for a year entered today', async () => {
    const nowFigures = await figures({ period: '2025-26' })
    const yearEnd = await figures({ period: '2025-26', 'as-at': '2026-03-31' })
    for (const [id, fig] of Object.entries(nowFigures)) {
      if (figureSpec(id)?.basis !== 'period') continue
      expect(table(yearEnd[id]!), id).toEqual(table(fig))
    }
    expect(cell(yearEnd['strategy-meetings']!, 'RED', 'held')).toBe('1')
  })

  it('counts a meeting as at a date from when it was held, and not before', async () => {
    // The amber case's discussion was held on 6 September 2025 (UK time), its meeting due that
    // morning: by the end of 5 September it had not been held and was not yet due.
    const before = await figures({ period: '2025-26', 'as-at': '2025-09-05' })
    expect(table(before['strategy-meetings']!).Total).toEqual(['1', '0', '1', '1', '100%', '1'])
  })

  it('takes the level of concern as it stood at the as-at date', async () => {
    const early = await figures({ period: '2023-24', 'as-at': '2023-06-30' })
    expect(table(early.interventions!)).toEqual({ 'Provider Early': ['0', '0', '0', '1'] })
    const later = await figures({ period: '2023-24' })
    expect(table(later.interventions!)).toEqual({ 'Provider Early': ['0', '0', '1', '0'] })
  })

  it('says plainly which date the figures are as at', async () => {
    const past = await lead.get('/insight?period=2025-26&as-at=2026-03-31')
    expect(past.status).toBe(200)
    expect(past.text).toContain('Figures as at the end of 31 March 2026')
    expect(past.text).toContain('even where it was entered on the system later')
    const today = await lead.get('/insight?period=2025-26')
    expect(today.text).toContain('Figures as at today,')
  })
})

describe('small numbers', () => {
  it('hides the zeros beside a breakdown’s only hidden count from a board member, so its rating cannot be read off', async () => {
    const y = await figures({ period: '2024-25' }, 'BOARD_MEMBER')
    const meetings = y['strategy-meetings']!
    // Within 24 hours: only the amber case (1). "[c]" beside zeros would say it was amber.
    for (const row of ['GREEN', 'AMBER', 'RED', 'NONE']) expect(cell(meetings, row, 'within-24-hours'), row).toBe('[c]')
  })

  it('is the partnership’s setting: the HSB lead may turn it off (audited), and the zeros show again', async () => {
    const page = await lead.get('/insight/settings')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Hide the zeros beside a lone hidden count?')
    expect(page.text).toMatch(/value="yes" checked/)
    const send = (body: Record<string, string>) =>
      lead
        .post('/insight/settings')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), ...body })
    const missing = await send({ threshold: '6' })
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('Select whether to hide those zeros')
    expect(missing.text).toContain('value="6"')
    expect((await send({ threshold: '5', 'lone-category': 'no' })).status).toBe(302)
    try {
      const meetings = (await figures({ period: '2024-25' }, 'BOARD_MEMBER'))['strategy-meetings']!
      expect(['GREEN', 'RED', 'NONE'].map((row) => cell(meetings, row, 'within-24-hours'))).toEqual(['0', '0', '0'])
      expect(cell(meetings, 'AMBER', 'within-24-hours')).toBe('[c]')
      const audit = await transaction(t.services.db, 'system', (trx) =>
        trx
          .selectFrom('auditLog')
          .select('detail')
          .where('action', '=', 'insight:set-threshold')
          .where('recordId', '=', f.partnershipId)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow(),
      )
      expect(audit.detail).toEqual({ threshold: 5, hideLoneCategory: false })
    } finally {
      expect((await send({ threshold: '5', 'lone-category': 'yes' })).status).toBe(302)
    }
  })
})
