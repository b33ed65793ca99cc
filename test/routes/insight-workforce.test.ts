import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import { provisionByLevel } from '../../src/features/insight/provision.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { startOfLondonDay } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'
import { figureRows } from './insight-workforce-figures.js'

let t: TestApp
let f: Fixtures
let lead: TestAgent
let board: TestAgent
let manager: CurrentUser
const csrf = new Map<TestAgent, string>()
const AS_AT = '2026-06-30'
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

async function person(name: string, agencyId: string) {
  const email = `${name.toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@fixture.example`
  const created = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.partnershipId },
    { displayName: `Practitioner ${name}`, email, agencyId, roles: ['AIM_PRACTITIONER'], teamIds: [], password: TEST_PASSWORD },
    null,
  )
  if (!created.ok) throw new Error('not created')
  return created.value
}
async function train(userId: string, model: string, completedOn: string, expiresOn: string | null) {
  const r = await t.services.admin.service.recordTraining(
    { system: true, partnershipId: f.partnershipId },
    userId,
    { model, completedOn, expiresOn } as never,
    null,
  )
  if (!r.ok) throw new Error('training not recorded')
}

/** An AIM assessment on a new child's case, with co-assessors (ended ones given as [userId, endedAt]). */
async function assessment(a: {
  model: string | null
  decidedAt: string
  startedAt: string | null
  completedAt?: string
  coAssessors: (string | [string, string])[]
}) {
  const { partnershipId } = f
  await transaction(t.services.db, { partnershipId }, async (trx) => {
    const childId = await childrenRepository().insertChild(trx, {
      partnershipId,
      givenNames: 'Workforce',
      familyName: 'Child',
      dateOfBirth: '2011-01-01',
    })
    const caseId = await t.services.kernel.openIn(
      trx,
      manager,
      { childId, route: 'NEW', referralReceivedAt: new Date('2026-01-05T10:00:00Z') },
      'test',
    )
    const { id } = await trx
      .insertInto('aimAssessment')
      .values({
        partnershipId,
        caseId,
        childId,
        decision: 'ASSESS',
        decisionReasons: 'Reasons',
        route: 'WELFARE',
        decidedBy: manager.id,
        decidedAt: new Date(a.decidedAt),
        startedAt: a.startedAt ? new Date(a.startedAt) : null,
        model: a.model,
        completedAt: a.completedAt ? new Date(a.completedAt) : null,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const c of a.coAssessors) {
      const [userId, endedAt] = Array.isArray(c) ? c : [c, null]
      const inv = await trx
        .insertInto('childInvolvement')
        .values({ partnershipId, childId, agencyId: f.agencyIds.csc, userId, kind: 'INVOLVED' } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('aimCoAssessor')
        .values({
          partnershipId,
          assessmentId: id,
          userId,
          model: a.model ?? 'AIM3',
          involvementId: inv.id,
          namedBy: manager.id,
          namedAt: new Date(a.decidedAt),
          endedAt: endedAt ? new Date(endedAt) : null,
        } as never)
        .execute()
    }
  })
}

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  lead = await signIn(t, f.users.HSB_LEAD)
  board = await signIn(t, f.users.BOARD_MEMBER)
  for (const a of [lead, board]) csrf.set(a, await csrfFor(a))

  const { csc, police, other } = f.agencyIds
  const p1 = await person('One', csc)
  const p2 = await person('Two', csc)
  const p3 = await person('Three', police)
  const p4 = await person('Four', other)
  const p5 = await person('Five', csc)
  const p6 = await person('Six', csc)
  await train(p1, 'AIM3', '2024-01-01', '2027-01-01')
  await train(p1, 'AIM2', '2020-01-01', '2026-06-01') // expired before the as-at date
  await train(p2, 'AIM3', '2025-01-01', '2026-08-15') // expires within 90 days
  await train(p3, 'AIM3', '2023-01-01', '2026-07-10') // would expire, but renewed:
  await train(p3, 'AIM3', '2026-06-01', '2029-06-01')
  await train(p4, 'AIM_UNDER_12S', '2025-05-01', null)
  await train(p4, 'BROOK_TRAFFIC_LIGHT', '2024-01-01', null)
  await train(p5, 'AIM3', '2026-07-05', '2029-07-05') // completed after the as-at date
  await train(p6, 'AIM3', '2025-01-01', '2028-01-01')
  await asSystem((trx) =>
    trx
      .updateTable('appUser')
      .set({ disabledAt: new Date('2026-03-01T12:00:00Z') } as never)
      .where('id', '=', p6)
      .execute(),
  )

  await assessment({
    model: 'AIM3',
    decidedAt: '2026-04-20T09:00:00Z',
    startedAt: '2026-05-01T09:00:00Z',
    coAssessors: [p1, p2, [p4, '2026-05-15T09:00:00Z']],
  })
  await assessment({ model: 'AIM3', decidedAt: '2026-05-02T09:00:00Z', startedAt: '2026-05-03T09:00:00Z', coAssessors: [p1, p3] })
  await assessment({
    model: 'AIM3',
    decidedAt: '2026-03-01T09:00:00Z',
    startedAt: '2026-03-01T09:00:00Z',
    completedAt: '2026-06-01T09:00:00Z',
    coAssessors: [p2],
  })
  await assessment({ model: null, decidedAt: '2026-06-20T09:00:00Z', startedAt: null, coAssessors: [] })
  await assessment({ model: 'AIM_UNDER_12S', decidedAt: '2026-06-10T09:00:00Z', startedAt: '2026-06-10T09:00:00Z', coAssessors: [p1, p5] })
  await assessment({ model: 'AIM3', decidedAt: '2026-07-10T09:00:00Z', startedAt: null, coAssessors: [p2, p3] }) // after the as-at date
}, 180_000)
afterAll(async () => t.close())

