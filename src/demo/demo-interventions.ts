import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import type { CaseAct, CaseAction } from '../features/cases/index.js'
import type { GoalInput } from '../features/interventions/index.js'
import type { CurrentUser } from '../platform/auth/current-user.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { londonParts, partsOfIsoDate } from '../platform/forms/dates.js'
import type { FieldError } from '../platform/forms/forms.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople, demoSteps, testNhsNumber, yearsAndMonthsBefore, type DemoChild } from './demo-steps.js'

/**
 * After the AIM assessment, for demo mode (all fictional):
 *  - Riley Hartwell: assessment complete, the review meeting is due (the HSB lead arranges it).
 *  - Kai Penrose: review meeting held, an intervention plan agreed and updated once, and the HSB
 *    panel asked for and decided: intervention under way.
 * The AIM assessment's own pages belong to the assessments feature, so its steps here are the
 * pathway's (decide, complete) through the case kernel; the rest goes through the services.
 */

export const RILEY: DemoChild = {
  givenNames: 'Riley',
  familyName: 'Hartwell',
  dateOfBirth: '2011-02-14',
  gender: 'MALE',
  ethnicity: 'WHITE',
  nhsNumber: testNhsNumber('110006'),
}
export const KAI: DemoChild = {
  givenNames: 'Kai',
  familyName: 'Penrose',
  dateOfBirth: '2010-08-22',
  gender: 'MALE',
  ethnicity: 'MIXED',
  nhsNumber: testNhsNumber('110008'),
}

function refused(step: string, errors: readonly FieldError[]): never {
  throw new Error(`Demo data: ${step} was refused: ${errors.map((e) => `${e.href} ${e.text}`).join('; ')}`)
}

