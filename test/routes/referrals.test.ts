import { randomUUID } from 'node:crypto'
import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { casesRepository } from '../../src/features/cases/cases.repository.js'
import type { Role } from '../../src/platform/access/roles.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { dueAt } from '../../src/platform/clocks/clocks.rules.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

/**
 * The front of the pathway walked through its pages as the people who do it: a referrer at a
 * school, a front-door social worker, a team manager, an assessment team social worker.
 */
let t: TestApp
let f: Fixtures
let frontDoorTeam: string
let assessmentTeam: string
const people = {} as Record<'referrer' | 'frontDoor' | 'assessment', { id: string; email: string; totpSecret: string }>
const agents = {} as Record<'referrer' | 'frontDoor' | 'assessment' | 'manager' | 'outsider', TestAgent>
const csrf = {} as Record<keyof typeof agents, string>

const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

async function person(name: string, agencyId: string, roles: Role[], teamIds: string[]) {
  const totpSecret = newTotpSecret()
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@referrals.example`
  const r = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.partnershipId },
    { displayName: name, email, agencyId, roles, teamIds, password: TEST_PASSWORD, totpSecret },
    null,
  )
  if (!r.ok) throw new Error(r.errors.map((e) => e.text).join('; '))
  return { id: r.value, email, totpSecret }
}

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  const system = { system: true as const, partnershipId: f.partnershipId }
  frontDoorTeam = await t.services.admin.service.createTeam(system, { agencyId: f.agencyIds.csc, name: 'Front Door (MASH)' })
  assessmentTeam = await t.services.admin.service.createTeam(system, { agencyId: f.agencyIds.csc, name: 'Assessment Team' })
  await t.services.referrals.service.setFrontDoorTeam(system, frontDoorTeam)
  people.referrer = await person('Priya School', f.agencyIds.other, ['REFERRER'], [])
  people.frontDoor = await person('Jo Frontdoor', f.agencyIds.csc, ['SOCIAL_WORKER'], [frontDoorTeam])
  people.assessment = await person('Sam Assessment', f.agencyIds.csc, ['SOCIAL_WORKER'], [assessmentTeam])
  agents.referrer = await signIn(t, people.referrer)
  agents.frontDoor = await signIn(t, people.frontDoor)
  agents.assessment = await signIn(t, people.assessment)
  agents.manager = await signIn(t, f.users.TEAM_MANAGER)
  agents.outsider = await signIn(t, f.users.SOCIAL_WORKER)
  for (const [who, agent] of Object.entries(agents)) csrf[who as Who] = await csrfFor(agent)
}, 120_000)
afterAll(async () => t.close())

type Who = keyof typeof agents
const post = (who: Who, path: string, body: Record<string, unknown>) =>
  agents[who]
    .post(path)
    .type('form')
    .send({ _csrf: csrf[who], ...body })
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''
/** The case a request made: a referrer is sent to their request's page, someone working with the child to the case. */
const caseIdFrom = (location: string) => /^\/(?:cases|requests)\/([0-9a-f-]{36})$/.exec(location)?.[1] ?? ''
/** The decision notices raised about a case, to whom. */
const decisionNotices = (caseId: string) =>
  asSystem((trx) =>
    trx.selectFrom('notification').select(['userId', 'kind']).where('caseId', '=', caseId).where('kind', '=', 'REQUEST_DECIDED').execute(),
  )
const statusOf = (caseId: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('hsbCase')
      .select(['status', 'rating', 'route', 'referralReceivedAt'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow(),
  )

function requestForm(overrides: Record<string, unknown> = {}) {
  return {
    'received-day': '2',
    'received-month': '3',
    'received-year': '2026',
    'received-time': '09:15',
    'what-happened': 'Year 8 pupil seen showing sexual images on his phone to younger pupils at lunch.',
    contexts: ['SCHOOL', 'ONLINE'],
    'other-children': 'Two Year 7 pupils.',
    'sharing-basis': 'SAFEGUARDING_WITHOUT_CONSENT',
    'consent-sought': 'no',
    'sharing-note': 'Parents not told yet.',
    'open-case': 'no',
    'idempotency-key': randomUUID(),
    ...overrides,
  }
}

function behaviour(n: number, over: Record<string, string> = {}) {
  const base = {
    description: `Behaviour ${n}: shared images with younger pupils`,
    'date-day': '27',
    'date-month': '2',
    'date-year': '2026',
    context: 'SCHOOL',
    hackett: 'PROBLEMATIC',
    rating: 'AMBER',
    rationale: `Rationale ${n}`,
  }
  return Object.fromEntries(Object.entries({ ...base, ...over }).map(([k, v]) => [`behaviour-${n}-${k}`, v]))
}

/** Raises a request as the referrer, returning the new case's id. */
async function refer(childId: string, overrides: Record<string, unknown> = {}) {
  const res = await post('referrer', `/children/${childId}/request-for-support`, requestForm(overrides))
  expect(res.status, res.text.slice(0, 400)).toBe(302)
  return caseIdFrom(res.headers.location as string)
}

async function screen(who: Who, caseId: string, rows: Record<string, string>) {
  const page = await agents[who].get(`/cases/${caseId}/screening`)
  expect(page.status).toBe(200)
  const res = await post(who, `/cases/${caseId}/screening`, {
    'tool-version': 'BROOK_ORIGINAL',
    version: hidden(page.text, 'version'),
    rows: '3',
    'overall-rationale': 'Overall rationale.',
    ...rows,
  })
  expect(res.status, res.text.slice(0, 400)).toBe(302)
}

async function oversee(caseId: string, outcome: 'CONFIRM' | 'RETURN', note = '') {
  const page = await agents.manager.get(`/cases/${caseId}/screening/oversight`)
  expect(page.status).toBe(200)
  return post('manager', `/cases/${caseId}/screening/oversight`, {
    outcome,
    note,
    version: hidden(page.text, 'version'),
    'screening-id': hidden(page.text, 'screening-id'),
  })
}

describe('(1) green: request for support → screening → oversight → early help', () => {
  it('walks the pages as the referrer, the front-door social worker and the team manager', async () => {
    const childId = f.children.ANALYST.NONE
    const form = await agents.referrer.get(`/children/${childId}/request-for-support`)
    expect(form.status).toBe(200)
    // The referrer cannot open this child's record, so the form does not say who the child is.
    expect(form.text).not.toContain('Fixture ANALYST-NONE')
    expect(form.text).not.toContain('1 April 2012')
    expect(hidden(form.text, 'idempotency-key')).toMatch(/^[0-9a-f-]{36}$/)

    const caseId = await refer(childId, {
      'what-happened': 'Touched a younger child over clothes during play; stopped when told.',
      contexts: 'HOME',
    })
    // The referrer follows the request on its own page, not the case.
    const own = await agents.referrer.get(`/requests/${caseId}`)
    expect(own.status).toBe(200)
    expect(own.text).toContain('Request for support sent')
    expect(own.text).toContain('Received: waiting to be screened')
    expect((await agents.referrer.get(`/cases/${caseId}`)).status).toBe(403)
    expect(await statusOf(caseId)).toMatchObject({ status: 'REFERRED', route: 'NEW', referralReceivedAt: new Date('2026-03-02T09:15:00Z') })
    const involved = await asSystem((trx) =>
      trx
        .selectFrom('childInvolvement')
        .select(['userId', 'teamId', 'kind'])
        .where('childId', '=', childId)
        .where('endedAt', 'is', null)
        .execute(),
    )
    expect(involved).toEqual(
      expect.arrayContaining([
        { userId: people.referrer.id, teamId: null, kind: 'INVOLVED' },
        { userId: null, teamId: frontDoorTeam, kind: 'INVOLVED' },
      ]),
    )
    const request = await asSystem((trx) =>
      trx.selectFrom('requestForSupport').selectAll().where('caseId', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect(request).toMatchObject({
      referrerId: people.referrer.id,
      referrerAgencyId: f.agencyIds.other,
      contexts: ['HOME'],
      sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
      consentSought: false,
    })

    const screening = await agents.frontDoor.get(`/cases/${caseId}/screening`)
    expect(screening.text).toContain('Touched a younger child over clothes during play')
    expect(screening.text.match(/data-qa="behaviour-row"/g)).toHaveLength(3)
    await screen('frontDoor', caseId, behaviour(1, { rating: 'GREEN', context: 'HOME', hackett: 'INAPPROPRIATE' }))
    expect(await statusOf(caseId)).toMatchObject({ status: 'AWAITING_OVERSIGHT', rating: 'GREEN' })
    const saved = await asSystem((trx) => trx.selectFrom('screening').selectAll().where('caseId', '=', caseId).executeTakeFirstOrThrow())
    // Born 1 April 2012: 13 on 27 February 2026, in the original tool's 13 to 17 band.
    expect(saved).toMatchObject({
      toolVersion: 'BROOK_ORIGINAL',
      ageBand: 'AGE_13_17',
      overallRating: 'GREEN',
      screenedBy: people.frontDoor.id,
    })

    const oversight = await agents.manager.get(`/cases/${caseId}/screening/oversight`)
    expect(oversight.text).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Behaviours considered</caption>')
    expect(oversight.text).toContain('Behaviour 1: shared images with younger pupils')
    expect((await oversee(caseId, 'CONFIRM')).status).toBe(302)
    expect(await statusOf(caseId)).toMatchObject({ status: 'GREEN_DECISION', rating: 'GREEN' })

    const decision = await agents.frontDoor.get(`/cases/${caseId}/decision`)
    expect(decision.status).toBe(200)
    const missing = await post('frontDoor', `/cases/${caseId}/decision`, {
      decision: 'EARLY_HELP',
      professionals: '',
      version: hidden(decision.text, 'version'),
    })
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('Enter the professionals who will do the early help assessment')
    const done = await post('frontDoor', `/cases/${caseId}/decision`, {
      decision: 'EARLY_HELP',
      professionals: 'School nurse (Northshire Community Health); DSL at Riverside Academy',
      'eha-requested': 'yes',
      version: hidden(decision.text, 'version'),
    })
    expect(done.status).toBe(302)
    expect(await statusOf(caseId)).toMatchObject({ status: 'EARLY_HELP' })

    const events = await asSystem((trx) =>
      trx.selectFrom('caseEvent').select(['action', 'toStatus', 'detail']).where('caseId', '=', caseId).orderBy('id').execute(),
    )
    expect(events.map((e) => e.action)).toEqual(['OPEN', 'RECORD_SCREENING', 'CONFIRM_SCREENING', 'REQUEST_EARLY_HELP'])
    expect(events[1]!.detail).toEqual({ rating: 'GREEN', toolVersion: 'BROOK_ORIGINAL', ageBand: 'AGE_13_17', behaviours: 1 })
    expect(events[3]!.detail).toMatchObject({
      professionals: 'School nurse (Northshire Community Health); DSL at Riverside Academy',
      earlyHelpAssessmentRequested: true,
    })
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select(['action', 'detail']).where('recordId', 'in', [caseId, childId]).execute(),
    )
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['child:refer', 'case:OPEN', 'case:RECORD_SCREENING', 'case:CONFIRM_SCREENING', 'case:REQUEST_EARLY_HELP']),
    )
    // Nothing the children or the professionals said is in the audit log.
    expect(JSON.stringify(audit)).not.toMatch(/Touched|Behaviour 1|School nurse/)
  })
})

describe('(2) amber: confirmation starts the strategy and assessment clocks', () => {
  it('moves to strategy meeting due, 24 hours from confirmation and 45 working days from the referral', async () => {
    const caseId = await refer(f.children.BOARD_MEMBER.NONE)
    await screen('frontDoor', caseId, { ...behaviour(1, { rating: 'GREEN' }), ...behaviour(2, { rating: 'AMBER' }) })
    const before = Date.now()
    expect((await oversee(caseId, 'CONFIRM')).status).toBe(302)
    const after = Date.now()
    const kase = await statusOf(caseId)
    expect(kase).toMatchObject({ status: 'STRATEGY_MEETING_DUE', rating: 'AMBER' })
    // Accepted onto the pathway: the referrer is told, once (and sees what that means on her request's page).
    expect(await decisionNotices(caseId)).toEqual([{ userId: people.referrer.id, kind: 'REQUEST_DECIDED' }])
    const clocks = await asSystem((trx) =>
      trx.selectFrom('caseClock').select(['kind', 'startedAt', 'dueAt', 'metAt']).where('caseId', '=', caseId).execute(),
    )
    const strategy = clocks.find((c) => c.kind === 'STRATEGY_MEETING')!
    expect(strategy.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(strategy.startedAt.getTime()).toBeLessThanOrEqual(after + 1000)
    expect(strategy.dueAt.getTime() - strategy.startedAt.getTime()).toBe(24 * 3600_000)
    const assessment = clocks.find((c) => c.kind === 'ASSESSMENT')!
    expect(assessment.startedAt).toEqual(kase.referralReceivedAt)
    expect(assessment.dueAt).toEqual(dueAt('ASSESSMENT', kase.referralReceivedAt))
    expect(clocks.find((c) => c.kind === 'REFERRAL_DECISION')!.metAt).not.toBeNull()
    const page = await agents.manager.get(`/cases/${caseId}`)
    expect(page.text).toContain('Strategy meeting (24 hours)')
    expect(page.text).toContain(`/cases/${caseId}/allocation`)
  })

  it('a returned screening goes back to the worker with the note, and can be screened again', async () => {
    const caseId = await refer(f.children.LEAD_AUDITOR.NONE)
    await screen('frontDoor', caseId, behaviour(1))
    const empty = await oversee(caseId, 'RETURN')
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter what the worker needs to look at again')
    expect((await oversee(caseId, 'RETURN', 'Check the dates with the school.')).status).toBe(302)
    expect(await statusOf(caseId)).toMatchObject({ status: 'REFERRED', rating: null })
    const again = await agents.frontDoor.get(`/cases/${caseId}/screening`)
    expect(again.text).toContain('Check the dates with the school.')
    await screen('frontDoor', caseId, behaviour(1, { rating: 'RED' }))
    expect(await statusOf(caseId)).toMatchObject({ status: 'AWAITING_OVERSIGHT', rating: 'RED' })
  })
})

describe('management oversight is by someone else', () => {
  it('a team manager who recorded the screening cannot confirm it', async () => {
    const caseId = await refer(f.children.PARTNERSHIP_BUSINESS_MANAGER.NONE)
    await screen('manager', caseId, behaviour(1, { rating: 'RED' }))
    const res = await oversee(caseId, 'CONFIRM')
    expect(res.status).toBe(400)
    expect(res.text).toContain('You recorded this screening, so another team manager must confirm or return it')
    expect(await statusOf(caseId)).toMatchObject({ status: 'AWAITING_OVERSIGHT' })
  })
})

describe('(3) red on an open case: the allocated worker screens; allocation and reallocation in the history', () => {
  it('involves the allocated team, not the front door, and keeps both allocations', async () => {
    const childId = f.children.PRIVACY_OFFICER.NONE
    await transaction(t.services.db, { partnershipId: f.partnershipId }, (trx) =>
      casesRepository().allocate(trx, {
        partnershipId: f.partnershipId,
        childId,
        agencyId: f.agencyIds.csc,
        teamId: assessmentTeam,
        userId: people.assessment.id,
      }),
    )
    const caseId = await refer(childId, { 'open-case': 'yes' })
    expect(await statusOf(caseId)).toMatchObject({ status: 'REFERRED', route: 'OPEN_CASE' })
    const teams = await asSystem((trx) =>
      trx.selectFrom('childInvolvement').select('teamId').where('childId', '=', childId).where('endedAt', 'is', null).execute(),
    )
    expect(teams.map((r) => r.teamId)).not.toContain(frontDoorTeam)
    expect((await agents.frontDoor.get(`/cases/${caseId}/screening`)).status).toBe(403)

    await screen('assessment', caseId, behaviour(1, { rating: 'RED', hackett: 'ABUSIVE' }))
    expect((await oversee(caseId, 'CONFIRM')).status).toBe(302)
    expect(await statusOf(caseId)).toMatchObject({ status: 'STRATEGY_MEETING_DUE', rating: 'RED' })

    const page = await agents.manager.get(`/cases/${caseId}/allocation`)
    expect(page.status).toBe(200)
    const version = hidden(page.text, 'version')
    const noMeasures = await post('manager', `/cases/${caseId}/allocation`, {
      team: assessmentTeam,
      worker: people.assessment.id,
      'interim-measures': '',
      version,
    })
    expect(noMeasures.status).toBe(400)
    expect(noMeasures.text).toContain('Enter the interim safeguarding measures put in place')
    const wrongTeam = await post('manager', `/cases/${caseId}/allocation`, {
      team: assessmentTeam,
      worker: people.frontDoor.id,
      'interim-measures': 'Separate bedrooms.',
      version,
    })
    expect(wrongTeam.status).toBe(400)
    expect(wrongTeam.text).toContain('Select a social worker who is in Assessment Team')
    expect(wrongTeam.text).toContain('Separate bedrooms.')
    const first = await post('manager', `/cases/${caseId}/allocation`, {
      team: assessmentTeam,
      worker: people.assessment.id,
      'interim-measures': 'Separate bedrooms; supervised at school.',
      version,
    })
    expect(first.status).toBe(302)

    const again = await agents.manager.get(`/cases/${caseId}/allocation`)
    expect(again.text).toContain('Currently allocated to Assessment Team: Sam Assessment')
    const second = await post('manager', `/cases/${caseId}/allocation`, {
      team: frontDoorTeam,
      worker: people.frontDoor.id,
      'interim-measures': '',
      version: hidden(again.text, 'version'),
    })
    expect(second.status).toBe(302)

    const events = await asSystem((trx) =>
      trx
        .selectFrom('caseEvent')
        .select(['action', 'detail'])
        .where('caseId', '=', caseId)
        .where('action', '=', 'ALLOCATE')
        .orderBy('id')
        .execute(),
    )
    expect(events.map((e) => e.detail)).toEqual([
      {
        teamId: assessmentTeam,
        userId: people.assessment.id,
        reallocation: false,
        interimMeasures: 'Separate bedrooms; supervised at school.',
      },
      { teamId: frontDoorTeam, userId: people.frontDoor.id, reallocation: true },
    ])
    const allocations = await asSystem((trx) =>
      trx
        .selectFrom('childInvolvement')
        .select(['teamId', 'userId', 'endedAt'])
        .where('childId', '=', childId)
        .where('kind', '=', 'ALLOCATED')
        .orderBy('startedAt')
        .execute(),
    )
    expect(allocations.map((a) => [a.teamId, a.userId, a.endedAt !== null])).toEqual([
      [assessmentTeam, people.assessment.id, true],
      [assessmentTeam, people.assessment.id, true],
      [frontDoorTeam, people.frontDoor.id, false],
    ])
    const history = await agents.manager.get(`/cases/${caseId}`)
    // Each allocation is in the case's history, in words of what happened.
    const allocated = await asSystem((trx) =>
      trx.selectFrom('caseEvent').select('id').where('caseId', '=', caseId).where('action', '=', 'ALLOCATE').execute(),
    )
    expect(allocated.length).toBeGreaterThanOrEqual(2)
    expect(history.text.match(/Allocated to a team and a social worker/g)?.length).toBe(allocated.length)
    expect(history.text).toContain('Front Door (MASH): Jo Frontdoor')
  })
})

describe('(4) an action the pathway does not allow now', () => {
  it('is refused with 409 naming the status and what can be done, and the refusal is audited', async () => {
    const caseId = await refer(f.children.ANALYST.OTHER_AGENCY)
    const page = await agents.manager.get(`/cases/${caseId}/screening/oversight`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-qa="not-now"')
    const res = await post('manager', `/cases/${caseId}/screening/oversight`, {
      outcome: 'CONFIRM',
      'screening-id': randomUUID(),
      version: '1',
    })
    expect(res.status).toBe(409)
    expect(res.text).toContain(
      'This case is “Waiting for screening”, so “Confirm the screening (management oversight)” cannot be done now.',
    )
    expect(res.text).toContain('You can: Record the screening')
    expect(res.text).toContain('You can: Allocate to a team and a social worker')
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['outcome', 'detail'])
        .where('recordId', '=', caseId)
        .where('action', '=', 'case:CONFIRM_SCREENING')
        .execute(),
    )
    expect(denied).toEqual([{ outcome: 'DENIED', detail: { reason: 'NOT_ALLOWED_NOW' } }])
    expect(await statusOf(caseId)).toMatchObject({ status: 'REFERRED' })
  })

  it('a role that never takes the step is refused (403) whatever the status', async () => {
    const caseId = await refer(f.children.BOARD_MEMBER.OTHER_AGENCY)
    expect((await agents.frontDoor.get(`/cases/${caseId}/screening/oversight`)).status).toBe(403)
    expect((await agents.frontDoor.get(`/cases/${caseId}/allocation`)).status).toBe(403)
  })
})

describe('(5) bad input is refused with the input kept', () => {
  it('a request received in the future or before the child was born', async () => {
    const childId = f.children.AGENCY_LEAD.NONE
    const future = await post(
      'referrer',
      `/children/${childId}/request-for-support`,
      requestForm({ 'received-year': String(new Date().getFullYear() + 1), 'what-happened': 'Kept <b>text</b>' }),
    )
    expect(future.status).toBe(400)
    expect(future.text).toContain('<title>Error: Request for support')
    expect(future.text).toContain('href="#received-day"')
    expect(future.text).toContain('Date received must be today or in the past')
    expect(future.text).toContain('Kept &lt;b&gt;text&lt;/b&gt;')
    expect(future.text).toMatch(/value="SAFEGUARDING_WITHOUT_CONSENT" checked/)
    // Checked for someone who can open the child's record (see (9) for someone who cannot).
    const known = f.children.TEAM_MANAGER.SAME_TEAM
    const beforeBirth = await post('manager', `/children/${known}/request-for-support`, requestForm({ 'received-year': '2011' }))
    expect(beforeBirth.status).toBe(400)
    expect(beforeBirth.text).toContain('Date received must be on or after the child’s date of birth')
    expect(await asSystem((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', known).execute())).toHaveLength(1)
    const none = await post(
      'referrer',
      `/children/${childId}/request-for-support`,
      requestForm({ 'what-happened': ' ', 'sharing-basis': '' }),
    )
    expect(none.status).toBe(400)
    expect(none.text).toContain('href="#what-happened"')
    expect(none.text).toContain('href="#sharing-basis"')
    const cases = await asSystem((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', childId).execute())
    expect(cases).toHaveLength(1) // the fixture's own
  })

  it('a behaviour before birth, a rating without rationale; a stale form; adding a row', async () => {
    const caseId = await refer(f.children.AGENCY_LEAD.OTHER_AGENCY)
    const page = await agents.frontDoor.get(`/cases/${caseId}/screening`)
    const version = hidden(page.text, 'version')
    const base = { 'tool-version': 'BROOK_ORIGINAL', version, rows: '3', 'overall-rationale': 'Overall kept.' }
    const bad = await post('frontDoor', `/cases/${caseId}/screening`, {
      ...base,
      ...behaviour(1, { 'date-year': '2011' }),
      ...behaviour(2, { rationale: '' }),
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('href="#behaviour-1-date-day"')
    expect(bad.text).toContain('Date of behaviour 1 must be on or after the child’s date of birth')
    expect(bad.text).toContain('href="#behaviour-2-rationale"')
    expect(bad.text).toContain('Enter the rationale for the rating of behaviour 2')
    expect(bad.text).toContain('Behaviour 2: shared images with younger pupils')
    expect(bad.text).toContain('Overall kept.')

    const more = await post('frontDoor', `/cases/${caseId}/screening`, { ...base, ...behaviour(2), 'add-behaviour': '1' })
    expect(more.status).toBe(200)
    expect(more.text.match(/data-qa="behaviour-row"/g)).toHaveLength(4)
    expect(more.text).toContain('name="behaviour-1-description"')
    expect(more.text).toContain('Behaviour 2: shared images with younger pupils') // moved up to row 1, kept

    await transaction(t.services.db, 'system', (trx) =>
      trx
        .updateTable('hsbCase')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', caseId)
        .execute(),
    )
    const stale = await post('frontDoor', `/cases/${caseId}/screening`, { ...base, ...behaviour(1) })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Someone else changed this case while you were working on it')
    expect(stale.text).toContain('Behaviour 1: shared images with younger pupils')
    expect(hidden(stale.text, 'version')).toBe(String(Number(version) + 1))
    expect(await asSystem((trx) => trx.selectFrom('screening').select('id').where('caseId', '=', caseId).execute())).toEqual([])
  })
})

describe('(6) a double-clicked request for support', () => {
  it('creates one case and sends both clicks to it', async () => {
    const childId = f.children.ANALYST.SAME_AGENCY
    const form = requestForm()
    const [a, b] = [
      await post('referrer', `/children/${childId}/request-for-support`, form),
      await post('referrer', `/children/${childId}/request-for-support`, form),
    ]
    expect([a.status, b.status]).toEqual([302, 302])
    expect(b.headers.location).toBe(a.headers.location)
    const rows = await asSystem((trx) =>
      trx.selectFrom('requestForSupport').select('caseId').where('idempotencyKey', '=', form['idempotency-key']).execute(),
    )
    expect(rows).toHaveLength(1)
    const cases = await asSystem((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', childId).execute())
    expect(cases).toHaveLength(2) // the fixture's own and this one
    // Both clicks at the same moment (on PostgreSQL the second insert breaks the key's uniqueness).
    const together = requestForm()
    const both = await Promise.all([1, 2].map(() => post('referrer', `/children/${childId}/request-for-support`, together)))
    expect(both.map((r) => r.status)).toEqual([302, 302])
    expect(both[1]!.headers.location).toBe(both[0]!.headers.location)
    expect(await asSystem((trx) => trx.selectFrom('hsbCase').select('id').where('childId', '=', childId).execute())).toHaveLength(3)
    // Someone else sending the same key is not taken to that case.
    const other = await post('frontDoor', `/children/${childId}/request-for-support`, form)
    expect(other.status).toBe(400)
  })
})

describe('(7) a social worker neither in the front door nor allocated', () => {
  it('cannot open the screening (403), and the refusal is in the audit log', async () => {
    const caseId = await refer(f.children.HEAD_OF_SERVICE.NONE)
    expect((await agents.outsider.get(`/cases/${caseId}/screening`)).status).toBe(403)
    const res = await post('outsider', `/cases/${caseId}/screening`, {
      'tool-version': 'BROOK_ORIGINAL',
      version: '1',
      ...behaviour(1),
      'overall-rationale': 'x',
    })
    expect(res.status).toBe(403)
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('userId', '=', f.users.SOCIAL_WORKER.id)
        .where('recordId', '=', caseId)
        .execute(),
    )
    expect(denied).toEqual([
      { action: 'case:read', outcome: 'DENIED' },
      { action: 'case:read', outcome: 'DENIED' },
    ])
    expect(await statusOf(caseId)).toMatchObject({ status: 'REFERRED' })
  })

  it('a restricted child can be referred only by people named on the record', async () => {
    const res = await agents.referrer.get(`/children/${f.restrictedChildren.REFERRER}/request-for-support`)
    expect(res.status).toBe(403)
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select('outcome')
        .where('userId', '=', people.referrer.id)
        .where('recordId', '=', f.restrictedChildren.REFERRER)
        .execute(),
    )
    expect(denied).toEqual([{ outcome: 'DENIED' }])
  })
})

describe('(8) the front door is involved until the case is allocated', () => {
  it('after allocation a front-door social worker who screened is refused the case and the child; the allocated worker keeps them, and the referrer their request', async () => {
    const childId = f.children.POLICE_OFFICER.NONE
    const caseId = await refer(childId)
    await screen('frontDoor', caseId, behaviour(1, { rating: 'AMBER' }))
    expect((await oversee(caseId, 'CONFIRM')).status).toBe(302)
    expect((await agents.frontDoor.get(`/cases/${caseId}`)).status).toBe(200)
    expect((await agents.frontDoor.get(`/children/${childId}`)).status).toBe(200)
    const referrerBefore = [
      (await agents.referrer.get(`/requests/${caseId}`)).status,
      (await agents.referrer.get(`/cases/${caseId}`)).status,
      (await agents.referrer.get(`/children/${childId}`)).status,
    ]
    expect(referrerBefore).toEqual([200, 403, 403])

    const page = await agents.manager.get(`/cases/${caseId}/allocation`)
    const allocated = await post('manager', `/cases/${caseId}/allocation`, {
      team: assessmentTeam,
      worker: people.assessment.id,
      'interim-measures': 'Kept apart at school.',
      version: hidden(page.text, 'version'),
    })
    expect(allocated.status).toBe(302)

    const refusedCase = await agents.frontDoor.get(`/cases/${caseId}`)
    const refusedChild = await agents.frontDoor.get(`/children/${childId}`)
    expect([refusedCase.status, refusedChild.status]).toEqual([403, 403])
    expect(refusedCase.text + refusedChild.text).not.toContain('POLICE_OFFICER-NONE')
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'recordId'])
        .where('userId', '=', people.frontDoor.id)
        .where('recordId', 'in', [caseId, childId])
        .where('outcome', '=', 'DENIED')
        .orderBy('id')
        .execute(),
    )
    expect(denied).toEqual([
      { action: 'case:read', recordId: caseId },
      { action: 'child:read', recordId: childId },
    ])

    expect((await agents.assessment.get(`/cases/${caseId}`)).status).toBe(200)
    expect((await agents.assessment.get(`/children/${childId}`)).status).toBe(200)
    const referrerAfter = [
      (await agents.referrer.get(`/requests/${caseId}`)).status,
      (await agents.referrer.get(`/cases/${caseId}`)).status,
      (await agents.referrer.get(`/children/${childId}`)).status,
    ]
    expect(referrerAfter).toEqual(referrerBefore)

    // The front door's involvement is kept, with its end; the referrer's and the allocation stay open.
    const involvements = await asSystem((trx) =>
      trx.selectFrom('childInvolvement').select(['teamId', 'userId', 'kind', 'endedAt']).where('childId', '=', childId).execute(),
    )
    const open = (r: { endedAt: Date | null }) => r.endedAt === null
    expect(involvements.filter((r) => r.teamId === frontDoorTeam).map(open)).toEqual([false])
    expect(involvements.filter((r) => r.userId === people.referrer.id).map(open)).toEqual([true])
    expect(involvements.filter((r) => r.kind === 'ALLOCATED').map((r) => [r.userId, open(r)])).toEqual([[people.assessment.id, true]])
  })

  it('a new request for support about the same child involves the front door again, for that case', async () => {
    const childId = f.children.POLICE_OFFICER.NONE
    expect((await agents.frontDoor.get(`/children/${childId}`)).status).toBe(403)
    const caseId = await refer(childId)
    expect((await agents.frontDoor.get(`/cases/${caseId}`)).status).toBe(200)
    expect((await agents.frontDoor.get(`/children/${childId}`)).status).toBe(200)
    const frontDoorRows = await asSystem((trx) =>
      trx.selectFrom('childInvolvement').select('endedAt').where('childId', '=', childId).where('teamId', '=', frontDoorTeam).execute(),
    )
    expect(frontDoorRows.map((r) => r.endedAt === null).sort()).toEqual([false, true])
  })
})

describe('(8b) a request closed at the front door', () => {
  it('keeps the front door’s access for the days the partnership sets (30 by default), and then it ends on its own', async () => {
    const childId = f.children.ANALYST.SAME_TEAM
    const caseId = await refer(childId)
    await screen('frontDoor', caseId, behaviour(1, { rating: 'GREEN' }))
    expect((await oversee(caseId, 'CONFIRM')).status).toBe(302)
    const decision = await agents.frontDoor.get(`/cases/${caseId}/decision`)
    const decided = Date.now()
    const closed = await post('frontDoor', `/cases/${caseId}/decision`, {
      decision: 'NO_FURTHER_ACTION',
      reason: 'Already supported at school.',
      version: hidden(decision.text, 'version'),
    })
    expect(closed.status).toBe(302)

    const frontDoorRows = () =>
      asSystem((trx) =>
        trx
          .selectFrom('childInvolvement')
          .select(['id', 'endedAt'])
          .where('childId', '=', childId)
          .where('teamId', '=', frontDoorTeam)
          .execute(),
      )
    const [row] = await frontDoorRows()
    const days = (row!.endedAt!.getTime() - decided) / (24 * 60 * 60 * 1000)
    expect(days).toBeGreaterThan(29.99)
    expect(days).toBeLessThan(30.01)
    // Until then the front door still reads the case and the child (a new concern is screened against it).
    expect((await agents.frontDoor.get(`/cases/${caseId}`)).status).toBe(200)
    expect((await agents.frontDoor.get(`/children/${childId}`)).status).toBe(200)

    // The days pass (the end is moved to a moment ago): the front door is refused, the referrer still follows the request.
    await asSystem((trx) =>
      trx
        .updateTable('childInvolvement')
        .set({ endedAt: new Date(Date.now() - 1000) })
        .where('id', '=', row!.id)
        .execute(),
    )
    expect((await agents.frontDoor.get(`/cases/${caseId}`)).status).toBe(403)
    expect((await agents.frontDoor.get(`/children/${childId}`)).status).toBe(403)
    expect((await agents.referrer.get(`/requests/${caseId}`)).status).toBe(200)
  })
})

describe('(9) the request for support form: access first, audited as opening the form', () => {
  const formAudit = (userId: string, childId: string) =>
    asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('userId', '=', userId)
        .where('recordId', '=', childId)
        .orderBy('id')
        .execute(),
    )

  it('someone who may not refer the child is refused (403, audited) before anything of the child is shown', async () => {
    const analyst = await signIn(t, f.users.ANALYST)
    const childId = f.children.ANALYST.INVOLVED
    const res = await analyst.get(`/children/${childId}/request-for-support`)
    expect(res.status).toBe(403)
    expect(res.text).not.toContain('ANALYST-INVOLVED')
    expect(res.text).not.toContain('1 April 2012')
    expect(await formAudit(f.users.ANALYST.id, childId)).toEqual([{ action: 'child:view-request-form', outcome: 'DENIED' }])
    const restricted = await agents.referrer.get(`/children/${f.restrictedChildren.TEAM_MANAGER}/request-for-support`)
    expect(restricted.status).toBe(403)
    expect(restricted.text).not.toContain('9 September 2011')
    expect(await formAudit(people.referrer.id, f.restrictedChildren.TEAM_MANAGER)).toEqual([
      { action: 'child:view-request-form', outcome: 'DENIED' },
    ])
  })

  it('someone who may refer but cannot open the child sees the form without the child’s name or date of birth', async () => {
    const childId = f.children.YOS_OFFICER.NONE
    const res = await agents.referrer.get(`/children/${childId}/request-for-support`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('data-qa="referral-child-not-shown"')
    expect(res.text).not.toContain('YOS_OFFICER-NONE')
    expect(res.text).not.toContain('1 April 2012')
    expect(await formAudit(people.referrer.id, childId)).toEqual([{ action: 'child:view-request-form', outcome: 'ALLOWED' }])
    // A date before the child's birth is not refused for them: the error would tell the date of birth.
    const sent = await post('referrer', `/children/${childId}/request-for-support`, requestForm({ 'received-year': '2011' }))
    expect(sent.status).toBe(302)
    expect((await formAudit(people.referrer.id, childId)).map((a) => a.action)).toEqual(['child:view-request-form', 'child:refer'])
  })

  it('someone who can open the child sees who it is, audited as opening the form, not as raising a request', async () => {
    const childId = f.children.SOCIAL_WORKER.SAME_TEAM
    const res = await agents.outsider.get(`/children/${childId}/request-for-support`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Fixture SOCIAL_WORKER-SAME_TEAM')
    expect(res.text).toContain('1 April 2012')
    expect(await formAudit(f.users.SOCIAL_WORKER.id, childId)).toEqual([{ action: 'child:view-request-form', outcome: 'ALLOWED' }])
  })
})

describe('(10) the referrer’s view: their request, never the case', () => {
  const audited = (userId: string, recordId: string) =>
    asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('userId', '=', userId)
        .where('recordId', '=', recordId)
        .orderBy('id')
        .execute(),
    )

  it('a school referrer follows the request on its own page and is refused the case, its assessment, police detail, chronology and the child’s record', async () => {
    const childId = f.children.LEAD_AUDITOR.NONE
    const started = new Date()
    const res = await post('referrer', `/children/${childId}/request-for-support`, requestForm())
    expect(res.status).toBe(302)
    expect(res.headers.location).toMatch(/^\/requests\/[0-9a-f-]{36}$/)
    const caseId = caseIdFrom(res.headers.location as string)

    const own = await agents.referrer.get(`/requests/${caseId}`)
    expect(own.status).toBe(200)
    expect(own.text).toContain('<title>Your request for support – HSB Pathway</title>')
    expect(own.text).toContain('Fixture LEAD_AUDITOR-NONE')
    expect(own.text).toContain('Year 8 pupil seen showing sexual images')
    expect(own.text).toContain('Received: waiting to be screened')
    expect(own.text).toContain('data-qa="no-updates"')
    const list = await agents.referrer.get('/requests')
    expect(list.status).toBe(200)
    expect(list.text).toContain(`href="/requests/${caseId}"`)

    const pages = [
      `/cases/${caseId}`,
      `/cases/${caseId}/assessment`,
      `/cases/${caseId}/assessment/report`,
      `/cases/${caseId}/criminal-process`,
      `/cases/${caseId}/chronology`,
      `/cases/${caseId}/chronology.pdf`,
      `/cases/${caseId}/strategy-meeting`,
      `/cases/${caseId}/referrer-updates`,
      `/children/${childId}`,
    ]
    for (const page of pages) {
      const refused = await agents.referrer.get(page)
      expect(refused.status, page).toBe(403)
      expect(refused.text, page).not.toContain('LEAD_AUDITOR-NONE')
    }
    // Each refusal is audited (the strategy meeting's against the meeting, the record's against the child).
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select('action')
        .where('userId', '=', people.referrer.id)
        .where('outcome', '=', 'DENIED')
        .where('occurredAt', '>=', started)
        .execute(),
    )
    expect(denied).toHaveLength(pages.length)
    expect(await audited(people.referrer.id, caseId)).toEqual(expect.arrayContaining([{ action: 'request:view-own', outcome: 'ALLOWED' }]))
  })

  it('nobody else opens a request’s page, not even someone who reads the case (403, audited)', async () => {
    const caseId = await refer(f.children.LEAD_AUDITOR.OTHER_AGENCY)
    // The front-door social worker reads the case, but did not raise the request.
    expect((await agents.frontDoor.get(`/cases/${caseId}`)).status).toBe(200)
    const refused = await agents.frontDoor.get(`/requests/${caseId}`)
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('You can only follow requests for support that you raised.')
    expect(await audited(people.frontDoor.id, caseId)).toEqual(expect.arrayContaining([{ action: 'request:view-own', outcome: 'DENIED' }]))
    expect((await agents.frontDoor.get('/requests')).text).not.toContain(`/requests/${caseId}`)
  })

  it('the front door shares an update; the referrer is notified and reads it; the same form twice shares once; the outcome is told in plain words', async () => {
    const childId = f.children.LEAD_AUDITOR.SAME_AGENCY
    const caseId = await refer(childId)
    const page = await agents.frontDoor.get(`/cases/${caseId}/referrer-updates`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('The request for support was raised by Priya School, Fixture School.')
    const key = hidden(page.text, 'key')
    expect(key).toMatch(/^[0-9a-f-]{36}$/)

    const empty = await post('frontDoor', `/cases/${caseId}/referrer-updates`, { key, title: 'Safety plan <b>', body: ' ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('<title>Error: Updates for the referrer')
    expect(empty.text).toContain('href="#body"')
    expect(empty.text).toContain('Enter what you want to tell the referrer')
    expect(empty.text).toContain('value="Safety plan &lt;b&gt;"')
    expect(hidden(empty.text, 'key')).toBe(key)

    const update = {
      key,
      title: 'Safety plan at school',
      body: 'Keep the two pupils in separate classes.\n\nA member of staff at break times.',
    }
    const [a, b] = [
      await post('frontDoor', `/cases/${caseId}/referrer-updates`, update),
      await post('frontDoor', `/cases/${caseId}/referrer-updates`, update),
    ]
    expect([a.status, b.status]).toEqual([302, 302])
    const stored = await asSystem((trx) =>
      trx.selectFrom('requestUpdate').select(['title', 'sharedBy']).where('caseId', '=', caseId).execute(),
    )
    expect(stored).toEqual([{ title: 'Safety plan at school', sharedBy: people.frontDoor.id }])
    expect(await audited(people.frontDoor.id, caseId)).toEqual(
      expect.arrayContaining([{ action: 'request:share-update', outcome: 'ALLOWED' }]),
    )

    const notices = await agents.referrer.get('/notifications')
    expect(notices.text).toContain(`href="/requests/${caseId}"`)
    expect(notices.text).toContain('An update on a request for support you raised')
    expect(notices.text).toContain('Fixture LEAD_AUDITOR-SAME_AGENCY')
    const own = await agents.referrer.get(`/requests/${caseId}`)
    expect(own.text).toContain('Safety plan at school')
    expect(own.text).toContain('Keep the two pupils in separate classes.')
    expect(own.text).toContain('Shared by Jo Frontdoor, Fixture Children’s Services')

    // Screened green and closed with no further action: said in plain words, not as a rating.
    await screen('frontDoor', caseId, behaviour(1, { rating: 'GREEN' }))
    expect((await agents.referrer.get(`/requests/${caseId}`)).text).toContain('Screened: a manager is checking the decision')
    expect((await oversee(caseId, 'CONFIRM')).status).toBe(302)
    const decision = await agents.frontDoor.get(`/cases/${caseId}/decision`)
    const closed = await post('frontDoor', `/cases/${caseId}/decision`, {
      decision: 'NO_FURTHER_ACTION',
      reason: 'Support already in place at school.',
      version: hidden(decision.text, 'version'),
    })
    expect(closed.status, closed.text.slice(0, 300)).toBe(302)
    // A green screening confirmed is not yet a decision; closing it is, and the referrer is told once.
    expect(await decisionNotices(caseId)).toEqual([{ userId: people.referrer.id, kind: 'REQUEST_DECIDED' }])
    const told = await agents.referrer.get('/notifications')
    expect(told.text).toMatch(new RegExp(`href="/requests/${caseId}"[^>]*>A decision on a request for support you raised`))
    const after = await agents.referrer.get(`/requests/${caseId}`)
    expect(after.text).toContain('Closed: no further action')
    expect(after.text).not.toMatch(/\bGreen\b|Support already in place/)
    // Closed requests stay in the referrer's list.
    expect((await agents.referrer.get('/requests')).text).toContain(`href="/requests/${caseId}"`)
  })

  it('someone who reads the case but does not work it sees what was shared and may not share (403)', async () => {
    const caseId = await refer(f.children.LEAD_AUDITOR.SAME_TEAM)
    const head = await signIn(t, f.users.HEAD_OF_SERVICE)
    const token = await csrfFor(head)
    const page = await head.get(`/cases/${caseId}/referrer-updates`)
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('data-qa="share-form"')
    const refused = await head
      .post(`/cases/${caseId}/referrer-updates`)
      .type('form')
      .send({ _csrf: token, key: randomUUID(), title: 'x', body: 'y' })
    expect(refused.status).toBe(403)
    expect(await asSystem((trx) => trx.selectFrom('requestUpdate').select('id').where('caseId', '=', caseId).execute())).toEqual([])
  })

  it('a restricted record, or an involvement ended, closes the request’s page and takes it off the list', async () => {
    const childId = f.children.LEAD_AUDITOR.INVOLVED
    const caseId = await refer(childId)
    expect((await agents.referrer.get(`/requests/${caseId}`)).status).toBe(200)
    await asSystem((trx) => trx.updateTable('child').set({ isRestricted: true }).where('id', '=', childId).execute())
    expect((await agents.referrer.get(`/requests/${caseId}`)).status).toBe(403)
    expect((await agents.referrer.get('/requests')).text).not.toContain(`/requests/${caseId}`)
    await asSystem((trx) => trx.updateTable('child').set({ isRestricted: false }).where('id', '=', childId).execute())
    await asSystem((trx) =>
      trx
        .updateTable('childInvolvement')
        .set({ endedAt: new Date() })
        .where('childId', '=', childId)
        .where('userId', '=', people.referrer.id)
        .execute(),
    )
    expect((await agents.referrer.get(`/requests/${caseId}`)).status).toBe(403)
    expect((await agents.referrer.get('/requests')).text).not.toContain(`/requests/${caseId}`)
  })
})