describe('the workforce figures', () => {
  it('reconcile exactly with the training records and co-assessments as at a date', async () => {
    const page = await lead.get(`/insight/workforce?as-at=${AS_AT}`)
    expect(page.status).toBe(200)
    expect(figureRows(page.text, 'trained-by-model')).toEqual({
      AIM2: ['0'],
      AIM3: ['3'],
      'AIM Under 12s': ['1'],
      'Brook Traffic Light Tool': ['1'],
      'Signs of Safety': ['0'],
      'Good Lives Model': ['0'],
      Other: ['0'],
    })
    const byAgency = figureRows(page.text, 'trained-by-agency')
    expect(byAgency['Fixture Children’s Services']).toEqual(['0', '2', '0', '0', '0', '0', '0'])
    expect(byAgency['Fixture Police']).toEqual(['0', '1', '0', '0', '0', '0', '0'])
    expect(byAgency['Fixture School']).toEqual(['0', '0', '1', '1', '0', '0', '0'])
    expect(byAgency.Total).toEqual(['0', '3', '1', '1', '0', '0', '0'])
    expect(figureRows(page.text, 'training-expiring').AIM3).toEqual(['1'])
    expect(figureRows(page.text, 'training-expiring').AIM2).toEqual(['0'])
    expect(figureRows(page.text, 'co-assessor-load')).toEqual({
      None: ['1'],
      '1 assessment': ['3'],
      '2 assessments': ['0'],
      '3 or more assessments': ['1'],
      Total: ['5'],
    })
    expect(figureRows(page.text, 'trained-capacity')).toEqual({
      AIM2: ['0', '0', '0', '0'],
      AIM3: ['3', '1', '2', '0'],
      'AIM Under 12s': ['1', '0', '1', '0'],
      'Model not chosen yet': ['–', '–', '0', '1'],
    })
    expect(page.text).not.toMatch(/href="\/(cases|children)\/[0-9a-f]|href="\/insight\/cases/)
  })

  it('moves with the as-at date: later, the renewal and the later decision count', async () => {
    const page = await lead.get('/insight/workforce?as-at=2026-07-20')
    expect(figureRows(page.text, 'trained-by-model').AIM3).toEqual(['4']) // Five completed on 5 July
    expect(figureRows(page.text, 'trained-capacity')['AIM3']).toEqual(['4', '2', '2', '1'])
  })

  it('suppresses small counts for a board member (directly and by subtraction) and never links to children', async () => {
    const page = await board.get(`/insight/workforce?as-at=${AS_AT}`)
    expect(page.status).toBe(200)
    const rows = figureRows(page.text, 'trained-by-agency')
    for (const cells of Object.values(rows)) for (const c of cells) expect(['0', '[c]']).toContain(c)
    const load = figureRows(page.text, 'co-assessor-load')
    expect(
      Object.values(load)
        .flat()
        .filter((c) => /^[1-4]$/.test(c)),
    ).toEqual([])
    expect(load['None']).toEqual(['[c]'])
    // The last cell is a zero in a breakdown whose only non-zero count is hidden: hidden too, so it
    // cannot say which category those practitioners are in (docs/insight-figures.md).
    expect(figureRows(page.text, 'trained-capacity')['AIM3']).toEqual(['[c]', '[c]', '[c]', '[c]'])
    expect(page.text).not.toMatch(/href="\/(cases|children)\/[0-9a-f]|href="\/insight\/cases/)
    const csv = await board.get(`/insight/workforce/figures/trained-by-model.csv?as-at=${AS_AT}`)
    expect(csv.status).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.text).toContain('[c]')
  })

  it('downloads a figure as CSV and XLSX with the numbers on the page, and refuses an unknown figure', async () => {
    const csv = await lead.get(`/insight/workforce/figures/co-assessor-load.csv?as-at=${AS_AT}`)
    expect(csv.status).toBe(200)
    expect(csv.text).toContain('Co-assessor load')
    expect(csv.text).toMatch(/3 or more assessments"?,"?1"?/)
    const xlsx = await lead.get(`/insight/workforce/figures/trained-capacity.xlsx?as-at=${AS_AT}`).buffer(true)
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers['content-type']).toContain('spreadsheetml')
    expect((await lead.get('/insight/workforce/figures/nothing.csv')).status).toBe(404)
  })

  it('says what is wrong with a bad as-at date, without a 500', async () => {
    const bad = await lead.get('/insight/workforce?as-at=2026-02-31')
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Enter the “as at” date as a real date')
    expect(bad.text).toContain('value="2026-02-31"')
    expect((await lead.get('/insight/workforce?as-at=2999-01-01')).status).toBe(400)
  })
})

