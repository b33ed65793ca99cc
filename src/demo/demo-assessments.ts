import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import { emptyRecord, type DecisionInput, type RecordInput } from '../features/assessments/index.js'
import type { CurrentUser } from '../platform/auth/current-user.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { partsOfIsoDate } from '../platform/forms/dates.js'
import type { FieldError } from '../platform/forms/forms.js'
import {
  DEMO_REQUEST_ID,
  demoPeople,
  demoSteps,
  testNhsNumber,
  yearsAndMonthsBefore,
  type DemoChild,
  type DemoSteps,
} from './demo-steps.js'
import { DEMO_EMAILS } from './demo-data.js'
import { findDemoCase } from './demo-restricted-material.js'

/**
 * The AIM assessment in use (all fictional):
 *  - Ash Fernley (strategy meeting held in demo-ash.ts): the HSB lead decides on a welfare-route
 *    AIM assessment; Tom Bradley and Sam Okafor are named co-assessors (AIM3); information,
 *    two interviews and a first draft of the record are in.
 *  - Lewis Thornbury and Jordan Pelling: strategy meetings held, each waiting for the HSB lead's
 *    decision about an AIM assessment (the browser journeys take them on: welfare and criminal).
 * Sam Okafor is given a current AIM3 training record here, through the admin service. Kerry
 * Doyle's AIM3 training (demo-data.ts) has expired: naming her as a co-assessor is refused.
 */

const id = DEMO_REQUEST_ID
const HOUR = 3_600_000

function refused(step: string, errors: readonly FieldError[]): never {
  throw new Error(`Demo data: ${step} was refused: ${errors.map((e) => `${e.href} ${e.text}`).join('; ')}`)
}

export const LEWIS: DemoChild = {
  givenNames: 'Lewis',
  familyName: 'Thornbury',
  dateOfBirth: '',
  gender: 'MALE',
  ethnicity: 'WHITE',
  nhsNumber: testNhsNumber('120042'),
}
export const JORDAN: DemoChild = {
  givenNames: 'Jordan',
  familyName: 'Pelling',
  dateOfBirth: '',
  gender: 'MALE',
  ethnicity: 'ASIAN',
  nhsNumber: testNhsNumber('120052'),
}

export async function seedDemoAssessments(services: Services, partnershipId: string): Promise<void> {
  const p = await demoPeople(services, partnershipId, DEMO_EMAILS)
  const today = londonDate(new Date())
  const steps = demoSteps(services)
  const a = services.assessments.service

  // Sam Okafor trained in AIM3 this year (recorded by the system administrator's tools).
  const recorded = await services.admin.service.recordTraining(
    { system: true, partnershipId },
    p.sam.id,
    { model: 'AIM3', completedOn: addCalendarDays(today, -60), expiresOn: addCalendarDays(today, 3 * 365 - 60) },
    null,
  )
  if (!recorded.ok) refused('Sam Okafor’s AIM3 training', recorded.errors)

  // Ash: welfare route, two co-assessors, work under way.
  const { caseId: ash } = await findDemoCase(services, partnershipId, 'Ash', 'Fernley')
  const csc = (await a.decisionForm(p.aisha, ash, id)).agencies.find((g) => g.kind === 'CHILDRENS_SERVICES')!.id
  const decision: DecisionInput = {
    decision: 'ASSESS',
    reasons:
      'The strategy meeting asked us to consider an AIM assessment. The behaviour went on for weeks towards a younger child, with secrecy; we need to understand what lies behind it and what help Ash and his family need. Police are not pursuing charges at this stage, so the welfare route.',
    route: 'WELFARE',
    leadAgency: csc,
    administeringAgency: csc,
    policeContact: '',
  }
  const decided = await a.decide(p.aisha, ash, decision, id)
  if (!decided.ok) refused('the AIM decision for Ash', decided.errors)
  const named = await a.nameCoAssessors(p.aisha, ash, { selected: [p.tom.id, p.sam.id], model: 'AIM3' }, id)
  if (!named.ok) refused('naming Ash’s co-assessors', named.errors)
  const info = await a.addInformation(
    p.tom,
    ash,
    {
      key: randomUUID(),
      input: {
        sourceAgency: '',
        source: 'Riverside Academy safeguarding file',
        summary:
          'No earlier concerns of a sexual nature. Ash has an EHC plan for autism; staff describe him as isolated at break times and often online.',
        dated: partsOfIsoDate(today),
      },
    },
    id,
  )
  if (!info.ok) refused('information for Ash’s assessment', info.errors)
  for (const [who, interviewee, place] of [
    [p.tom, 'CHILD', 'Family home, with a parent nearby'],
    [p.sam, 'PARENT_CARER', 'Family home'],
  ] as const) {
    const done = await a.addInterview(
      who,
      ash,
      { key: randomUUID(), input: { held: partsOfIsoDate(today), interviewee, detail: '', place, notes: '' } },
      id,
    )
    if (!done.ok) refused('an interview for Ash’s assessment', done.errors)
  }
  const draft: RecordInput = {
    ...emptyRecord(),
    domains: {
      ...emptyRecord().domains,
      sexualBehaviour: {
        concerns: 'Weeks of sexual messages to a younger pupil, asking for secrecy; waited for the pupil after school.',
        strengths: 'Stopped contact when told; says he understands the rule.',
      },
      developmental: {
        concerns: 'Autistic; finds it hard to read how others feel.',
        strengths: 'Engages well with clear, visual explanations.',
      },
      family: { concerns: '', strengths: 'Parents worried, supportive and supervising phone use.' },
    },
    formulation: '',
    levelOfConcern: '',
    levelOfSupervision: '',
    recommendations: '',
    reportSummary: '',
  }
  const saved = await a.saveRecord(p.tom, ash, { input: draft, version: 0 }, id)
  if (!saved.ok) refused('the draft record for Ash', saved.errors)

  // Two more children whose strategy meetings are held, waiting for the AIM decision.
  await toMeetingHeld(
    steps,
    p,
    { ...LEWIS, dateOfBirth: yearsAndMonthsBefore(today, 14, 3) },
    {
      whatHappened:
        'Lewis (Year 9) was seen by a lunchtime supervisor pulling down a younger boy’s trousers in the toilets while two friends filmed it on a phone. The younger boy was very upset. Lewis said it was a dare.',
      behaviour: 'Pulled down a younger boy’s trousers in the school toilets while friends filmed it',
      decisions:
        'Child in need assessment by Sam Okafor. The HSB lead to consider an AIM assessment of Lewis. School safety plan in place.',
    },
  )
  await toMeetingHeld(
    steps,
    p,
    { ...JORDAN, dateOfBirth: yearsAndMonthsBefore(today, 15, 6) },
    {
      whatHappened:
        'A parent told the school that Jordan (Year 11) pressured their daughter (Year 8) into sexual activity at a park at the weekend. The family have reported it to the police.',
      behaviour: 'Pressured a younger pupil into sexual activity at a park at the weekend',
      decisions: 'Police investigation under way. The HSB lead to consider an AIM assessment of Jordan; likely the criminal route.',
    },
  )
}

