import type TestAgent from 'supertest/lib/agent.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenRepository } from '../../src/features/children/children.repository.js'
import type { CaseAction } from '../../src/features/cases/pathway.rules.js'
import type { CurrentUser } from '../../src/platform/auth/current-user.js'
import { transaction } from '../../src/platform/db/transaction.js'
import { createTestApp, csrfFor, signIn, type TestApp } from '../support/app.js'
import { createFixtures, type Fixtures } from '../support/fixtures.js'
import { londonParts } from '../../src/platform/forms/dates.js'

let t: TestApp
let f: Fixtures
let manager: CurrentUser
/** The SQR chair (team manager), the HSB lead, the head of service, and a social worker working with each child. */
let chair: TestAgent
let lead: TestAgent
let hos: TestAgent
let worker: TestAgent
const csrf = new Map<TestAgent, string>()
let childCount = 0

const HOUR = 3600_000
const DAY = 24 * HOUR
const asSystem = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(t.services.db, 'system', fn)

beforeAll(async () => {
  t = await createTestApp()
  f = await createFixtures(t.services)
  manager = (await t.services.auth.currentUser(f.users.TEAM_MANAGER.id))!
  chair = await signIn(t, f.users.TEAM_MANAGER)
  lead = await signIn(t, f.users.HSB_LEAD)
  hos = await signIn(t, f.users.HEAD_OF_SERVICE)
  worker = await signIn(t, f.users.SOCIAL_WORKER)
  for (const agent of [chair, lead, hos, worker]) csrf.set(agent, await csrfFor(agent))
}, 120_000)
afterAll(async () => t.close())

const post = (agent: TestAgent, path: string, body: Record<string, unknown>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf.get(agent), ...body })
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? ''
const statusOf = async (caseId: string) =>
  (await asSystem((trx) => trx.selectFrom('hsbCase').select('status').where('id', '=', caseId).executeTakeFirstOrThrow())).status

const london = (at: Date) => londonParts(at)
const dateFields = (prefix: string, at: Date) => {
  const d = london(at)
  return { [`${prefix}-day`]: d.day, [`${prefix}-month`]: d.month, [`${prefix}-year`]: d.year }
}

