import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { figureRows } from './insight-workforce-figures.js'

let t: TestApp
let f: Fixtures
let lead: TestAgent
let board: TestAgent
let head: TestAgent
let manager: CurrentUser
const csrf = new Map<TestAgent, string>()
const PERIOD = 'period=custom&from=2024-04-01&to=2025-03-31'
const cases: Record<string, string> = {}
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

async function child(name: string, dateOfBirth: string, referral: string, rating: 'RED' | 'AMBER' | null) {
  const { partnershipId } = f
  cases[name] = await transaction(t.services.db, { partnershipId }, async (trx) => {
    const childId = await childrenRepository().insertChild(trx, { partnershipId, givenNames: 'Factor', familyName: name, dateOfBirth })
    await childrenRepository().insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.HEAD_OF_SERVICE.teamId,
      kind: 'INVOLVED',
    })
    return t.services.kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(`${referral}T10:00:00Z`) }, 'test')
  })
  // As the records would be: the case opened when the request arrived, and its rating confirmed at oversight an hour later.
  const received = new Date(`${referral}T10:00:00Z`)
  await asSystem((trx) =>
    trx
      .updateTable('hsbCase')
      .set({ openedAt: received, ...(rating ? { rating } : {}) } as never)
      .where('id', '=', cases[name]!)
      .execute(),
  )
  if (rating) {
    const at = new Date(received.getTime() + 3_600_000)
    await asSystem((trx) =>
      trx
        .insertInto('screening')
        .values({
          partnershipId,
          caseId: cases[name]!,
          tool: 'BROOK',
          toolVersion: 'TEST',
          ageBand: 'TEST',
          behaviours: '[]',
          overallRating: rating,
          rationale: 'Test.',
          screenedBy: manager.id,
          screenedAt: at,
          oversightBy: manager.id,
          oversightAt: at,
          oversightOutcome: 'CONFIRMED',
        })
        .execute(),
    )
  }
}
const record = (name: string, factors: string[], shown: string[] = []) => post(lead, `/cases/${cases[name]}/factors`, { factors, shown })

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  lead = await signIn(t, f.users.HSB_LEAD)
  board = await signIn(t, f.users.BOARD_MEMBER)
  head = await signIn(t, f.users.HEAD_OF_SERVICE)
  for (const a of [lead, board, head]) csrf.set(a, await csrfFor(a))
  await child('C1', '2012-05-01', '2024-06-01', 'RED') // 12 at referral
  await child('C2', '2008-01-01', '2024-09-01', 'AMBER') // 16
  await child('C3', '2016-01-01', '2025-02-01', 'RED') // 9
  await child('C4', '2012-01-01', '2025-04-02', 'RED') // outside the period
  await child('C5', '2010-03-01', '2024-07-01', 'RED') // 14
}, 180_000)
afterAll(async () => t.close())