type People = Record<keyof typeof DEMO_EMAILS, CurrentUser>

async function toMeetingHeld(
  steps: DemoSteps,
  p: People,
  child: DemoChild,
  story: { whatHappened: string; behaviour: string; decisions: string },
) {
  const now = new Date()
  const childId = await steps.createChild(p.priya, child)
  const caseId = await steps.raiseRequest(p.priya, childId, {
    receivedAt: new Date(now.getTime() - 6 * HOUR),
    whatHappened: story.whatHappened,
    contexts: ['SCHOOL'],
    otherChildren: 'A younger pupil at Riverside Academy (known to the school).',
    sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
    consentSought: false,
    sharingNote: 'Not sought: another child was harmed and the police may be involved.',
  })
  await steps.screen(
    p.jo,
    caseId,
    [
      {
        description: story.behaviour,
        date: londonDate(now),
        context: 'SCHOOL',
        hackett: 'ABUSIVE',
        rating: 'AMBER',
        rationale: 'A younger child was harmed and upset; it needs a multi-agency response.',
      },
    ],
    'Amber: harmful behaviour towards a younger child. A strategy meeting is needed.',
  )
  await steps.confirmScreening(p.helen, caseId, 'Agree amber. Strategy meeting today.')
  await steps.allocate(
    p.helen,
    caseId,
    'Assessment Team',
    p.sam.displayName,
    'Kept apart from the younger pupil at school; parents told and supervising.',
  )
  await steps.arrangeStrategyMeeting(p.helen, caseId, {
    kind: 'STRATEGY_MEETING',
    at: now,
    agencies: ['Riverside Academy'],
    people: ['Mark Ellis', p.sam.displayName],
  })
  const text = {
    informationShared:
      'School shared what staff saw and the safety plan. Police shared whether a report has been made. Children’s social care: not known before.',
    risks: 'Further harm to younger pupils at school or in the community.',
    vulnerabilities: 'Few friends outside the group involved; a lot of time online.',
    protectiveFactors: 'Parents engaged; school acted quickly.',
    worries: 'That younger pupils are not safe around him while we do not yet understand the behaviour.',
    workingWell: 'School safety plan; parents supervising.',
    needsToHappen: 'Consider an AIM assessment; support for the younger pupil.',
    dangerStatements: 'We are worried that without help he may harm another younger child.',
    safetyGoals: 'Younger pupils feel safe at school; he keeps to the safety plan.',
    decisions: story.decisions,
  }
  // What the school needs to do, shared back with the referrer (she sees this and her request's status, never the case).
  await steps.shareWithReferrer(
    p.sam,
    caseId,
    'Safety plan at school',
    'Thank you for your request. Please keep the two pupils apart at school: separate classes, and a member of staff with him at break and lunch.\n\nTell me straight away if anything else happens or he says anything about it. Sam Okafor, Assessment Team.',
  )
  await steps.recordMinutes(p.helen, caseId, {
    heldAt: now,
    attendance: { 'Mark Ellis': 'PRESENT', [p.sam.displayName]: 'PRESENT', 'Riverside Academy': 'PRESENT' },
    text,
    scores: [{ name: p.sam.displayName, agency: 'Northshire Children’s Services', score: 4 }],
    outcomes: ['CHILD_IN_NEED', 'CONSIDER_AIM_ASSESSMENT'],
    actions: [
      {
        text: 'Ask the HSB lead to decide about an AIM assessment',
        owner: p.helen.displayName,
        dueOn: addCalendarDays(londonDate(now), 2),
      },
    ],
  })
}
