import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { addCalendarDays, endOfLondonDay, londonDate } from '../../src/platform/clocks/london-time.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { formatDate } from '../../src/platform/http/format.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, TEST_PASSWORD, type Fixtures } from '../support/fixtures.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
let yosAgency: string
let lead: TestAgent
let police: TestAgent
let aimA: TestAgent
let aimB: TestAgent
const people = {} as Record<'a' | 'b' | 'c' | 'expired' | 'untrained', { id: string; email: string; totpSecret: string }>
const csrf = new Map<TestAgent, string>()
let childCount = 0

const today = londonDate(new Date())
const expiredOn = addCalendarDays(today, -30)
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)
const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? ''
const dateOf = (iso: string, prefix: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y }
}

async function person(
  key: keyof typeof people,
  displayName: string,
  training: { model: string; completedOn: string; expiresOn: string | null }[],
  agencyId = f.agencyIds.csc,
  role: 'AIM_PRACTITIONER' | 'YOS_OFFICER' = 'AIM_PRACTITIONER',
) {
  const totpSecret = newTotpSecret()
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}@fixture.example`
  const system = { system: true as const, partnershipId: f.partnershipId }
  const result = await t.services.admin.service.createUser(
    system,
    { displayName, email, agencyId, roles: [role], teamIds: [], password: TEST_PASSWORD, totpSecret },
    null,
  )
  if (!result.ok) throw new Error(result.errors.map((e) => e.text).join('; '))
  for (const tr of training) await t.services.admin.service.recordTraining(system, result.value, tr, null)
  people[key] = { id: result.value, email, totpSecret }
}

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  yosAgency = await t.services.admin.service.createAgency(
    { system: true, partnershipId: f.partnershipId },
    { name: 'Fixture Youth Offending Service', kind: 'YOUTH_OFFENDING' },
  )
  const current = [{ model: 'AIM3', completedOn: addCalendarDays(today, -400), expiresOn: addCalendarDays(today, 700) }]
  await person('a', 'Ana Assessor', current)
  await person('b', 'Ben Assessor', current, yosAgency, 'YOS_OFFICER')
  await person('c', 'Cat Assessor', current)
  await person('expired', 'Dana Smith', [{ model: 'AIM3', completedOn: addCalendarDays(today, -1200), expiresOn: expiredOn }])
  await person('untrained', 'Una Untrained', [{ model: 'AIM_UNDER_12S', completedOn: addCalendarDays(today, -100), expiresOn: null }])
  lead = await signIn(t, f.users.HSB_LEAD)
  police = await signIn(t, f.users.POLICE_OFFICER)
  aimA = await signIn(t, people.a)
  aimB = await signIn(t, people.b)
  for (const agent of [lead, police, aimA, aimB]) csrf.set(agent, await csrfFor(agent))
}, 120_000)
afterAll(async () => t.close())

/** A case whose strategy meeting is held, driven through the workflow (the meeting pages are tested elsewhere). */
/** A case whose strategy meeting was held; with `daysAgo`, its steps happened that many days ago (entered now). */
async function caseAtMeetingHeld(dateOfBirth = '2010-05-05', daysAgo = 0) {
  const back = daysAgo * 86_400_000
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  const caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Assessed',
      familyName: `Child${++childCount}`,
      dateOfBirth,
    })
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      teamId: f.users.TEAM_MANAGER.teamId,
      kind: 'ALLOCATED',
    })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(Date.now() - back - 3_600_000) }, 'test')
  })
  for (const [action, ctx] of [
    ['RECORD_SCREENING', {}],
    ['CONFIRM_SCREENING', { rating: 'AMBER' }],
    ['FINALISE_STRATEGY_MEETING', {}],
  ] as const) {
    await kernel.run(manager, caseId, 'setup', (act) => act.apply(action, { ...ctx, occurredAt: new Date(Date.now() - back) }))
  }
  return caseId
}

const caseRow = (caseId: string) =>
  asSystem((trx) => trx.selectFrom('hsbCase').select(['status', 'childId']).where('id', '=', caseId).executeTakeFirstOrThrow())
const clocks = (caseId: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('caseClock')
      .select(['kind', 'dueAt', 'metAt'])
      .where('caseId', '=', caseId)
      .where('kind', 'in', ['AIM_TARGET', 'AIM_INTERVIEWS'])
      .orderBy('kind')
      .execute(),
  )
const events = (caseId: string) =>
  asSystem((trx) =>
    trx.selectFrom('caseEvent').select(['action', 'detail', 'toStatus']).where('caseId', '=', caseId).orderBy('id').execute(),
  )
const notificationsOf = (caseId: string, kind: string) =>
  asSystem((trx) =>
    trx
      .selectFrom('notification')
      .select(['userId'])
      .where('caseId', '=', caseId)
      .where('kind', '=', kind as never)
      .execute(),
  )

async function decideWelfare(caseId: string) {
  const res = await post(lead, `/cases/${caseId}/assessment/decision`, {
    decision: 'ASSESS',
    reasons: 'Pattern of behaviour towards a younger child.',
    route: 'WELFARE',
    'lead-agency': f.agencyIds.csc,
    'administering-agency': f.agencyIds.csc,
  })
  expect(res.status).toBe(302)
}
const nameTwo = (caseId: string, ids = [people.a.id, people.b.id]) =>
  post(lead, `/cases/${caseId}/assessment/co-assessors`, { model: 'AIM3', 'co-assessors': ids })

async function interview(agent: TestAgent, caseId: string, heldOn = today) {
  const page = await agent.get(`/cases/${caseId}/assessment`)
  return post(agent, `/cases/${caseId}/assessment/interviews`, {
    'form-key': hidden(page.text, 'form-key'),
    ...dateOf(heldOn, 'interview-held'),
    interviewee: 'CHILD',
    place: 'Family home',
    'interview-notes': '',
  })
}

async function saveRecord(agent: TestAgent, caseId: string, fields: Record<string, string>, version?: string) {
  const page = await agent.get(`/cases/${caseId}/assessment`)
  return post(agent, `/cases/${caseId}/assessment/record`, { version: version ?? hidden(page.text, 'version'), ...fields })
}
const COMPLETE = {
  formulation: 'Formulation in our words.',
  'level-of-concern': 'MEDIUM',
  'level-of-supervision': 'HIGH',
  recommendations: 'Intervention work at school.',
  'sexualBehaviour-concerns': 'Messages to a younger pupil.',
}

async function signOff(agent: TestAgent, caseId: string) {
  const page = await agent.get(`/cases/${caseId}/assessment`)
  return post(agent, `/cases/${caseId}/assessment/sign-off`, { version: hidden(page.text, 'version') })
}

describe('the AIM assessment', () => {
  it('shows a “no assessment yet” workspace before the decision, and refuses the decision to roles that cannot take it', async () => {
    const caseId = await caseAtMeetingHeld()
    const page = await lead.get(`/cases/${caseId}/assessment`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('No decision about an AIM assessment has been made')
    expect(page.text).toContain(`/cases/${caseId}/assessment/decision`)
    expect((await police.get(`/cases/${caseId}/assessment/decision`)).status).toBe(403)
  })

  it('refuses a decision without reasons or route, keeping what was typed', async () => {
    const caseId = await caseAtMeetingHeld()
    const res = await post(lead, `/cases/${caseId}/assessment/decision`, {
      decision: 'ASSESS',
      reasons: 'Typed reasons kept here',
      route: '',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('Select the route: welfare or criminal')
    expect(res.text).toContain('Typed reasons kept here')
    const none = await post(lead, `/cases/${caseId}/assessment/decision`, { decision: 'NO_ASSESSMENT', reasons: '' })
    expect(none.text).toContain('Enter the reasons for the decision')
    expect((await caseRow(caseId)).status).toBe('STRATEGY_MEETING_HELD')
  })

  it('welfare route: starts both AIM clocks, records the event with ids only, and tells the HSB leads', async () => {
    const caseId = await caseAtMeetingHeld()
    await decideWelfare(caseId)
    expect((await caseRow(caseId)).status).toBe('AIM_ASSESSMENT')
    expect((await clocks(caseId)).map((c) => [c.kind, c.metAt])).toEqual([
      ['AIM_INTERVIEWS', null],
      ['AIM_TARGET', null],
    ])
    const decided = (await events(caseId)).find((e) => e.action === 'DECIDE_AIM_ASSESSMENT')!
    expect(decided.detail).toMatchObject({ route: 'WELFARE', leadAgencyId: f.agencyIds.csc })
    expect(JSON.stringify(decided.detail)).not.toContain('younger child')
    expect((await notificationsOf(caseId, 'ASSESSMENT_DECISION')).map((n) => n.userId)).toContain(f.users.HSB_LEAD.id)
    const page = await lead.get(`/cases/${caseId}/assessment`)
    expect(page.text).toContain('AIM assessment target (6 weeks from the decision)')
    expect(page.text).toContain('Waiting for two co-assessors to be named')
  })

  it('a decision not to assess moves the case on and tells the HSB leads too', async () => {
    const caseId = await caseAtMeetingHeld()
    const res = await post(lead, `/cases/${caseId}/assessment/decision`, {
      decision: 'NO_ASSESSMENT',
      reasons: 'Needs are met by the child in need plan.',
    })
    expect(res.status).toBe(302)
    expect((await caseRow(caseId)).status).toBe('NO_AIM_ASSESSMENT')
    expect(await notificationsOf(caseId, 'ASSESSMENT_DECISION')).toHaveLength(1)
    expect((await lead.get(`/cases/${caseId}/assessment`)).text).toContain('Decided not to assess')
  })

  it('criminal route: the named police officer records the AIM strategy discussion with the YOS as lead, and the clocks start then', async () => {
    const caseId = await caseAtMeetingHeld()
    const decided = await post(lead, `/cases/${caseId}/assessment/decision`, {
      decision: 'ASSESS',
      reasons: 'Police investigation under way.',
      route: 'CRIMINAL',
      'police-contact': f.users.POLICE_OFFICER.id,
    })
    expect(decided.status).toBe(302)
    expect((await caseRow(caseId)).status).toBe('AIM_STRATEGY_DISCUSSION_DUE')
    expect(await clocks(caseId)).toEqual([])
    expect((await police.get(`/cases/${caseId}/assessment/strategy-discussion`)).status).toBe(200)
    const bad = await post(police, `/cases/${caseId}/assessment/strategy-discussion`, {
      ...dateOf(addCalendarDays(today, 1), 'held'),
      agencies: [f.agencyIds.police, yosAgency],
      'lead-agency': yosAgency,
      'administering-agency': yosAgency,
      notes: 'Typed notes kept',
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Date of the discussion must be today or in the past')
    expect(bad.text).toContain('Typed notes kept')
    const res = await post(police, `/cases/${caseId}/assessment/strategy-discussion`, {
      ...dateOf(today, 'held'),
      agencies: [f.agencyIds.police, f.agencyIds.csc, yosAgency],
      'lead-agency': yosAgency,
      'administering-agency': yosAgency,
      notes: 'YOS to lead; joint visits.',
    })
    expect(res.status).toBe(302)
    expect((await caseRow(caseId)).status).toBe('AIM_ASSESSMENT')
    expect((await clocks(caseId)).map((c) => c.kind)).toEqual(['AIM_INTERVIEWS', 'AIM_TARGET'])
    const row = await asSystem((trx) =>
      trx
        .selectFrom('aimAssessment')
        .select(['leadAgencyId', 'administeringAgencyId', 'route'])
        .where('caseId', '=', caseId)
        .executeTakeFirstOrThrow(),
    )
    expect(row).toEqual({ leadAgencyId: yosAgency, administeringAgencyId: yosAgency, route: 'CRIMINAL' })
    expect((await events(caseId)).map((e) => e.action)).toContain('HOLD_AIM_STRATEGY_DISCUSSION')
  })

  it('dates a decision and an interview entered afterwards to when they happened: clocks start then, the history has them then', async () => {
    const caseId = await caseAtMeetingHeld('2010-05-05', 10)
    const fiveDaysAgo = addCalendarDays(today, -5)
    const decided = await post(lead, `/cases/${caseId}/assessment/decision`, {
      decision: 'ASSESS',
      reasons: 'Pattern of behaviour towards a younger child.',
      route: 'WELFARE',
      'lead-agency': f.agencyIds.csc,
      'administering-agency': f.agencyIds.csc,
      ...dateOf(fiveDaysAgo, 'occurred'),
      'occurred-time': '10:00',
    })
    expect(decided.status).toBe(302)
    const started = await asSystem((trx) =>
      trx
        .selectFrom('caseClock')
        .select(['kind', 'startedAt'])
        .where('caseId', '=', caseId)
        .where('kind', '=', 'AIM_TARGET')
        .executeTakeFirstOrThrow(),
    )
    expect(started.startedAt.toISOString().slice(0, 10)).toBe(fiveDaysAgo)
    expect((await nameTwo(caseId)).status).toBe(302)
    const threeDaysAgo = addCalendarDays(today, -3)
    expect((await interview(aimA, caseId, threeDaysAgo)).status).toBe(302)
    const work = await asSystem((trx) =>
      trx
        .selectFrom('caseEvent')
        .select(['occurredAt', 'recordedAt'])
        .where('caseId', '=', caseId)
        .where('action', '=', 'RECORD_ASSESSMENT_WORK')
        .executeTakeFirstOrThrow(),
    )
    // At the end of the day it was held (UK time), not when it was typed in.
    expect(work.occurredAt.getTime()).toBe(endOfLondonDay(threeDaysAgo).getTime())
    expect(work.recordedAt.getTime()).toBeGreaterThan(Date.now() - 3_600_000)
  })

  it('refuses an untrained or expired practitioner by name, and a third co-assessor', async () => {
    const caseId = await caseAtMeetingHeld()
    await decideWelfare(caseId)
    const untrained = await nameTwo(caseId, [people.a.id, people.untrained.id])
    expect(untrained.status).toBe(400)
    expect(untrained.text).toContain('Una Untrained has no current AIM3 training (none recorded)')
    const expired = await nameTwo(caseId, [people.a.id, people.expired.id])
    expect(expired.status).toBe(400)
    expect(expired.text).toContain(`Dana Smith has no current AIM3 training (expired on ${formatDate(expiredOn)})`)
    const three = await nameTwo(caseId, [people.a.id, people.b.id, people.c.id])
    expect(three.status).toBe(400)
    expect(three.text).toContain('Select exactly two co-assessors: you selected 3')
    const noneYet = await asSystem((trx) =>
      trx
        .selectFrom('aimCoAssessor as c')
        .innerJoin('aimAssessment as a', 'a.id', 'c.assessmentId')
        .select('c.id')
        .where('a.caseId', '=', caseId)
        .execute(),
    )
    expect(noneYet).toEqual([])
    expect((await nameTwo(caseId)).status).toBe(302)
    const again = await nameTwo(caseId, [people.c.id, people.a.id])
    expect(again.status).toBe(400)
    expect(again.text).toContain('This assessment already has two co-assessors')
    expect((await notificationsOf(caseId, 'CO_ASSESSOR_ALLOCATED')).map((n) => n.userId).sort()).toEqual([people.a.id, people.b.id].sort())
  })

  it('co-assessors work on it: interviews dated sensibly, versioned drafts, one sign-off waits, both complete and access ends', async () => {
    const caseId = await caseAtMeetingHeld()
    const { childId } = await caseRow(caseId)
    // Ben also works with the child in his own right: he keeps access after the assessment.
    await asSystem((trx) =>
      childrenRepository().insertInvolvement(trx, {
        partnershipId: f.partnershipId,
        childId,
        agencyId: yosAgency,
        userId: people.b.id,
        kind: 'INVOLVED',
      }),
    )
    expect((await aimA.get(`/cases/${caseId}`)).status).toBe(403)
    await decideWelfare(caseId)
    expect((await nameTwo(caseId)).status).toBe(302)
    expect((await aimA.get(`/cases/${caseId}`)).status).toBe(200)

    const future = await interview(aimA, caseId, addCalendarDays(today, 2))
    expect(future.status).toBe(400)
    expect(future.text).toContain('Date of the interview must be today or in the past')
    expect(future.text).toContain('value="Family home"')

    const early = await signOff(aimA, caseId)
    expect(early.status).toBe(400)
    expect(early.text).toContain('Record at least one interview before signing off')

    expect((await interview(aimA, caseId)).status).toBe(302)
    const stalePage = await aimB.get(`/cases/${caseId}/assessment`)
    expect((await saveRecord(aimA, caseId, COMPLETE)).status).toBe(302)
    const stale = await post(aimB, `/cases/${caseId}/assessment/record`, {
      version: hidden(stalePage.text, 'version'),
      formulation: 'Ben’s typed formulation',
    })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Ben’s typed formulation')
    expect(stale.text).toContain('Someone else saved the record after you opened it')

    expect((await signOff(lead, caseId)).status).toBe(403)
    expect((await signOff(aimA, caseId)).status).toBe(302)
    expect((await caseRow(caseId)).status).toBe('AIM_ASSESSMENT')
    const waiting = await aimA.get(`/cases/${caseId}/assessment`)
    expect(waiting.text).toContain('Signed off by Ana Assessor: waiting for Ben Assessor to sign off')
    expect((await signOff(aimA, caseId)).status).toBe(409)
    expect((await caseRow(caseId)).status).toBe('AIM_ASSESSMENT')

    expect((await signOff(aimB, caseId)).status).toBe(302)
    expect((await caseRow(caseId)).status).toBe('REVIEW_MEETING_DUE')
    expect((await clocks(caseId)).every((c) => c.metAt !== null)).toBe(true)
    expect((await events(caseId)).map((e) => e.action).slice(-3)).toEqual([
      'SIGN_OFF_ASSESSMENT',
      'SIGN_OFF_ASSESSMENT',
      'COMPLETE_ASSESSMENT',
    ])
    expect((await aimA.get(`/cases/${caseId}`)).status).toBe(403)
    expect((await aimB.get(`/cases/${caseId}`)).status).toBe(200)
    const report = await lead.get(`/cases/${caseId}/assessment/report`)
    expect(report.status).toBe(200)
    expect(report.text).toContain('Formulation in our words.')
  })

  it('only named co-assessors can record work', async () => {
    const caseId = await caseAtMeetingHeld()
    await decideWelfare(caseId)
    await nameTwo(caseId, [people.a.id, people.c.id])
    const page = await aimA.get(`/cases/${caseId}/assessment`)
    expect(page.text).toContain('data-qa="interview-form"')
    // Ben works with the child (so reads the case) but is not named: he cannot record the assessment.
    const { childId } = await caseRow(caseId)
    await asSystem((trx) =>
      childrenRepository().insertInvolvement(trx, {
        partnershipId: f.partnershipId,
        childId,
        agencyId: yosAgency,
        userId: people.b.id,
        kind: 'INVOLVED',
      }),
    )
    const readOnly = await aimB.get(`/cases/${caseId}/assessment`)
    expect(readOnly.status).toBe(200)
    expect(readOnly.text).not.toContain('data-qa="interview-form"')
    expect(
      (
        await post(aimB, `/cases/${caseId}/assessment/interviews`, {
          'form-key': hidden(page.text, 'form-key'),
          ...dateOf(today, 'interview-held'),
          interviewee: 'CHILD',
          place: 'School',
        })
      ).status,
    ).toBe(403)
    expect((await post(aimB, `/cases/${caseId}/assessment/sign-off`, { version: '0' })).status).toBe(403)
  })

  it('a manager extends the 8-week limit for court directions, with a reason, and it is kept as history', async () => {
    const caseId = await caseAtMeetingHeld()
    await decideWelfare(caseId)
    const before = (await clocks(caseId)).find((c) => c.kind === 'AIM_INTERVIEWS')!
    const tooEarly = await post(lead, `/cases/${caseId}/assessment/extension`, {
      ...dateOf(londonDate(before.dueAt), 'due'),
      'extension-reason': 'Court order typed',
    })
    expect(tooEarly.status).toBe(400)
    expect(tooEarly.text).toContain('The new date must be after the current limit')
    expect(tooEarly.text).toContain('Court order typed')
    const newDue = addCalendarDays(londonDate(before.dueAt), 21)
    const res = await post(lead, `/cases/${caseId}/assessment/extension`, {
      ...dateOf(newDue, 'due'),
      'extension-reason': 'Court directions: expert report first.',
    })
    expect(res.status).toBe(302)
    const after = (await clocks(caseId)).find((c) => c.kind === 'AIM_INTERVIEWS')!
    expect(londonDate(after.dueAt)).toBe(newDue)
    const history = await asSystem((trx) => trx.selectFrom('aimExtension').select(['reason']).execute())
    expect(history.map((h) => h.reason)).toContain('Court directions: expert report first.')
    expect((await events(caseId)).find((e) => e.action === 'EXTEND_AIM_ASSESSMENT')?.detail).toMatchObject({ newDueOn: newDue })
  })

  it('replacing a co-assessor before sign-off ends the old one’s access', async () => {
    const caseId = await caseAtMeetingHeld()
    await decideWelfare(caseId)
    await nameTwo(caseId, [people.a.id, people.c.id])
    expect((await aimA.get(`/cases/${caseId}`)).status).toBe(200)
    const form = await lead.get(`/cases/${caseId}/assessment/co-assessors`)
    const named = await asSystem((trx) =>
      trx
        .selectFrom('aimCoAssessor')
        .select(['id', 'userId'])
        .where('userId', '=', people.a.id)
        .where('endedAt', 'is', null)
        .orderBy('namedAt', 'desc')
        .executeTakeFirstOrThrow(),
    )
    expect(form.text).toContain(named.id)
    const noReason = await post(lead, `/cases/${caseId}/assessment/co-assessors/replace`, {
      replace: named.id,
      person: people.b.id,
      reason: '',
    })
    expect(noReason.status).toBe(400)
    expect(noReason.text).toContain('Enter why the co-assessor is being replaced')
    const res = await post(lead, `/cases/${caseId}/assessment/co-assessors/replace`, {
      replace: named.id,
      person: people.b.id,
      reason: 'Ana has left the team.',
    })
    expect(res.status).toBe(302)
    expect((await aimA.get(`/cases/${caseId}`)).status).toBe(403)
    expect((await aimB.get(`/cases/${caseId}`)).status).toBe(200)
  })
})
