import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ShownFigure } from '../../src/features/insight/insight.figures.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { addKnownCase } from '../support/insight-data.js'

/**
 * The dashboard reconciles exactly with known data: a financial-year boundary in UK summer time
 * (23:30 on 31 March UTC is 00:30 on 1 April in London), an as-at date, re-referrals, clocks,
 * assessments within 6 and 8 weeks, interventions, stages, and disclosure control for a board
 * member. The known cases are in 2024-25 and 2025-26, away from the fixtures' own (made today).
 */
let t: TestApp
let f: Fixtures
let lead: TestAgent
let board: TestAgent
const ids: Record<string, { caseId: string; childId: string }> = {}

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  const by = f.users.HSB_LEAD.id
  const add = async (name: string, k: Parameters<typeof addKnownCase>[3]) =>
    (ids[name] = await addKnownCase(t.services, f.partnershipId, by, k))
  const { csc, police, other: school } = f.agencyIds
  await add('A', { received: '2025-03-31T22:30:00Z', dateOfBirth: '2010-06-01', gender: 'FEMALE', referrerAgencyId: police, rating: 'RED' })
  await add('B', { received: '2025-03-31T23:30:00Z', dateOfBirth: '2012-06-01', gender: 'MALE', referrerAgencyId: school, rating: 'AMBER' })
  await add('C', {
    received: '2025-04-10T10:00:00Z',
    dateOfBirth: '2015-06-01',
    gender: 'MALE',
    referrerAgencyId: csc,
    rating: 'AMBER',
    strategyMeeting: {
      heldAt: '2025-04-10T20:00:00Z',
      dueAt: '2025-04-11T10:00:00Z',
      outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'],
    },
    assessment: { route: 'WELFARE', startedAt: '2025-04-12T09:00:00Z', completedAt: '2025-05-20T09:00:00Z', levelOfConcern: 'HIGH' },
    plan: { createdAt: '2025-06-01T09:00:00Z', providers: ['Provider One'] },
  })
  await add('E', {
    received: '2024-09-01T09:00:00Z',
    dateOfBirth: '2009-01-15',
    referrerAgencyId: school,
    rating: 'GREEN',
    sendNeeds: 'Dyslexia',
  })
  await add('D', {
    received: '2025-06-01T09:00:00Z',
    dateOfBirth: '2009-01-15',
    referrerAgencyId: school,
    rating: 'GREEN',
    childId: ids.E!.childId,
  })
  await add('F', {
    received: '2025-07-01T09:00:00Z',
    dateOfBirth: '2010-03-01',
    referrerAgencyId: police,
    rating: 'RED',
    strategyMeeting: { heldAt: '2025-07-03T09:00:00Z', dueAt: '2025-07-02T10:00:00Z', outcomes: ['CONSIDER_AIM_ASSESSMENT'] },
    assessment: { route: 'CRIMINAL', startedAt: '2025-07-10T09:00:00Z', completedAt: '2025-09-01T09:00:00Z', levelOfConcern: 'MEDIUM' },
    statuses: [{ to: 'REVIEW_MEETING_DUE', at: '2025-09-01T09:00:00Z' }],
  })
  await add('G', { received: '2025-08-01T09:00:00Z', dateOfBirth: '2011-02-01', referrerAgencyId: csc })
  lead = await signIn(t, f.users.HSB_LEAD)
  board = await signIn(t, f.users.BOARD_MEMBER)
}, 180_000)
afterAll(async () => t.close())

const actorOf = async (role: 'HSB_LEAD' | 'BOARD_MEMBER') => {
  const user = await t.services.auth.currentUser(f.users[role].id)
  if (!user) throw new Error('no user')
  return user
}

async function figures(
  query: Record<string, string>,
  role: 'HSB_LEAD' | 'BOARD_MEMBER' = 'HSB_LEAD',
): Promise<Record<string, ShownFigure>> {
  const actor = await actorOf(role)
  const parsed = await t.services.insight.service.dashboard.parse(actor, query, '2026-11-24')
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const view = await t.services.insight.service.dashboard.view(actor, parsed.value)
  return Object.fromEntries(view.figures.map((fig) => [fig.id, fig]))
}