/** A case driven through the workflow to `through`'s last step (the assessment pages are built elsewhere). */
async function caseThrough(actions: [CaseAction, Record<string, unknown>?][]) {
  const { db, kernel } = t.services
  const children = childrenRepository()
  const partnershipId = f.partnershipId
  const caseId = await transaction(db, { partnershipId }, async (trx) => {
    const childId = await children.insertChild(trx, {
      partnershipId,
      givenNames: 'Plan',
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
    await children.insertInvolvement(trx, {
      partnershipId,
      childId,
      agencyId: f.agencyIds.csc,
      userId: f.users.SOCIAL_WORKER.id,
      kind: 'INVOLVED',
    })
    return kernel.openIn(trx, manager, { childId, route: 'NEW', referralReceivedAt: new Date(Date.now() - 30 * DAY) }, 'test')
  })
  for (const [action, ctx] of actions) {
    await kernel.run(manager, caseId, 'test', (act) => act.apply(action, ctx ?? {}))
  }
  return caseId
}
const TO_STRATEGY_HELD: [CaseAction, Record<string, unknown>?][] = [
  ['RECORD_SCREENING'],
  ['CONFIRM_SCREENING', { rating: 'AMBER' }],
  ['FINALISE_STRATEGY_MEETING', { outcomes: ['CONSIDER_AIM_ASSESSMENT'] }],
]
const caseAtReviewDue = () =>
  caseThrough([...TO_STRATEGY_HELD, ['DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'WELFARE' }], ['COMPLETE_ASSESSMENT']])

async function arrange(agent: TestAgent, caseId: string, path: 'review-meeting' | 'end-meeting', at = new Date(Date.now() - 2 * HOUR)) {
  const form = await agent.get(`/cases/${caseId}/${path}/new`)
  expect(form.status).toBe(200)
  const when = london(at)
  return post(agent, `/cases/${caseId}/${path}/new`, {
    'form-key': hidden(form.text, 'form-key'),
    'date-day': when.day,
    'date-month': when.month,
    'date-year': when.year,
    time: when.time,
    chair: f.users.TEAM_MANAGER.id,
    agencies: [f.agencyIds.police],
    people: [f.users.POLICE_OFFICER.id],
  })
}

function reviewAnswers(version: string, overrides: Record<string, string> = {}) {
  const held = london(new Date(Date.now() - HOUR))
  return {
    version,
    'held-day': held.day,
    'held-month': held.month,
    'held-year': held.year,
    'held-time': held.time,
    findings: 'The assessment found the behaviour was a pattern, with some understanding of harm.',
    concerns: 'Unsupervised time online.',
    strengths: 'Close to grandmother; enjoys football.',
    roles: 'Social worker coordinates; YOS delivers sessions; school monitors.',
    'goal-text-0': 'Learn about healthy relationships and consent',
    'goal-need-0': 'RELATEDNESS',
    'goal-service-0': 'HSB intervention sessions',
    'goal-provider-0': 'Youth offending service',
    ...dateFields('goal-start-0', new Date()),
    ...dateFields('goal-review-0', new Date(Date.now() + 42 * DAY)),
    ...overrides,
  }
}

async function toIntervention() {
  const caseId = await caseAtReviewDue()
  expect((await arrange(chair, caseId, 'review-meeting')).status).toBe(302)
  const page = await chair.get(`/cases/${caseId}/review-meeting`)
  const res = await post(chair, `/cases/${caseId}/review-meeting`, reviewAnswers(hidden(page.text, 'version')))
  expect([res.status, res.headers.location]).toEqual([302, `/cases/${caseId}/intervention-plan`])
  return caseId
}

describe('the review meeting and intervention plan', () => {
  it('is arranged by SQR with invitations notified, then recorded with the plan: the case moves to intervention', async () => {
    const caseId = await caseAtReviewDue()
    const arranged = await arrange(chair, caseId, 'review-meeting')
    expect([arranged.status, arranged.headers.location]).toEqual([302, `/cases/${caseId}/review-meeting`])
    const meeting = await asSystem((trx) =>
      trx.selectFrom('meeting').select(['id', 'kind', 'status']).where('caseId', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect(meeting).toMatchObject({ kind: 'REVIEW_STRATEGY_MEETING', status: 'SCHEDULED' })
    const notes = await asSystem((trx) =>
      trx.selectFrom('notification').select(['userId', 'kind']).where('meetingId', '=', meeting.id).execute(),
    )
    expect(notes).toEqual([{ userId: f.users.POLICE_OFFICER.id, kind: 'MEETING_INVITATION' }])

    const page = await chair.get(`/cases/${caseId}/review-meeting`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Relatedness: close, healthy relationships')
    const done = await post(chair, `/cases/${caseId}/review-meeting`, reviewAnswers(hidden(page.text, 'version')))
    expect(done.status).toBe(302)
    expect(await statusOf(caseId)).toBe('INTERVENTION')
    const plan = await chair.get(`/cases/${caseId}/intervention-plan`)
    expect(plan.status).toBe(200)
    expect(plan.text).toContain('Learn about healthy relationships and consent')
    expect(plan.text).toContain('Good Lives: Relatedness')
    expect(plan.text).toContain('Version 1')
    const record = await chair.get(`/cases/${caseId}/review-meeting`)
    expect(record.text).toContain('Social worker coordinates; YOS delivers sessions')
    expect(record.text).not.toContain('data-qa="record-form"')
  })

  it('refuses goals with dates out of order and missing findings, keeping what was typed', async () => {
    const caseId = await caseAtReviewDue()
    await arrange(chair, caseId, 'review-meeting')
    const page = await chair.get(`/cases/${caseId}/review-meeting`)
    const bad = await post(chair, `/cases/${caseId}/review-meeting`, {
      ...reviewAnswers(hidden(page.text, 'version'), { findings: '', 'goal-service-0': 'Weekly sessions kept here' }),
      ...dateFields('goal-review-0', new Date(Date.now() - 5 * DAY)),
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('The review date of goal 1 must be the same as or after its start date')
    expect(bad.text).toContain('Enter the findings')
    expect(bad.text).toContain('Weekly sessions kept here')
    expect(bad.text).toContain('Unsupervised time online.')
    expect(await statusOf(caseId)).toBe('REVIEW_MEETING_DUE')
  })

  it('refuses a stale version with 409, keeping the typed plan', async () => {
    const caseId = await caseAtReviewDue()
    await arrange(chair, caseId, 'review-meeting')
    const page = await chair.get(`/cases/${caseId}/review-meeting`)
    const stale = await post(
      chair,
      `/cases/${caseId}/review-meeting`,
      reviewAnswers(String(Number(hidden(page.text, 'version')) + 5), { 'goal-text-0': 'A goal typed before someone else saved' }),
    )
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('data-qa="conflict"')
    expect(stale.text).toContain('A goal typed before someone else saved')
    expect(await statusOf(caseId)).toBe('REVIEW_MEETING_DUE')
  })

  it('is refused to a role that cannot arrange or record it (403), and before the assessment is complete (409)', async () => {
    const caseId = await caseAtReviewDue()
    expect((await worker.get(`/cases/${caseId}`)).status).toBe(200)
    expect((await worker.get(`/cases/${caseId}/review-meeting/new`)).status).toBe(403)
    expect((await post(worker, `/cases/${caseId}/review-meeting/new`, {})).status).toBe(403)
    const early = await caseThrough([...TO_STRATEGY_HELD, ['DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'WELFARE' }]])
    const notYet = await chair.get(`/cases/${early}/review-meeting/new`)
    expect(notYet.status).toBe(409)
    expect(notYet.text).toContain('both co-assessors have signed the AIM assessment off')
  })

  it('shows a plain empty state on every case without a plan', async () => {
    const referred = f.caseOf[f.children.TEAM_MANAGER.SAME_TEAM]!
    const page = await chair.get(`/cases/${referred}/intervention-plan`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('There is no intervention plan yet')
    expect(page.text).not.toContain('data-qa="plan-form"')
  })

  it('updates the plan as a new version, keeping the history, and refuses a stale version with the input kept', async () => {
    const caseId = await toIntervention()
    const page = await worker.get(`/cases/${caseId}/intervention-plan`)
    expect(page.text).toContain('data-qa="plan-form"')
    const version = hidden(page.text, 'version')
    const updated = await post(worker, `/cases/${caseId}/intervention-plan`, {
      ...reviewAnswers(version, {
        'goal-status-0': 'ACHIEVED',
        'goal-text-1': 'Back in football club',
        'goal-service-1': 'Community sport',
        'goal-need-1': 'EXCELLENCE_IN_PLAY',
      }),
      ...dateFields('goal-start-1', new Date()),
      ...dateFields('goal-review-1', new Date(Date.now() + 30 * DAY)),
      'change-note': 'First goal met; sport added.',
    })
    expect(updated.status).toBe(302)
    const versions = await asSystem((trx) =>
      trx
        .selectFrom('interventionPlanVersion as v')
        .innerJoin('interventionPlan as p', 'p.id', 'v.planId')
        .select(['v.version', 'v.goals'])
        .where('p.caseId', '=', caseId)
        .orderBy('v.version')
        .execute(),
    )
    expect(versions.map((v) => v.version)).toEqual([1, 2])
    expect((versions[0]!.goals as { status: string }[])[0]!.status).toBe('OPEN')
    expect((versions[1]!.goals as { status: string }[]).map((g) => g.status)).toEqual(['ACHIEVED', 'OPEN'])

    const stale = await post(worker, `/cases/${caseId}/intervention-plan`, {
      ...reviewAnswers(version, { 'goal-text-0': 'Typed on an old copy' }),
      'change-note': 'Old copy',
    })
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('Typed on an old copy')
    expect(stale.text).toContain('Someone else changed the intervention plan')
    const after = await worker.get(`/cases/${caseId}/intervention-plan`)
    expect(after.text).toContain('Version 2')
    expect(after.text).toContain('First goal met; sport added.')
  })
})

describe('the HSB panel', () => {
  it('is asked for by SQR (head of service notified), decided by the head of service, and shown on the plan', async () => {
    const caseId = await toIntervention()
    const empty = await post(chair, `/cases/${caseId}/panel`, { reason: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('Enter the reason the HSB panel is needed')
    const asked = await post(chair, `/cases/${caseId}/panel`, {
      reason: 'Specialist therapeutic work is needed beyond what YOS can offer.',
    })
    expect(asked.status).toBe(302)
    expect(await statusOf(caseId)).toBe('PANEL_REQUESTED')
    const notes = await asSystem((trx) =>
      trx.selectFrom('notification').select(['userId']).where('caseId', '=', caseId).where('kind', '=', 'HSB_PANEL_REQUESTED').execute(),
    )
    expect(notes.map((n) => n.userId)).toEqual([f.users.HEAD_OF_SERVICE.id])

    expect((await post(chair, `/cases/${caseId}/panel/decision`, {})).status).toBe(403)
    const early = await post(hos, `/cases/${caseId}/panel/decision`, {
      service: 'Therapeutic HSB programme',
      level: 'SPECIALIST',
      ...dateFields('panel-date', new Date(Date.now() - 3 * DAY)),
    })
    expect(early.status).toBe(400)
    expect(early.text).toContain('The panel cannot have met before it was asked for')
    expect(early.text).toContain('Therapeutic HSB programme')
    const decided = await post(hos, `/cases/${caseId}/panel/decision`, {
      service: 'Therapeutic HSB programme',
      provider: 'Fictional Therapy Partners',
      level: 'SPECIALIST',
      ...dateFields('panel-date', new Date()),
    })
    expect(decided.status).toBe(302)
    expect(await statusOf(caseId)).toBe('INTERVENTION')
    const plan = await chair.get(`/cases/${caseId}/intervention-plan`)
    expect(plan.text).toContain('Fictional Therapy Partners')
    expect(plan.text).toContain('Specialist: an HSB intervention by a specialist service')
  })

  it('is refused when the case never completed an AIM assessment', async () => {
    const caseId = await caseThrough(TO_STRATEGY_HELD)
    await asSystem((trx) => trx.updateTable('hsbCase').set({ status: 'INTERVENTION' }).where('id', '=', caseId).execute())
    const res = await post(chair, `/cases/${caseId}/panel`, { reason: 'Asked for before any assessment.' })
    expect(res.status).toBe(409)
    expect(res.text).toContain('this case has no completed AIM assessment')
    expect(res.text).toContain('Asked for before any assessment.')
    expect(await statusOf(caseId)).toBe('INTERVENTION')
  })
})

describe('the end meeting and closure', () => {
  it('is refused before the review meeting, naming what can be done (409)', async () => {
    const caseId = await caseAtReviewDue()
    const page = await chair.get(`/cases/${caseId}/end-meeting/new`)
    expect(page.status).toBe(409)
    expect(page.text).toContain('The end meeting comes after the review meeting has agreed an intervention plan.')
    expect(page.text).toContain('You can: Arrange the review meeting')
    expect((await post(chair, `/cases/${caseId}/end-meeting`, { version: '1' })).status).toBe(409)
  })

  it('closes the case at the end meeting, asking for a reason to close with open clocks, actions or goals', async () => {
    const caseId = await toIntervention()
    // An action from a finalised meeting, not yet done.
    const actionId = await asSystem(async (trx) => {
      const { id: meetingId } = await trx.selectFrom('meeting').select('id').where('caseId', '=', caseId).executeTakeFirstOrThrow()
      const row = await trx
        .insertInto('meetingAction')
        .values({ partnershipId: f.partnershipId, meetingId, text: 'Share the plan with school' })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    })
    expect((await arrange(chair, caseId, 'end-meeting', new Date(Date.now() - 30 * 60_000))).status).toBe(302)
    const page = await chair.get(`/cases/${caseId}/end-meeting`)
    expect(page.text).toContain('data-qa="open-work"')
    const held = london(new Date(Date.now() - 10 * 60_000))
    const answers = {
      version: hidden(page.text, 'version'),
      'held-day': held.day,
      'held-month': held.month,
      'held-year': held.year,
      'held-time': held.time,
      'work-done': 'Twelve sessions completed.',
      level: 'LOW',
      reason: 'Goals met; family supported.',
    }
    const refused = await post(chair, `/cases/${caseId}/end-meeting`, answers)
    expect(refused.status).toBe(400)
    expect(refused.text).toMatch(/This case still has open work: \d+ timescales? still running/)
    expect(refused.text).toContain('1 meeting action not marked done')
    expect(refused.text).toContain('1 intervention plan goal still under way')
    expect(refused.text).toContain('Twelve sessions completed.')
    expect(await statusOf(caseId)).toBe('INTERVENTION')

    // Marking the action done takes it off the list.
    expect((await post(worker, `/cases/${caseId}/intervention-plan/actions`, { action: actionId })).status).toBe(302)
    const again = await chair.get(`/cases/${caseId}/end-meeting`)
    expect(again.text).not.toContain('meeting action not marked done')

    const closed = await post(chair, `/cases/${caseId}/end-meeting`, {
      ...answers,
      version: hidden(again.text, 'version'),
      'open-work-reason': 'The assessment timescale is tracked by the locality team.',
    })
    expect([closed.status, closed.headers.location]).toEqual([302, `/cases/${caseId}`])
    expect(await statusOf(caseId)).toBe('CLOSED')
    const closure = await asSystem((trx) =>
      trx.selectFrom('caseClosure').selectAll().where('caseId', '=', caseId).executeTakeFirstOrThrow(),
    )
    expect(closure).toMatchObject({
      route: 'END_MEETING',
      levelOfConcern: 'LOW',
      openWorkReason: 'The assessment timescale is tracked by the locality team.',
    })
    const plan = await chair.get(`/cases/${caseId}/intervention-plan`)
    expect(plan.text).toContain('data-qa="closure"')
  })

  it('closes a case with no AIM assessment: a reason always, and one more for open work', async () => {
    const caseId = await caseThrough([...TO_STRATEGY_HELD, ['DECIDE_NO_AIM_ASSESSMENT']])
    expect((await post(worker, `/cases/${caseId}/closure`, { reason: 'x' })).status).toBe(403)
    const none = await post(chair, `/cases/${caseId}/closure`, { reason: '' })
    expect(none.status).toBe(400)
    expect(none.text).toContain('Enter the reason for closing the case')
    const open = await post(chair, `/cases/${caseId}/closure`, { reason: 'Needs met through child in need plan.' })
    expect(open.status).toBe(400)
    expect(open.text).toContain('Child and family assessment (45 working days)')
    expect(open.text).toContain('Needs met through child in need plan.')
    // With every clock met, nothing is open and a reason to close is enough.
    await asSystem((trx) => trx.updateTable('caseClock').set({ metAt: new Date() }).where('caseId', '=', caseId).execute())
    const closed = await post(chair, `/cases/${caseId}/closure`, { reason: 'Needs met through child in need plan.' })
    expect(closed.status).toBe(302)
    expect(await statusOf(caseId)).toBe('CLOSED')
    const page = await chair.get(`/cases/${caseId}/closure`)
    expect(page.text).toContain('data-qa="closed"')
  })
})
