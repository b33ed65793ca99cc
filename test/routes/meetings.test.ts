import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { casesRepository } from '../../src/features/cases/cases.repository.js'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'
import { londonParts } from '../../src/platform/forms/dates.js'
import { formatDateTime } from '../../src/platform/http/format.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
/** The chair (team manager), a second editor (HSB lead), an invited police officer, and one who is not invited. */
let chair: TestAgent
let lead: TestAgent
let police: TestAgent
let otherPolice: TestAgent
let otherPoliceId: string
let yos: { id: string; agencyId: string }
const csrf = new Map<TestAgent, string>()
let childCount = 0

const HOUR = 3600_000
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

async function newPerson(displayName: string, agencyId: string, role: 'POLICE_OFFICER' | 'YOS_OFFICER') {
  const totpSecret = newTotpSecret()
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}@fixture.example`
  const result = await t.services.admin.service.createUser(
    { system: true, partnershipId: f.partnershipId },
    { displayName, email, agencyId, roles: [role], teamIds: [], password: TEST_PASSWORD, totpSecret },
    null,
  )
  if (!result.ok) throw new Error(result.errors.map((e) => e.text).join('; '))
  return { id: result.value, email, totpSecret }
}

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  const yosAgency = await t.services.admin.service.createAgency(
    { system: true, partnershipId: f.partnershipId },
    { name: 'Fixture Youth Offending Service', kind: 'YOUTH_OFFENDING' },
  )
  yos = { id: (await newPerson('Yusuf Okafor', yosAgency, 'YOS_OFFICER')).id, agencyId: yosAgency }
  const second = await newPerson('Petra Constable', f.agencyIds.police, 'POLICE_OFFICER')
  otherPoliceId = second.id
  chair = await signIn(t, f.users.TEAM_MANAGER)
  lead = await signIn(t, f.users.HSB_LEAD)
  police = await signIn(t, f.users.POLICE_OFFICER)
  otherPolice = await signIn(t, second)
  for (const agent of [chair, lead, police, otherPolice]) csrf.set(agent, await csrfFor(agent))
}, 120_000)
afterAll(async () => t.close())

/** A case at "strategy meeting due", driven through the workflow (the referral pages are built elsewhere). */
async function caseAtStrategyDue(referralReceivedAt = new Date(Date.now() - 2 * HOUR), route: 'NEW' | 'OPEN_CASE' = 'NEW') {
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  const caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Meeting',
      familyName: `Child${++childCount}`,
      dateOfBirth: '2011-05-05',
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    return kernel.openIn(trx, manager, { childId, route, referralReceivedAt }, 'test')
  })
  if (route === 'OPEN_CASE') {
    await kernel.run(manager, caseId, 's0', (act) =>
      act.apply('ALLOCATE', { allocatedTeamId: f.users.TEAM_MANAGER.teamId, allocatedUserId: f.users.SOCIAL_WORKER.id }),
    )
  }
  await kernel.run(manager, caseId, 's1', (act) => act.apply('RECORD_SCREENING', {}))
  await kernel.run(manager, caseId, 's2', (act) => act.apply('CONFIRM_SCREENING', { rating: 'AMBER' }))
  return caseId
}

/** A UK wall-clock date and time for the forms. */
const london = (at: Date) => londonParts(at)

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? ''
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })

async function arrange(caseId: string, overrides: Record<string, unknown> = {}) {
  const form = await chair.get(`/cases/${caseId}/strategy-meeting/new`)
  expect(form.status).toBe(200)
  const when = london(new Date(Date.now() - HOUR))
  const body = {
    'form-key': hidden(form.text, 'form-key'),
    kind: 'STRATEGY_MEETING',
    'date-day': when.day,
    'date-month': when.month,
    'date-year': when.year,
    time: when.time,
    chair: f.users.TEAM_MANAGER.id,
    agencies: [f.agencyIds.police, yos.agencyId],
    people: [f.users.POLICE_OFFICER.id, yos.id],
    ...overrides,
  }
  return { res: await post(chair, `/cases/${caseId}/strategy-meeting/new`, body), body }
}

async function meetingOf(caseId: string) {
  return asSystem((trx) => trx.selectFrom('meeting').selectAll().where('caseId', '=', caseId).executeTakeFirstOrThrow())
}

async function invitationIds(meetingId: string) {
  const rows = await asSystem((trx) =>
    trx.selectFrom('meetingInvitation').select(['id', 'userId']).where('meetingId', '=', meetingId).execute(),
  )
  return { police: rows.find((r) => r.userId === f.users.POLICE_OFFICER.id)!.id, yos: rows.find((r) => r.userId === yos.id)!.id }
}

/** The minutes form as sent from the page, with the page's version and key, and these answers. */
async function minutesForm(agent: TestAgent, caseId: string, answers: Record<string, unknown>) {
  const page = await agent.get(`/cases/${caseId}/strategy-meeting`)
  expect(page.status).toBe(200)
  return { version: hidden(page.text, 'version'), 'form-key': hidden(page.text, 'form-key'), ...answers }
}

async function heldMinutes(caseId: string, outcomes: string[], heldAt = new Date(Date.now() - 30 * 60_000)) {
  const meeting = await meetingOf(caseId)
  const inv = await invitationIds(meeting.id)
  const held = london(heldAt)
  return {
    'held-day': held.day,
    'held-month': held.month,
    'held-year': held.year,
    'held-time': held.time,
    [`attendance-${inv.police}`]: 'PRESENT',
    [`attendance-${inv.yos}`]: 'PRESENT',
    'information-shared': 'Police shared the account from school; YOS shared the current order.',
    risks: 'Contact with younger children at the after-school club.',
    worries: 'Behaviour online with a younger cousin.',
    'working-well': 'Grandmother is protective and engaged.',
    'score-name-0': 'Dana Social',
    'score-agency-0': 'Children’s services',
    'score-value-0': '4',
    'score-name-1': 'Yusuf Okafor',
    'score-agency-1': 'YOS',
    'score-value-1': '5',
    decisions: 'Section 47 enquiry to start; AIM assessment to be considered.',
    outcomes,
    'action-text-0': 'Start the section 47 enquiry',
    'action-owner-0': f.users.TEAM_MANAGER.id,
    'action-due-0-day': london(new Date(Date.now() + 48 * HOUR)).day,
    'action-due-0-month': london(new Date(Date.now() + 48 * HOUR)).month,
    'action-due-0-year': london(new Date(Date.now() + 48 * HOUR)).year,
  }
}

describe('arranging a strategy meeting', () => {
  it('arranges it once, however often it is sent, invites by agency and person, and notifies those invited', async () => {
    const caseId = await caseAtStrategyDue()
    const form = await chair.get(`/cases/${caseId}/strategy-meeting/new`)
    expect(form.text).toContain('Fixture Youth Offending Service')
    expect(form.text).toMatch(new RegExp(`value="${f.users.TEAM_MANAGER.id}" selected`))
    const { res, body } = await arrange(caseId)
    expect([res.status, res.headers.location]).toEqual([302, `/cases/${caseId}/strategy-meeting`])
    const again = await post(chair, `/cases/${caseId}/strategy-meeting/new`, body)
    expect([again.status, again.headers.location]).toEqual([302, `/cases/${caseId}/strategy-meeting`])

    const meetings = await asSystem((trx) =>
      trx.selectFrom('meeting').select(['id', 'kind', 'chairId', 'status']).where('caseId', '=', caseId).execute(),
    )
    expect(meetings).toHaveLength(1)
    expect(meetings[0]).toMatchObject({ kind: 'STRATEGY_MEETING', chairId: f.users.TEAM_MANAGER.id, status: 'SCHEDULED' })
    const meetingId = meetings[0]!.id
    const notes = await asSystem((trx) =>
      trx.selectFrom('notification').select(['userId', 'kind', 'dedupeKey']).where('meetingId', '=', meetingId).orderBy('userId').execute(),
    )
    expect(notes.map((n) => n.userId).sort()).toEqual([f.users.POLICE_OFFICER.id, yos.id].sort())
    expect(notes.every((n) => n.kind === 'MEETING_INVITATION' && n.dedupeKey === `invitation:${meetingId}`)).toBe(true)
    const events = await asSystem((trx) =>
      trx.selectFrom('caseEvent').select('action').where('caseId', '=', caseId).where('action', '=', 'SCHEDULE_STRATEGY_MEETING').execute(),
    )
    expect(events).toHaveLength(1)

    const page = await chair.get(`/cases/${caseId}/strategy-meeting`)
    expect(page.text).toContain('Strategy meeting arranged')
    expect(page.text).toContain('Fixture Police')
    expect(page.text).toContain('Yusuf Okafor')
  })

  it('offers the allocated team’s manager as chair on the open-case route, and the person arranging otherwise', async () => {
    const open = await lead.get(`/cases/${await caseAtStrategyDue(undefined, 'OPEN_CASE')}/strategy-meeting/new`)
    expect(open.status).toBe(200)
    expect(open.text).toMatch(new RegExp(`value="${f.users.TEAM_MANAGER.id}" selected`))
    const fresh = await lead.get(`/cases/${await caseAtStrategyDue()}/strategy-meeting/new`)
    expect(fresh.text).toMatch(new RegExp(`value="${f.users.HSB_LEAD.id}" selected`))
    // Only practitioners can be invited: a board member is not offered.
    expect(fresh.text).not.toContain('Fixture BOARD_MEMBER')
  })

  it('is refused to a role that cannot arrange it (403), and when the case is not waiting for one (409)', async () => {
    const referred = f.caseOf[f.children.TEAM_MANAGER.SAME_TEAM]!
    const notNow = await chair.get(`/cases/${referred}/strategy-meeting/new`)
    expect(notNow.status).toBe(409)
    expect(notNow.text).toContain('so “Arrange the strategy meeting” cannot be done now')
    const caseId = await caseAtStrategyDue()
    await asSystem(async (trx) => {
      const { childId } = await trx.selectFrom('hsbCase').select('childId').where('id', '=', caseId).executeTakeFirstOrThrow()
      await casesRepository().addInvolvement(trx, {
        partnershipId: f.partnershipId,
        childId,
        agencyId: f.agencyIds.csc,
        userId: f.users.SOCIAL_WORKER.id,
      })
    })
    const worker = await signIn(t, f.users.SOCIAL_WORKER)
    expect((await worker.get(`/cases/${caseId}`)).status).toBe(200)
    expect((await worker.get(`/cases/${caseId}/strategy-meeting/new`)).status).toBe(403)
    // Whatever the case's status: the role is checked first.
    expect((await worker.get(`/cases/${f.caseOf[f.children.SOCIAL_WORKER.INVOLVED]!}/strategy-meeting/new`)).status).toBe(403)
    const refused = await worker
      .post(`/cases/${caseId}/strategy-meeting/new`)
      .type('form')
      .send({ _csrf: await csrfFor(worker), 'form-key': crypto.randomUUID() })
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('Only a team manager or the HSB lead can arrange a strategy meeting.')
    const denied = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select('outcome')
        .where('action', '=', 'meeting:arrange')
        .where('userId', '=', f.users.SOCIAL_WORKER.id)
        .execute(),
    )
    expect(denied).toEqual([{ outcome: 'DENIED' }, { outcome: 'DENIED' }, { outcome: 'DENIED' }])
  })

  it('refuses a meeting before the request for support was received, keeping what was typed', async () => {
    const caseId = await caseAtStrategyDue(new Date(Date.now() - HOUR))
    const early = london(new Date(Date.now() - 5 * HOUR))
    const { res } = await arrange(caseId, { 'date-day': early.day, 'date-month': early.month, 'date-year': early.year, time: early.time })
    expect(res.status).toBe(400)
    expect(res.text).toContain('href="#date-day"')
    expect(res.text).toContain('The meeting cannot be before the request for support was received')
    expect(res.text).toContain(`value="${early.time}"`)
    expect(res.text).toMatch(new RegExp(`value="${yos.id}" checked`))
    const none = await post(chair, `/cases/${caseId}/strategy-meeting/new`, { 'form-key': crypto.randomUUID(), time: '25:00' })
    expect(none.status).toBe(400)
    for (const text of [
      'Select whether this is a strategy meeting or a strategy discussion',
      'Enter a time like 9:30am or 14:30',
      'Select at least one agency to invite',
    ])
      expect(none.text).toContain(text)
  })
})

describe('the minutes', () => {
  it('are recorded with police and YOS attending, then finalised inside 24 hours: the case is held and its clock met', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const draft = await post(chair, `/cases/${caseId}/strategy-meeting`, await minutesForm(chair, caseId, await heldMinutes(caseId, [])))
    expect(draft.status).toBe(302)
    const meeting = await meetingOf(caseId)
    expect(meeting.version).toBe(2)
    const attendance = await asSystem((trx) =>
      trx.selectFrom('meetingInvitation').select('attendance').where('meetingId', '=', meeting.id).execute(),
    )
    expect(attendance.map((a) => a.attendance)).toEqual(['PRESENT', 'PRESENT'])
    const page = await chair.get(`/cases/${caseId}/strategy-meeting`)
    expect(page.text).toContain('Grandmother is protective and engaged.')

    const finalise = await post(
      chair,
      `/cases/${caseId}/strategy-meeting/finalise`,
      await minutesForm(chair, caseId, await heldMinutes(caseId, ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'])),
    )
    expect(finalise.status).toBe(302)
    const kase = await asSystem((trx) => trx.selectFrom('hsbCase').select('status').where('id', '=', caseId).executeTakeFirstOrThrow())
    expect(kase.status).toBe('STRATEGY_MEETING_HELD')
    const clocks = await asSystem((trx) =>
      trx.selectFrom('caseClock').select(['kind', 'dueAt', 'metAt']).where('caseId', '=', caseId).execute(),
    )
    const strategy = clocks.find((c) => c.kind === 'STRATEGY_MEETING')!
    expect(strategy.metAt!.getTime()).toBeLessThanOrEqual(strategy.dueAt.getTime())
    expect(clocks.some((c) => c.kind === 'INITIAL_CONFERENCE')).toBe(false)
    const casePage = await chair.get(`/cases/${caseId}`)
    expect(casePage.text).toMatch(
      /Strategy meeting \(24 hours\)<\/td>\s*<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--green">\s*Met/,
    )

    const done = await chair.get(`/cases/${caseId}/strategy-meeting`)
    expect(done.text).toContain('Section 47 enquiry (child protection)')
    expect(done.text).toContain('Consider an AIM assessment')
    expect(done.text).toContain('Start the section 47 enquiry')
    expect(done.text).not.toContain('data-qa="minutes-form"')
    const audit = await asSystem((trx) =>
      trx.selectFrom('auditLog').select('action').where('recordId', '=', meeting.id).where('outcome', '=', 'ALLOWED').execute(),
    )
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['meeting:arrange', 'meeting:save-minutes', 'meeting:finalise', 'meeting:read']),
    )
  })

  it('finalised after 24 hours shows the clock met late, needing a reason', async () => {
    const caseId = await caseAtStrategyDue(new Date(Date.now() - 72 * HOUR))
    await asSystem((trx) =>
      trx
        .updateTable('caseClock')
        .set({ startedAt: new Date(Date.now() - 60 * HOUR), dueAt: new Date(Date.now() - 36 * HOUR) })
        .where('caseId', '=', caseId)
        .where('kind', '=', 'STRATEGY_MEETING')
        .execute(),
    )
    await arrange(caseId)
    const res = await post(
      chair,
      `/cases/${caseId}/strategy-meeting/finalise`,
      await minutesForm(chair, caseId, await heldMinutes(caseId, ['CHILD_IN_NEED'])),
    )
    expect(res.status).toBe(302)
    const casePage = await chair.get(`/cases/${caseId}`)
    expect(casePage.text).toContain('Met late')
    expect(casePage.text).toContain(`/cases/${caseId}/clocks/STRATEGY_MEETING/reason`)
  })

  it('starts the ICPC clock from the meeting when the outcome is an initial child protection conference', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const heldAt = new Date(Date.now() - 20 * 60_000)
    const form = await minutesForm(chair, caseId, await heldMinutes(caseId, ['INITIAL_CHILD_PROTECTION_CONFERENCE'], heldAt))
    // "Save draft" then "Finalise" from the same page: the save is the chair's own, not a conflict.
    expect((await post(chair, `/cases/${caseId}/strategy-meeting`, form)).status).toBe(302)
    const res = await post(chair, `/cases/${caseId}/strategy-meeting/finalise`, form)
    expect(res.status).toBe(302)
    expect((await meetingOf(caseId)).status).toBe('FINALISED')
    const icpc = await asSystem((trx) =>
      trx
        .selectFrom('caseClock')
        .select(['startedAt', 'dueAt', 'metAt'])
        .where('caseId', '=', caseId)
        .where('kind', '=', 'INITIAL_CONFERENCE')
        .executeTakeFirstOrThrow(),
    )
    expect(Math.abs(icpc.startedAt.getTime() - heldAt.getTime())).toBeLessThan(60_000)
    expect(icpc.dueAt.getTime() - icpc.startedAt.getTime()).toBeGreaterThan(15 * 24 * HOUR)
    expect(icpc.metAt).toBeNull()
    expect((await chair.get(`/cases/${caseId}`)).text).toContain('Initial child protection conference (15 working days)')
  })

  it('refuses a second editor’s save on an old version (409), keeping what they typed; a double-clicked save saves once', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const chairsForm = await minutesForm(chair, caseId, { risks: 'Typed by the chair <while> the lead saved.' })
    const leadsForm = await minutesForm(lead, caseId, { risks: 'Typed by the HSB lead.' })
    expect((await post(lead, `/cases/${caseId}/strategy-meeting`, leadsForm)).status).toBe(302)
    expect((await post(lead, `/cases/${caseId}/strategy-meeting`, leadsForm)).status).toBe(302)
    expect((await meetingOf(caseId)).version).toBe(2)

    const stale = await post(chair, `/cases/${caseId}/strategy-meeting`, chairsForm)
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Someone else saved these minutes after you opened them')
    expect(stale.text).toContain('Typed by the chair &lt;while&gt; the lead saved.')
    expect(stale.text).toContain('What is saved now')
    expect(stale.text).toContain('Typed by the HSB lead.')
    expect(hidden(stale.text, 'version')).toBe('2')
    const minutes = (await meetingOf(caseId)).minutes as Record<string, unknown>
    expect(minutes.risks).toBe('Typed by the HSB lead.')
  })

  it('refuses bad input with field errors and the input kept (400)', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const future = london(new Date(Date.now() + 3 * HOUR))
    const res = await post(
      chair,
      `/cases/${caseId}/strategy-meeting`,
      await minutesForm(chair, caseId, {
        'held-day': future.day,
        'held-month': future.month,
        'held-year': future.year,
        'held-time': future.time,
        'score-name-0': 'Dana Social',
        'score-value-0': '11',
        'information-shared': 'Kept after the error.',
      }),
    )
    expect(res.status).toBe(400)
    expect(res.text).toContain('<title>Error:')
    expect(res.text).toContain('href="#held-day"')
    expect(res.text).toContain('The date and time the meeting was held must be in the past')
    expect(res.text).toContain('href="#score-value-0"')
    expect(res.text).toContain('Score 1 must be a whole number from 0 to 10')
    expect(res.text).toContain('value="11"')
    expect(res.text).toContain('Kept after the error.')
    expect((await meetingOf(caseId)).version).toBe(1)

    const noOutcome = await post(
      chair,
      `/cases/${caseId}/strategy-meeting/finalise`,
      await minutesForm(chair, caseId, await heldMinutes(caseId, [])),
    )
    expect(noOutcome.status).toBe(400)
    expect(noOutcome.text).toContain('Select at least one outcome to finalise the minutes')
  })

  it('offers another score row without JavaScript, saving nothing', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const res = await post(
      chair,
      `/cases/${caseId}/strategy-meeting`,
      await minutesForm(chair, caseId, { add: 'score', 'score-name-3': 'Fourth person', decisions: 'Half typed' }),
    )
    expect(res.status).toBe(200)
    expect(res.text).toContain('id="score-name-4"')
    expect(res.text).toContain('value="Fourth person"')
    expect(res.text).toContain('Half typed')
    expect((await meetingOf(caseId)).version).toBe(1)
  })

  it('are locked once finalised: edits are refused (409) and addenda are appended in order, once each', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const form = await minutesForm(chair, caseId, await heldMinutes(caseId, ['EARLY_HELP']))
    expect((await post(chair, `/cases/${caseId}/strategy-meeting/finalise`, form)).status).toBe(302)
    // The same finalise sent twice (a double click) is not an error.
    expect((await post(chair, `/cases/${caseId}/strategy-meeting/finalise`, form)).status).toBe(302)
    const edit = await post(
      chair,
      `/cases/${caseId}/strategy-meeting`,
      await minutesForm(chair, caseId, { ...(await heldMinutes(caseId, ['EARLY_HELP'])), version: '3', 'form-key': crypto.randomUUID() }),
    )
    expect(edit.status).toBe(409)
    expect(edit.text).toContain('These minutes are finalised and locked')

    const page = await chair.get(`/cases/${caseId}/strategy-meeting`)
    const first = { 'form-key': hidden(page.text, 'form-key'), addendum: 'First: the YOS worker’s name was misspelt.' }
    expect((await post(chair, `/cases/${caseId}/strategy-meeting/addenda`, first)).status).toBe(302)
    expect((await post(chair, `/cases/${caseId}/strategy-meeting/addenda`, first)).status).toBe(302)
    const second = await post(lead, `/cases/${caseId}/strategy-meeting/addenda`, {
      'form-key': crypto.randomUUID(),
      addendum: 'Second: police confirmed the date of the interview.',
    })
    expect(second.status).toBe(302)
    const empty = await post(lead, `/cases/${caseId}/strategy-meeting/addenda`, { 'form-key': crypto.randomUUID(), addendum: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter the addendum')
    const shown = (await chair.get(`/cases/${caseId}/strategy-meeting`)).text
    expect(shown.indexOf('First: the YOS worker’s name was misspelt.')).toBeGreaterThan(-1)
    expect(shown.indexOf('First: the YOS')).toBeLessThan(shown.indexOf('Second: police confirmed'))
    const meeting = await meetingOf(caseId)
    const addenda = await asSystem((trx) => trx.selectFrom('meetingAddendum').select('text').where('meetingId', '=', meeting.id).execute())
    expect(addenda).toHaveLength(2)
    const events = await asSystem((trx) =>
      trx
        .selectFrom('caseEvent')
        .select(['action', 'toStatus'])
        .where('caseId', '=', caseId)
        .where('action', '=', 'STRATEGY_MEETING_ADDENDUM')
        .execute(),
    )
    expect(events).toEqual([
      { action: 'STRATEGY_MEETING_ADDENDUM', toStatus: 'STRATEGY_MEETING_HELD' },
      { action: 'STRATEGY_MEETING_ADDENDUM', toStatus: 'STRATEGY_MEETING_HELD' },
    ])
  })

  it('can be finalised only by the chair', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const res = await post(
      lead,
      `/cases/${caseId}/strategy-meeting/finalise`,
      await minutesForm(lead, caseId, await heldMinutes(caseId, ['EARLY_HELP'])),
    )
    expect(res.status).toBe(403)
    expect(res.text).toContain('Only the chair of the meeting can finalise its minutes.')
  })
})

describe('who can read the meeting', () => {
  it('lets an invited police officer read the meeting but not the case; refuses one not invited; audits both', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId)
    const meeting = await meetingOf(caseId)
    const invited = await police.get(`/cases/${caseId}/strategy-meeting`)
    expect(invited.status).toBe(200)
    expect(invited.text).toContain('data-qa="invited-only"')
    expect(invited.text).not.toContain('data-qa="minutes-form"')
    expect((await police.get(`/cases/${caseId}`)).status).toBe(403)
    const outsider = await otherPolice.get(`/cases/${caseId}/strategy-meeting`)
    expect(outsider.status).toBe(403)
    expect(outsider.text).not.toContain(`Child${childCount}`)
    const rows = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['userId', 'outcome'])
        .where('recordType', '=', 'meeting')
        .where('action', '=', 'meeting:read')
        .where('recordId', '=', meeting.id)
        .where('userId', 'in', [f.users.POLICE_OFFICER.id, otherPoliceId])
        .execute(),
    )
    expect(rows).toEqual(
      expect.arrayContaining([
        { userId: f.users.POLICE_OFFICER.id, outcome: 'ALLOWED' },
        { userId: otherPoliceId, outcome: 'DENIED' },
      ]),
    )
    expect(rows).toHaveLength(2)
    const edit = await post(police, `/cases/${caseId}/strategy-meeting`, {
      version: '1',
      'form-key': crypto.randomUUID(),
      risks: 'Not mine to write',
    })
    expect(edit.status).toBe(403)
  })

  it('does not open the record to anyone from an agency invited as a whole, only its invitation', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId, { people: [], agencies: [f.agencyIds.police, f.agencyIds.other] })
    expect((await otherPolice.get(`/cases/${caseId}/strategy-meeting`)).status).toBe(403)
    expect((await otherPolice.get(`/cases/${caseId}/strategy-meeting/invitation`)).status).toBe(200)
    expect((await otherPolice.get(`/cases/${caseId}`)).status).toBe(403)
    const meeting = await meetingOf(caseId)
    const rows = await asSystem((trx) =>
      trx.selectFrom('meetingInvitation').select(['agencyId', 'userId']).where('meetingId', '=', meeting.id).execute(),
    )
    expect(rows.every((r) => r.userId === null)).toBe(true)
    // Nobody is notified of an agency-level invitation except the chair, who arranged it here.
    const notes = await asSystem((trx) => trx.selectFrom('notification').select('userId').where('meetingId', '=', meeting.id).execute())
    expect(notes).toEqual([])
  })

  it('sends a case with no strategy meeting yet to its arrange page (where a notice that it is due leads); 404 for a malformed id', async () => {
    const caseId = await caseAtStrategyDue()
    const none = await chair.get(`/cases/${caseId}/strategy-meeting`)
    expect([none.status, none.headers.location]).toEqual([302, `/cases/${caseId}/strategy-meeting/new`])
    expect((await otherPolice.get(`/cases/${caseId}/strategy-meeting`)).status).toBe(403)
    expect((await chair.get('/cases/not-a-uuid/strategy-meeting')).status).toBe(404)
  })
})

describe('an invitation to an agency as a whole', () => {
  /** Text put in the minutes, which only those the record opens to may see. */
  const SECRET = {
    risks: 'Risk marker: unsupervised contact at the swimming club.',
    worries: 'Signs of Safety marker: messages to a younger cousin.',
    score: 'Score marker Dana',
    decisions: 'Minutes marker: the decision to start enquiries.',
    outcome: 'Child in need (section 17)',
  }
  let yosOutsider: TestAgent

  beforeAll(async () => {
    yosOutsider = await signIn(t, await newPerson('Yara Outsider', yos.agencyId, 'YOS_OFFICER'))
    csrf.set(yosOutsider, await csrfFor(yosOutsider))
  }, 60_000)

  /** A strategy meeting two hours from now, the police invited as a whole (and named people, if any), with draft minutes holding SECRET. */
  async function agencyMeeting(people: string[] = []) {
    const caseId = await caseAtStrategyDue()
    const when = london(new Date(Date.now() + 2 * HOUR))
    const { res } = await arrange(caseId, {
      agencies: [f.agencyIds.police],
      people,
      'date-day': when.day,
      'date-month': when.month,
      'date-year': when.year,
      time: when.time,
    })
    expect(res.status).toBe(302)
    const draft = await post(
      chair,
      `/cases/${caseId}/strategy-meeting`,
      await minutesForm(chair, caseId, {
        risks: SECRET.risks,
        worries: SECRET.worries,
        'score-name-0': SECRET.score,
        'score-agency-0': 'Police',
        'score-value-0': '3',
        decisions: SECRET.decisions,
        outcomes: ['CHILD_IN_NEED'],
      }),
    )
    expect(draft.status).toBe(302)
    const meeting = await meetingOf(caseId)
    const { familyName } = await asSystem((trx) =>
      trx
        .selectFrom('hsbCase as k')
        .innerJoin('child as c', 'c.id', 'k.childId')
        .select('c.familyName')
        .where('k.id', '=', caseId)
        .executeTakeFirstOrThrow(),
    )
    return { caseId, meeting, familyName }
  }

  const expectNoRecord = (html: string, familyName: string) => {
    for (const text of [...Object.values(SECRET), familyName]) expect(html).not.toContain(text)
  }
  const expectRecord = (html: string) => {
    for (const text of Object.values(SECRET)) expect(html).toContain(text)
  }

  const auditOf = (meetingId: string, userId: string) =>
    asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('recordType', '=', 'meeting')
        .where('recordId', '=', meetingId)
        .where('userId', '=', userId)
        .orderBy('id')
        .execute(),
    )

  it('shows a member of the agency that the meeting exists, not its record; accepting names them and opens it', async () => {
    const { caseId, meeting, familyName } = await agencyMeeting()

    // The invitation: the kind, the time, the chair and the agencies, nothing of the child or the record.
    const invitation = await otherPolice.get(`/cases/${caseId}/strategy-meeting/invitation`)
    expect(invitation.status).toBe(200)
    expect(invitation.text).toContain('Invitation to a strategy meeting')
    expect(invitation.text).toContain(formatDateTime(meeting.scheduledFor))
    expect(invitation.text).toContain('Fixture Police')
    expect(invitation.text).toContain('data-qa="accept-invitation"')
    expectNoRecord(invitation.text, familyName)

    // The record itself is refused, and so is the case.
    const refused = await otherPolice.get(`/cases/${caseId}/strategy-meeting`)
    expect(refused.status).toBe(403)
    expectNoRecord(refused.text, familyName)
    expect((await otherPolice.get(`/cases/${caseId}`)).status).toBe(403)
    expect(await auditOf(meeting.id, otherPoliceId)).toEqual([
      { action: 'meeting:view-invitation', outcome: 'ALLOWED' },
      { action: 'meeting:read', outcome: 'DENIED' },
    ])

    // Accepting: they commit to attend and are invited by name (once, however often it is sent).
    const accepted = await post(otherPolice, `/cases/${caseId}/strategy-meeting/invitation`, {})
    expect([accepted.status, accepted.headers.location]).toEqual([302, `/cases/${caseId}/strategy-meeting`])
    expect((await post(otherPolice, `/cases/${caseId}/strategy-meeting/invitation`, {})).status).toBe(302)
    const named = await asSystem((trx) =>
      trx
        .selectFrom('meetingInvitation')
        .select(['agencyId', 'attendance'])
        .where('meetingId', '=', meeting.id)
        .where('userId', '=', otherPoliceId)
        .execute(),
    )
    expect(named).toEqual([{ agencyId: f.agencyIds.police, attendance: 'INVITED' }])

    const record = await otherPolice.get(`/cases/${caseId}/strategy-meeting`)
    expect(record.status).toBe(200)
    expectRecord(record.text)
    expect(record.text).toContain('Petra Constable')
    expect(record.text).toContain('data-qa="invited-only"')
    expect(record.text).not.toContain('data-qa="minutes-form"')
    // The meeting opens, not the child's case.
    expect((await otherPolice.get(`/cases/${caseId}`)).status).toBe(403)
    expect((await auditOf(meeting.id, otherPoliceId)).slice(2)).toEqual([
      { action: 'meeting:accept-invitation', outcome: 'ALLOWED' },
      { action: 'meeting:accept-invitation', outcome: 'ALLOWED' },
      { action: 'meeting:read', outcome: 'ALLOWED' },
    ])
    // The chair records whether they came.
    expect((await chair.get(`/cases/${caseId}/strategy-meeting`)).text).toContain('Petra Constable, Fixture Police')
  })

  it('still opens the record to someone invited by name, whose invitation links to it', async () => {
    const { caseId, familyName } = await agencyMeeting([f.users.POLICE_OFFICER.id])
    const record = await police.get(`/cases/${caseId}/strategy-meeting`)
    expect(record.status).toBe(200)
    expectRecord(record.text)
    const invitation = await police.get(`/cases/${caseId}/strategy-meeting/invitation`)
    expect(invitation.status).toBe(200)
    expect(invitation.text).toContain('data-qa="open-record"')
    expect(invitation.text).not.toContain('data-qa="accept-invitation"')
    expectNoRecord(invitation.text, familyName)
  })

  it('is not shown to anyone from another agency, who cannot accept it', async () => {
    const { caseId, meeting, familyName } = await agencyMeeting()
    const shown = await yosOutsider.get(`/cases/${caseId}/strategy-meeting/invitation`)
    expect(shown.status).toBe(403)
    expectNoRecord(shown.text, familyName)
    expect((await yosOutsider.get(`/cases/${caseId}/strategy-meeting`)).status).toBe(403)
    expect((await post(yosOutsider, `/cases/${caseId}/strategy-meeting/invitation`, {})).status).toBe(403)
    const rows = await asSystem((trx) =>
      trx.selectFrom('meetingInvitation').select('userId').where('meetingId', '=', meeting.id).where('userId', 'is not', null).execute(),
    )
    expect(rows).toEqual([])
    const audit = await asSystem((trx) =>
      trx
        .selectFrom('auditLog')
        .select(['action', 'outcome'])
        .where('recordType', '=', 'meeting')
        .where('recordId', '=', meeting.id)
        .where('outcome', '=', 'DENIED')
        .orderBy('id')
        .execute(),
    )
    expect(audit).toEqual([
      { action: 'meeting:view-invitation', outcome: 'DENIED' },
      { action: 'meeting:read', outcome: 'DENIED' },
      { action: 'meeting:accept-invitation', outcome: 'DENIED' },
    ])
  })

  it('can no longer be accepted once the time arranged has passed, so a past meeting’s record stays shut', async () => {
    const caseId = await caseAtStrategyDue()
    await arrange(caseId, { people: [], agencies: [f.agencyIds.police] })
    const meeting = await meetingOf(caseId)
    const invitation = await otherPolice.get(`/cases/${caseId}/strategy-meeting/invitation`)
    expect(invitation.status).toBe(200)
    expect(invitation.text).toContain('data-qa="invitation-closed"')
    expect(invitation.text).not.toContain('data-qa="accept-invitation"')
    const late = await post(otherPolice, `/cases/${caseId}/strategy-meeting/invitation`, {})
    expect(late.status).toBe(409)
    expect(late.text).toContain('its invitation can no longer be accepted')
    expect((await otherPolice.get(`/cases/${caseId}/strategy-meeting`)).status).toBe(403)
    const named = await asSystem((trx) =>
      trx
        .selectFrom('meetingInvitation')
        .select('userId')
        .where('meetingId', '=', meeting.id)
        .where('userId', '=', otherPoliceId)
        .execute(),
    )
    expect(named).toEqual([])
    expect((await auditOf(meeting.id, otherPoliceId)).map((a) => `${a.action} ${a.outcome}`)).toContain('meeting:accept-invitation DENIED')
  })
})