describe('the provision register', () => {
  const form = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf.get(agent), ...body })

  it('checks the form, keeping what was typed, and shows errors next to the fields', async () => {
    const res = await form(lead, '/insight/provision/new', {
      service: '',
      provider: 'Brightpath',
      capacity: 'lots',
      notes: 'Kept note',
      'ended-day': '31',
      'ended-month': '2',
      'ended-year': '2027',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Enter the name of the service')
    expect(res.text).toContain('Select the levels of concern the service is for')
    expect(res.text).toContain('Capacity must be a whole number')
    expect(res.text).toContain('The date the service ended must be a real date')
    expect(res.text).toContain('value="Brightpath"')
    expect(res.text).toContain('Kept note')
    expect(res.text).toContain('govuk-error-summary')
  })

  it('adds entries, counts them by level as at a date, refuses a stale edit and keeps every version', async () => {
    const add = async (body: Record<string, unknown>) => {
      const res = await form(lead, '/insight/provision/new', body)
      expect(res.status).toBe(302)
    }
    await add({ service: 'Specialist HSB service', provider: 'Northshire CSC', levels: 'HIGH', capacity: '6' })
    await add({ service: 'Group work programme', provider: 'Brightpath', levels: ['MEDIUM', 'HIGH'] })
    await add({ service: 'Targeted sessions', provider: 'YOS', levels: 'MEDIUM', capacity: '10' })
    await add({
      service: 'Old low-level course',
      provider: 'School',
      levels: 'LOW',
      capacity: '3',
      'ended-day': '1',
      'ended-month': '1',
      'ended-year': '2020',
    })
    const list = await lead.get('/insight/provision')
    expect(list.status).toBe(200)
    expect(list.text).toContain('Specialist HSB service')
    const byLevel = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      provisionByLevel(trx, f.partnershipId, new Date()),
    )
    expect(byLevel).toEqual([
      { level: 'LOW', services: 0, places: null },
      { level: 'MEDIUM', services: 2, places: 10 },
      { level: 'HIGH', services: 2, places: 6 },
    ])
    const before = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      provisionByLevel(trx, f.partnershipId, startOfLondonDay('2019-12-31')),
    )
    expect(before.every((l) => l.services === 0)).toBe(true)

    const id = (/\/insight\/provision\/([0-9a-f-]{36})\/edit/.exec(list.text) ?? [])[1]!
    const first = await lead.get(`/insight/provision/${id}/edit`)
    const version = /name="version" value="(\d+)"/.exec(first.text)![1]
    const ok = await form(lead, `/insight/provision/${id}/edit`, {
      version,
      service: 'Renamed service',
      provider: 'P',
      levels: 'HIGH',
      capacity: '4',
    })
    expect(ok.status).toBe(302)
    const stale = await form(lead, `/insight/provision/${id}/edit`, { version, service: 'My stale change', provider: 'P', levels: 'LOW' })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Someone else saved this entry after you opened it')
    expect(stale.text).toContain('value="My stale change"')
    const history = await lead.get(`/insight/provision/${id}/edit`)
    expect(history.text.match(/data-qa="provision-version"/g)).toHaveLength(2)
    expect(history.text).toContain('Renamed service')
    const audited = await asSystem((trx) => trx.selectFrom('auditLog').select('action').where('recordId', '=', id).execute())
    expect(audited.map((a) => a.action).sort()).toEqual(['provision:create', 'provision:update'])
  })

  it('lets a board member read the register but not change it', async () => {
    expect((await board.get('/insight/provision')).status).toBe(200)
    expect((await board.get('/insight/provision/new')).status).toBe(403)
  })
})