/** A figure as { row label: [cell texts] }. */
const table = (fig: ShownFigure) => Object.fromEntries(fig.rows.map((r) => [r.label, r.cells.map((c) => c.text)]))

describe('the service dashboard reconciles with the records', () => {
  it('counts requests for support by rating either side of the financial-year boundary, in UK time', async () => {
    const y2425 = await figures({ period: '2024-25' })
    expect(table(y2425['referrals-by-rating']!)).toEqual({ Green: ['1'], Amber: ['0'], Red: ['1'], 'Not yet rated': ['0'], Total: ['2'] })
    const y2526 = await figures({ period: '2025-26' })
    expect(table(y2526['referrals-by-rating']!)).toEqual({ Green: ['1'], Amber: ['2'], Red: ['1'], 'Not yet rated': ['1'], Total: ['5'] })
    const q1 = await figures({ period: '2025-26-q1' })
    expect(table(q1['referrals-by-rating']!).Total).toEqual(['3'])
  })

  it('shows the records as they stood at the as-at date', async () => {
    // A's rating was confirmed at 00:30 on 1 April (UK time): not yet by the end of 31 March.
    const atYearEnd = await figures({ period: '2024-25', 'as-at': '2025-03-31' })
    expect(table(atYearEnd['referrals-by-rating']!)).toEqual({
      Green: ['1'],
      Amber: ['0'],
      Red: ['0'],
      'Not yet rated': ['1'],
      Total: ['2'],
    })
    const before = await figures({ period: '2025-26', 'as-at': '2025-06-30' })
    expect(table(before['referrals-by-rating']!).Total).toEqual(['3'])
    expect(table(before['aim-assessments']!)['Criminal route']).toEqual(['0', '0', '0', '–', '0', '–'])
  })

  it('counts by agency, age and re-referral within 12 months', async () => {
    const y = await figures({ period: '2025-26' })
    expect(table(y['referrals-by-agency']!)).toEqual({
      'Fixture Children’s Services': ['2'],
      'Fixture Police': ['1'],
      'Fixture School': ['2'],
      Total: ['5'],
    })
    expect(table(y['referrals-by-age']!)).toMatchObject({ 'Under 10': ['1'], '10 to 13': ['1'], '14 to 17': ['3'], Total: ['5'] })
    expect(table(y['re-referrals']!)['14 to 17']).toEqual(['3', '1', '33%'])
    expect(table(y['re-referrals']!).Total).toEqual(['5', '1', '20%'])
  })

  it('counts strategy meetings within 24 hours, their outcomes, and AIM assessments within 6 and 8 weeks', async () => {
    const y = await figures({ period: '2025-26' })
    // Held, discussions, due, within 24 hours, share, still running.
    expect(table(y['strategy-meetings']!)).toMatchObject({
      Amber: ['1', '0', '1', '1', '100%', '0'],
      Red: ['1', '0', '1', '0', '0%', '0'],
      Total: ['2', '0', '2', '1', '50%', '0'],
    })
    expect(table(y['meeting-outcomes']!)).toMatchObject({
      'Section 47 enquiry (child protection)': ['1', '0'],
      'Consider an AIM assessment': ['2', '0'],
      'Early help': ['0', '0'],
    })
    expect(table(y['aim-assessments']!)).toEqual({
      'Welfare route': ['1', '1', '1', '100%', '1', '100%'],
      'Criminal route': ['1', '1', '0', '0%', '1', '100%'],
      Total: ['2', '2', '1', '50%', '2', '100%'],
    })
    expect(table(y.interventions!)).toEqual({ 'Provider One': ['0', '0', '1', '0'] })
  })

  it('shows open cases by stage and children waiting for provision as at a date, and time at each stage', async () => {
    const y = await figures({ period: '2025-26', 'as-at': '2026-03-31' })
    expect(table(y['open-cases-by-stage']!)).toMatchObject({ 'Waiting for screening': ['6'], 'Review meeting due': ['1'], Total: ['7'] })
    expect(table(y['waiting-for-provision']!).Medium![0]).toBe('1')
    expect(table(y['stage-durations']!)['Waiting for screening']).toEqual(['1', '62'])
  })

  it('filters by rating, age, gender, SEND and agency', async () => {
    expect(table((await figures({ period: '2025-26', rating: 'AMBER' }))['referrals-by-rating']!).Total).toEqual(['2'])
    expect(table((await figures({ period: '2025-26', gender: 'MALE' }))['referrals-by-rating']!).Total).toEqual(['2'])
    expect(table((await figures({ period: '2025-26', age: '14-17' }))['referrals-by-rating']!).Total).toEqual(['3'])
    expect(table((await figures({ period: '2024-25', send: 'yes' }))['referrals-by-rating']!).Total).toEqual(['1'])
    expect(table((await figures({ period: '2025-26', agency: f.agencyIds.police }))['referrals-by-rating']!).Total).toEqual(['1'])
  })
})

