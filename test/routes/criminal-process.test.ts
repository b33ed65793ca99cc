import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { addCalendarDays, londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let worker: TestAgent
const csrf = new Map<TestAgent, string>()
let n = 0
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const parts = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y }
}
const today = () => londonDate(new Date())

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  worker = await signIn(t, f.users.TEAM_MANAGER)
  csrf.set(worker, await csrfFor(worker))
}, 120_000)
afterAll(async () => t.close())

/** A case the team manager works with, moved through the workflow to "strategy meeting held" (or left at the front door). */
async function openCase(held = true) {
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  const caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Court',
      familyName: `Child${++n}`,
      dateOfBirth: '2009-01-01',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(Date.now() - 86_400_000) }, 'test')
  })
  if (held) {
    await kernel.run(manager, caseId, 's1', (act) => act.apply('RECORD_SCREENING', {}))
    await kernel.run(manager, caseId, 's2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'RED' }))
    await kernel.run(manager, caseId, 's3', (act) => act.apply('FINALISE_STRATEGY_MEETING', { outcomes: [] }))
  }
  return caseId
}

const record = (caseId: string, body: Record<string, unknown>) => post(worker, `/cases/${caseId}/criminal-process/new`, body)

describe('the criminal process alongside the pathway', () => {
  it('shows an honest page before anything is recorded, and cannot be recorded before the strategy meeting', async () => {
    const caseId = await openCase(false)
    const page = await worker.get(`/cases/${caseId}/criminal-process`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Nothing has been recorded about a criminal process')
    expect(page.text).not.toContain('data-qa="record-criminal-process"')
    expect((await worker.get(`/cases/${caseId}/criminal-process/new`)).status).toBe(409)
  })

  it('records entries through the workflow (audited, in the case history) and refuses dates out of order with the input kept', async () => {
    const caseId = await openCase()
    const started = addCalendarDays(today(), -20)
    const noRef = await record(caseId, { kind: 'INVESTIGATION', ...parts('date', started) })
    expect(noRef.status).toBe(400)
    expect(noRef.text).toContain('Enter the police reference')
    expect(noRef.text).toMatch(/value="INVESTIGATION" checked/)
    expect((await record(caseId, { kind: 'INVESTIGATION', ...parts('date', started), 'police-reference': 'NP/2026/7781' })).status).toBe(
      302,
    )

    const early = await record(caseId, { kind: 'CHARGE', ...parts('date', addCalendarDays(started, -1)), offence: 'Offence text kept' })
    expect(early.status).toBe(400)
    expect(early.text).toContain('The date of the charge must be the same as or after the investigation started')
    expect(early.text).toContain('Offence text kept')
    expect(
      (
        await record(caseId, {
          kind: 'CHARGE',
          ...parts('date', addCalendarDays(started, 5)),
          offence: 'Sending sexual communications to a child',
        })
      ).status,
    ).toBe(302)

    const badBail = await record(caseId, {
      kind: 'BAIL',
      ...parts('date', addCalendarDays(started, 6)),
      ...parts('end-date', addCalendarDays(started, 2)),
      conditions: 'No contact',
    })
    expect(badBail.status).toBe(400)
    expect(badBail.text).toContain('The date bail ends must be the same as or after the date bail started')
    expect(
      (
        await record(caseId, {
          kind: 'COURT_HEARING',
          ...parts('date', addCalendarDays(today(), 30)),
          court: 'Northshire Youth Court',
          'hearing-type': 'First appearance',
        })
      ).status,
    ).toBe(302)

    const events = await asSystem((trx) =>
      trx
        .selectFrom('caseEvent')
        .select(['action', 'detail'])
        .where('caseId', '=', caseId)
        .where('action', '=', 'RECORD_CRIMINAL_PROCESS')
        .execute(),
    )
    expect(events.map((e) => e.detail.kind)).toEqual(['INVESTIGATION', 'CHARGE', 'COURT_HEARING'])
    const audits = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select('outcome')
        .where('action', '=', 'case:RECORD_CRIMINAL_PROCESS')
        .where('recordId', '=', caseId)
        .execute(),
    )
    expect(audits.map((a) => a.outcome)).toEqual(['ALLOWED', 'ALLOWED', 'ALLOWED'])
    const page = await worker.get(`/cases/${caseId}/criminal-process`)
    expect(page.text).toContain('NP/2026/7781')
    expect(page.text).toContain('Northshire Youth Court')
    expect(page.text).not.toContain('data-qa="bail-holds-up"')
  })

  it('warns while current bail conditions hold up intervention, and not once bail has ended', async () => {
    const caseId = await openCase()
    const noNote = await record(caseId, {
      kind: 'BAIL',
      ...parts('date', addCalendarDays(today(), -3)),
      conditions: 'Not to contact the harmed child; curfew 7pm to 7am',
      'holds-up': 'yes',
    })
    expect(noNote.status).toBe(400)
    expect(noNote.text).toContain('Say how the bail conditions prevent or delay intervention work')
    expect(
      (
        await record(caseId, {
          kind: 'BAIL',
          ...parts('date', addCalendarDays(today(), -3)),
          conditions: 'Not to contact the harmed child; curfew 7pm to 7am',
          'holds-up': 'yes',
          'hold-up-note': 'Group work is in the evening, inside the curfew.',
        })
      ).status,
    ).toBe(302)
    const page = await worker.get(`/cases/${caseId}/criminal-process`)
    expect(page.text).toContain('data-qa="bail-holds-up"')
    expect(page.text).toContain('Group work is in the evening, inside the curfew.')
    const holds = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      t.services.criminalProcess.service.bailHoldsUpIntervention(trx, caseId, new Date()),
    )
    expect(holds).toHaveLength(1)
    expect(holds![0]).toMatchObject({ until: null, note: 'Group work is in the evening, inside the curfew.' })

    const ended = await openCase()
    expect(
      (
        await record(ended, {
          kind: 'BAIL',
          ...parts('date', addCalendarDays(today(), -30)),
          ...parts('end-date', addCalendarDays(today(), -1)),
          conditions: 'Curfew',
          'holds-up': 'yes',
          'hold-up-note': 'Curfew clashed with sessions.',
        })
      ).status,
    ).toBe(302)
    expect((await worker.get(`/cases/${ended}/criminal-process`)).text).not.toContain('data-qa="bail-holds-up"')
    const none = await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      t.services.criminalProcess.service.bailHoldsUpIntervention(trx, ended, new Date()),
    )
    expect(none).toBeNull()
  })
})