describe('case factors', () => {
  it('lets the partnership add its own factor (code from the label) and refuses a duplicate', async () => {
    expect((await post(lead, '/insight/case-factors/types', { label: 'Exclusion from school' })).status).toBe(302)
    const dup = await post(lead, '/insight/case-factors/types', { label: 'exclusion FROM school' })
    expect(dup.status).toBe(400)
    expect(dup.text).toContain('is already on the list')
    expect(dup.text).toContain('value="exclusion FROM school"')
    const types = await asSystem((trx) =>
      trx.selectFrom('caseFactorType').select(['code', 'label']).where('partnershipId', '=', f.partnershipId).execute(),
    )
    expect(types).toEqual([{ code: 'EXCLUSION_FROM_SCHOOL', label: 'Exclusion from school' }])
  })

  it('records additions and removals on a case, never deleting, with who and when', async () => {
    expect((await record('C1', ['LEARNING_DIFFICULTY', 'OVERCROWDING'])).status).toBe(302)
    expect((await record('C2', ['LEARNING_DIFFICULTY', 'ONLINE_PORNOGRAPHY'])).status).toBe(302)
    expect((await record('C2', ['LEARNING_DIFFICULTY'], ['LEARNING_DIFFICULTY', 'ONLINE_PORNOGRAPHY'])).status).toBe(302)
    expect((await record('C3', ['EXCLUSION_FROM_SCHOOL'])).status).toBe(302)
    expect((await record('C4', ['LEARNING_DIFFICULTY'])).status).toBe(302)
    expect((await record('C1', ['NOT_A_FACTOR'])).status).toBe(400)

    const page = await lead.get(`/cases/${cases.C2}/factors`)
    expect(page.status).toBe(200)
    expect(page.text.match(/data-qa="factor-history-row"/g)).toHaveLength(2)
    expect(page.text).toMatch(
      /Access to online pornography<\/td>\s*<td[^>]*>[^<]*by Fixture HSB_LEAD<\/td>\s*<td[^>]*>[^<]*by Fixture HSB_LEAD/,
    )
    expect(page.text).toMatch(/value="LEARNING_DIFFICULTY" checked/)
    const rows = await asSystem((trx) =>
      trx.selectFrom('caseFactor').select(['factorCode', 'removedAt']).where('caseId', '=', cases.C2!).execute(),
    )
    expect(rows.map((r) => [r.factorCode, r.removedAt !== null]).sort()).toEqual([
      ['LEARNING_DIFFICULTY', false],
      ['ONLINE_PORNOGRAPHY', true],
    ])
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('action').where('recordId', '=', cases.C2!).where('action', 'like', 'case-factors:%').execute(),
    )
    expect(audit.map((a) => a.action).sort()).toEqual(['case-factors:read', 'case-factors:record', 'case-factors:record'])
  })

  it('leaves alone a factor someone else added after the form was shown', async () => {
    // The form for C5 was shown with nothing ticked; meanwhile someone records OVERCROWDING.
    expect((await record('C5', ['OVERCROWDING'])).status).toBe(302)
    expect((await record('C5', [], [])).status).toBe(302)
    const current = await asSystem((trx) =>
      trx.selectFrom('caseFactor').select('factorCode').where('caseId', '=', cases.C5!).where('removedAt', 'is', null).execute(),
    )
    expect(current.map((r) => r.factorCode)).toEqual(['OVERCROWDING'])
    expect((await record('C5', [], ['OVERCROWDING'])).status).toBe(302)
  })

  it('lets someone who may read but not work with the case see the factors, not change them', async () => {
    const page = await head.get(`/cases/${cases.C1}/factors`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Overcrowding at home')
    expect(page.text).not.toContain('data-qa="save-factors"')
    expect((await post(head, `/cases/${cases.C1}/factors`, { factors: [] })).status).toBe(403)
  })

  it('counts the share of the cohort with each factor, reconciling exactly, with filters', async () => {
    const page = await lead.get(`/insight/case-factors?${PERIOD}`)
    expect(page.status).toBe(200)
    expect(figureRows(page.text, 'case-factors')).toEqual({
      'Learning difficulty or disability': ['2', '2', '4', '50%'],
      'Own experience of abuse or trauma': ['0', '4', '4', '0%'],
      'Access to online pornography': ['0', '4', '4', '0%'],
      'Overcrowding at home': ['1', '3', '4', '25%'],
      'Exclusion from school': ['1', '3', '4', '25%'],
    })
    const red = figureRows((await lead.get(`/insight/case-factors?${PERIOD}&rating=RED`)).text, 'case-factors')
    expect(red['Learning difficulty or disability']).toEqual(['1', '2', '3', '33%'])
    expect(red['Exclusion from school']).toEqual(['1', '2', '3', '33%'])
    const age = figureRows((await lead.get(`/insight/case-factors?${PERIOD}&age=10-13`)).text, 'case-factors')
    expect(age['Learning difficulty or disability']).toEqual(['1', '0', '1', '100%'])
    const before = figureRows((await lead.get(`/insight/case-factors?${PERIOD}&as-at=2025-01-01`)).text, 'case-factors')
    expect(before['Learning difficulty or disability']).toEqual(['0', '3', '3', '0%'])
  })

  it('links each count to the children behind it, from the same facts as the figure', async () => {
    const page = await lead.get(`/insight/case-factors?${PERIOD}`)
    const href = `/insight/cases?${PERIOD.replaceAll('&', '&amp;')}&amp;figure=case-factors&amp;row=LEARNING_DIFFICULTY&amp;column=with`
    expect(page.text).toContain(href)
    const list = await lead.get(href.replaceAll('&amp;', '&'))
    expect(list.status).toBe(200)
    expect(list.text).toContain(`/cases/${cases.C1}`)
    expect(list.text).toContain(`/cases/${cases.C2}`)
    expect(list.text).not.toContain(`/cases/${cases.C4}`)
    expect(list.text).not.toContain(`/cases/${cases.C3}`)
  })

  it('shows an honest empty state and names a bad filter', async () => {
    const empty = await lead.get('/insight/case-factors?period=custom&from=2019-01-01&to=2019-02-01')
    expect(empty.status).toBe(200)
    expect(empty.text).toContain('data-qa="empty"')
    const bad = await lead.get(`/insight/case-factors?${PERIOD}&rating=PURPLE`)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Select a rating from the list')
    const backwards = await lead.get('/insight/case-factors?period=custom&from=2025-01-01&to=2024-01-01')
    expect(backwards.status).toBe(400)
    expect(backwards.text).toContain('The end date must be the same as or after the start date')
  })

  it('suppresses small counts for a board member, shows no links to cases, and downloads the same', async () => {
    const page = await board.get(`/insight/case-factors?${PERIOD}`)
    expect(page.status).toBe(200)
    const cells = Object.values(figureRows(page.text, 'case-factors')).flat()
    expect(cells.filter((c) => /^[1-4]$/.test(c))).toEqual([])
    expect(cells).toContain('[c]')
    expect(page.text).not.toMatch(/href="\/(cases|children)\/[0-9a-f]|href="\/insight\/cases/)
    const csv = await board.get(`/insight/case-factors/figures/case-factors.csv?${PERIOD}`)
    expect(csv.status).toBe(200)
    expect(csv.text).toContain('[c]')
    expect(csv.text).not.toMatch(/Learning difficulty or disability"?,"?2/)
  })

  it('retires a partnership factor: no longer offered, what was recorded stays', async () => {
    expect((await post(lead, '/insight/case-factors/types', { retire: 'EXCLUSION_FROM_SCHOOL' })).status).toBe(302)
    const form = await lead.get(`/cases/${cases.C1}/factors`)
    expect(form.text).not.toContain('value="EXCLUSION_FROM_SCHOOL"')
    const onC3 = await lead.get(`/cases/${cases.C3}/factors`)
    expect(onC3.text).toContain('Exclusion from school (no longer on the list)')
    expect((await record('C1', ['EXCLUSION_FROM_SCHOOL'])).status).toBe(400)
    const figure = figureRows((await lead.get(`/insight/case-factors?${PERIOD}`)).text, 'case-factors')
    expect(figure['Exclusion from school (retired)']).toEqual(['1', '3', '4', '25%'])
  })
})