describe('disclosure control', () => {
  it('never shows a board member a count from 1 to 4, and gives no links to cases', async () => {
    const y = await figures({ period: '2025-26' }, 'BOARD_MEMBER')
    for (const fig of Object.values(y)) {
      fig.columns.forEach((col, i) => {
        if (col.kind !== 'count') return
        for (const row of fig.rows) {
          const value = row.cells[i]!.value
          expect(value === null || value === 0 || value >= 5, `${fig.id} ${row.label} ${col.label}`).toBe(true)
          expect(row.cells[i]!.href).toBeUndefined()
        }
      })
    }
    const page = await board.get('/insight?period=2025-26')
    expect(page.status).toBe(200)
    expect(page.text).toContain('[c]')
    expect(page.text).not.toContain('/insight/cases?')
    expect((await board.get(`/insight/cases?period=2025-26&figure=referrals-by-rating&row=RED&column=referrals`)).status).toBe(403)
  })

  it('lets the HSB lead follow a count to the cases behind it, and audits each child read', async () => {
    const page = await lead.get('/insight?period=2025-26')
    expect(page.text).toContain('/insight/cases?period=2025-26&amp;figure=referrals-by-rating&amp;row=AMBER&amp;column=referrals')
    const list = await lead.get('/insight/cases?period=2025-26&figure=referrals-by-rating&row=AMBER&column=referrals')
    expect(list.status).toBe(200)
    expect(list.text).toContain(`/cases/${ids.B!.caseId}`)
    expect(list.text).toContain(`/cases/${ids.C!.caseId}`)
    expect(list.text).not.toContain(`/cases/${ids.F!.caseId}`)
    const total = await lead.get('/insight/cases?period=2025-26&figure=referrals-by-rating&row=total&column=referrals')
    expect(total.status).toBe(200)
    for (const k of ['B', 'C', 'D', 'F', 'G']) expect(total.text).toContain(`/cases/${ids[k]!.caseId}`)
    expect(total.text).not.toContain(`/cases/${ids.A!.caseId}`)
    const audited = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      trx
        .selectFrom('auditLog')
        .select('recordId')
        .where('action', '=', 'insight:case-list')
        .where('userId', '=', f.users.HSB_LEAD.id)
        .execute(),
    )
    expect(audited.map((a) => a.recordId)).toEqual(expect.arrayContaining([ids.B!.childId, ids.C!.childId]))
  })
})

describe('bad input', () => {
  it('names a period whose end is before its start, and an unknown filter value, with the input kept', async () => {
    const res = await lead.get('/insight?period=custom&from=2026-03-31&to=2026-01-01&rating=PURPLE')
    expect(res.status).toBe(400)
    expect(res.text).toContain('The end date must be the same as or after the start date')
    expect(res.text).toContain('Select a rating from the list')
    expect(res.text).toContain('value="2026-03-31"')
  })

  it('says honestly when a period has no data', async () => {
    const res = await lead.get('/insight?period=2019-20')
    expect(res.status).toBe(200)
    expect(res.text).toContain('Nothing is recorded for this period')
  })

  it('downloads a figure as CSV and XLSX, and refuses an unknown figure', async () => {
    const csv = await lead.get('/insight/figures/referrals-by-rating.csv?period=2025-26')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.text).toContain('Amber')
    const xlsx = await lead.get('/insight/figures/all.xlsx?period=2025-26').buffer(true)
    expect(xlsx.status).toBe(200)
    expect((await lead.get('/insight/figures/nonsense.csv')).status).toBe(404)
  })
})