export async function seedDemoInterventions(services: Services, partnershipId: string): Promise<void> {
  const { priya, jo, sam, helen, aisha, fiona } = await demoPeople(services, partnershipId, DEMO_EMAILS)
  const steps = demoSteps(services)
  const interventions = services.interventions.service
  const now = new Date()
  const today = londonDate(now)
  const id = DEMO_REQUEST_ID

  async function apply(user: CurrentUser, caseId: string, action: CaseAction, changes: Parameters<CaseAct['apply']>[1] = {}) {
    await services.kernel.run(user, caseId, id, (act) => act.apply(action, changes))
  }

  /** From a request for support to "review meeting due": screened amber, strategy meeting held, AIM assessment decided and completed. */
  async function toReviewDue(child: DemoChild, story: string, behaviour: string): Promise<string> {
    const childId = await steps.createChild(priya, { ...child, dateOfBirth: yearsAndMonthsBefore(today, 14, 3) })
    const caseId = await steps.raiseRequest(priya, childId, {
      receivedAt: new Date(now.getTime() - 3 * 3_600_000),
      whatHappened: story,
      contexts: ['SCHOOL'],
      sharingBasis: 'CONSENT',
      consentSought: true,
    })
    await steps.screen(
      jo,
      caseId,
      [
        {
          description: behaviour,
          date: addCalendarDays(today, -5),
          context: 'SCHOOL',
          hackett: 'PROBLEMATIC',
          rating: 'AMBER',
          rationale: 'Persistent, with a younger child; no force.',
        },
      ],
      'Amber: a strategy meeting is needed.',
    )
    await steps.confirmScreening(helen, caseId, 'Agree amber.')
    await steps.allocate(helen, caseId, 'Assessment Team', sam.displayName, 'Kept apart from the younger pupil at school.')
    await steps.arrangeStrategyMeeting(helen, caseId, { kind: 'STRATEGY_DISCUSSION', at: now, agencies: ['Northshire Police'], people: [] })
    await steps.recordMinutes(helen, caseId, {
      heldAt: now,
      attendance: { 'Northshire Police': 'PRESENT' },
      text: {
        informationShared: 'Police: not known. School: the behaviour and the plan to keep the pupils apart.',
        risks: 'Contact with younger pupils.',
        vulnerabilities: 'Few friends his own age.',
        protectiveFactors: 'Parents engaged.',
        worries: 'That the behaviour carries on.',
        workingWell: 'School acted quickly.',
        needsToHappen: 'An AIM assessment.',
        dangerStatements: '',
        safetyGoals: '',
        decisions: 'The HSB lead to decide on an AIM assessment.',
      },
      scores: [],
      outcomes: ['CONSIDER_AIM_ASSESSMENT'],
      actions: [{ text: 'Tell the school what was agreed', owner: sam.displayName, dueOn: addCalendarDays(today, 2) }],
    })
    await apply(aisha, caseId, 'DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'WELFARE' })
    await apply(sam, caseId, 'COMPLETE_ASSESSMENT')
    return caseId
  }

  // Riley: review meeting due.
  await toReviewDue(
    RILEY,
    'Riley (Year 9) has twice followed a Year 7 pupil into the toilets and made sexual comments. The younger pupil is frightened. Riley’s parents know and are worried.',
    'Followed a younger pupil into the toilets twice and made sexual comments',
  )

  // Kai: intervention under way, with a plan, one change to it, and the HSB panel's decision.
  const kaiCase = await toReviewDue(
    KAI,
    'Kai (Year 10) kept sending a Year 8 pupil sexual messages after being told to stop, and shared a sexual picture of them with friends.',
    'Kept sending a younger pupil sexual messages and shared a picture of them',
  )
  const options = await interventions.arrangeForm(aisha, kaiCase, 'review', id)
  const at = londonParts(now)
  const arranged = await interventions.arrange(
    aisha,
    kaiCase,
    'review',
    {
      key: randomUUID(),
      input: {
        kind: '',
        date: { day: at.day, month: at.month, year: at.year },
        time: at.time,
        chair: aisha.id,
        agencies: [],
        people: [sam.displayName, 'Kerry Doyle'].map((n) => options.people.find((p) => p.displayName === n)?.id ?? n),
      },
    },
    id,
  )
  if (!arranged.ok) refused('arranging the review meeting', arranged.errors)
  const page = await interventions.viewMeeting(aisha, kaiCase, 'review', id)
  const goal = (
    text: string,
    need: string,
    service: string,
    provider: string,
    startIn: number,
    reviewIn: number,
    status = '',
  ): GoalInput => ({
    text,
    need,
    service,
    provider,
    start: partsOfIsoDate(addCalendarDays(today, startIn)),
    review: partsOfIsoDate(addCalendarDays(today, reviewIn)),
    status,
  })
  const goals = [
    goal(
      'Kai understands consent and how his messages harmed the younger pupil',
      'KNOWLEDGE',
      'HSB intervention sessions (weekly)',
      'Northshire Youth Offending Service',
      0,
      42,
    ),
    goal('Kai builds friendships with people his own age', 'RELATEDNESS', 'Youth club and mentoring', 'Brightpath Family Support', 7, 56),
    goal(
      'Kai uses his phone safely, with rules agreed at home',
      'AGENCY',
      'Family safety planning',
      'Northshire Children’s Services',
      0,
      28,
    ),
  ]
  const recorded = await interventions.recordReview(
    aisha,
    kaiCase,
    {
      version: page.meeting!.version,
      input: {
        held: { day: at.day, month: at.month, year: at.year, time: at.time },
        attendance: Object.fromEntries(page.invitations.map((i) => [i.id, 'PRESENT'])),
        text: {
          findings:
            'The AIM assessment found a pattern of sexualised messaging towards a younger pupil, with some understanding of the harm caused. Kai was open in interview.',
          concerns: 'Unsupervised phone use late at night; Kai has few friends his own age.',
          strengths: 'Close to his mum; good at art; engaged well with the co-assessors.',
          roles: 'Sam Okafor coordinates the plan; Kerry Doyle (YOS) delivers the sessions; school monitors contact between the pupils.',
        },
        goals,
      },
    },
    id,
  )
  if (!recorded.ok) refused('recording the review meeting', recorded.errors)
  const plan = await interventions.viewPlan(sam, kaiCase, id)
  const updated = await interventions.updatePlan(
    sam,
    kaiCase,
    {
      version: plan.plan!.version,
      input: {
        goals: [...goals.slice(0, 2), { ...goals[2]!, status: 'ACHIEVED' }],
        changeNote: 'Phone rules agreed with Kai and his mum and working well.',
      },
    },
    id,
  )
  if (!updated.ok) refused('updating the intervention plan', updated.errors)
  const asked = await interventions.requestPanel(
    aisha,
    kaiCase,
    { reason: 'Kai needs specialist therapeutic work on top of the YOS sessions.' },
    id,
  )
  if (!asked.ok) refused('asking for the HSB panel', asked.errors)
  const decided = await interventions.decidePanel(
    fiona,
    kaiCase,
    {
      service: 'Therapeutic HSB programme',
      provider: 'Fictional Therapy Partners',
      level: 'SPECIALIST',
      date: partsOfIsoDate(today),
      notes: 'Twelve sessions, reviewed at week six.',
    },
    id,
  )
  if (!decided.ok) refused('recording the HSB panel’s decision', decided.errors)
}
