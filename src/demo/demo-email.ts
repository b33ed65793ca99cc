import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople, demoSteps, testNhsNumber, yearsAndMonthsBefore, type DemoChild } from './demo-steps.js'

/**
 * Email notifications in use (docs/email.md): Riley Penhallow's AIM assessment was decided nine
 * weeks ago and has passed its 8-week limit, so the clock job raises "AIM assessment overdue" to
 * the HSB lead (Aisha Rahman) and the Assessment Team's manager (Helen Marsh), and each gets an
 * email saying only that there is something to look at. With SMTP_HOST set the demo server sends
 * them; without it they wait in the outbox. Everything here is fictional.
 */

const DAY = 86_400_000
/** How long ago the decision to assess was made: nine weeks, a week past the 8-week limit. */
export const AIM_DECIDED_DAYS_AGO = 63

export async function seedDemoEmail(services: Services, partnershipId: string): Promise<{ caseId: string; notifications: number }> {
  const { priya, jo, sam, helen, aisha, mark } = await demoPeople(services, partnershipId, DEMO_EMAILS)
  const p = { referrer: priya, screener: jo, worker: sam, manager: helen, hsbLead: aisha, police: mark }
  const steps = demoSteps(services)
  const now = new Date()
  const today = londonDate(now)
  const decidedAt = new Date(now.getTime() - AIM_DECIDED_DAYS_AGO * DAY)

  const riley: DemoChild = {
    givenNames: 'Riley',
    familyName: 'Penhallow',
    dateOfBirth: yearsAndMonthsBefore(today, 14, 3),
    gender: 'MALE',
    ethnicity: 'WHITE',
    nhsNumber: testNhsNumber('118822'),
  }
  const childId = await steps.createChild(p.referrer, riley)
  const caseId = await steps.raiseRequest(p.referrer, childId, {
    receivedAt: new Date(decidedAt.getTime() - 3 * DAY),
    whatHappened:
      'A Year 8 pupil told her teacher that Riley (Year 9) had touched her over her clothes in the changing rooms and told her not to tell anyone. ' +
      'Another pupil saw it happen. Riley has been moved to a different PE group while we find out more. His dad has been told.',
    contexts: ['SCHOOL'],
    otherChildren: 'A Year 8 pupil at Riverside Academy (name known to the school).',
    sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
    consentSought: false,
    sharingNote: 'Not sought before the strategy discussion, so the younger pupil is not put under pressure.',
  })
  await steps.screen(
    p.screener,
    caseId,
    [
      {
        description: 'Touched a younger pupil over her clothes in the changing rooms and told her to keep it secret',
        date: addCalendarDays(londonDate(decidedAt), -5),
        context: 'SCHOOL',
        hackett: 'PROBLEMATIC',
        rating: 'AMBER',
        rationale: 'Physical contact with a younger child, with secrecy. No force reported.',
      },
    ],
    'Amber: contact with a younger child and a request for secrecy. It needs a strategy meeting.',
  )
  await steps.confirmScreening(p.manager, caseId, 'Agree amber. Strategy meeting with the police today.')
  await steps.allocate(
    p.manager,
    caseId,
    'Assessment Team',
    p.worker.displayName,
    'Riley in a different PE group and supervised at changing times; no contact with the younger pupil.',
  )
  await steps.arrangeStrategyMeeting(p.manager, caseId, {
    kind: 'STRATEGY_MEETING',
    at: now,
    agencies: [],
    people: ['Mark Ellis', p.worker.displayName],
  })
  await steps.recordMinutes(p.manager, caseId, {
    heldAt: now,
    attendance: { 'Mark Ellis': 'PRESENT', [p.worker.displayName]: 'PRESENT' },
    text: {
      informationShared:
        'School: the younger pupil told her teacher; the two are kept apart. Police: no report made by the family. Children’s social care: not known before.',
      risks: 'Riley may try to contact the younger pupil at school.',
      vulnerabilities: 'Riley has few friends at school and has recently changed schools.',
      protectiveFactors: 'Riley’s dad is worried and working with us; the school acted the same day.',
      worries: 'That the younger pupil feels unsafe at school.',
      workingWell: 'The school safety plan is in place and the younger pupil told a trusted adult.',
      needsToHappen: 'An AIM assessment of Riley, led by children’s services; support for the younger pupil.',
      dangerStatements: 'We are worried that if nothing changes Riley may touch younger children again, which would harm them.',
      safetyGoals: 'The younger pupil feels safe at school; Riley keeps to the safety plan, checked by school and his dad.',
      decisions: 'The HSB lead to decide on an AIM assessment. The interim safety plan continues.',
    },
    scores: [
      { name: p.worker.displayName, agency: 'Northshire Children’s Services', score: 5 },
      { name: 'Mark Ellis', agency: 'Northshire Police', score: 5 },
    ],
    outcomes: ['CONSIDER_AIM_ASSESSMENT'],
    actions: [{ text: 'Ask the HSB lead to decide on an AIM assessment', owner: p.manager.displayName, dueOn: today }],
  })
  // The decision to assess (welfare route), nine weeks ago, through the case kernel: the AIM
  // clocks start when it was made, so both have run out.
  await services.kernel.run(p.hsbLead, caseId, DEMO_REQUEST_ID, (act) =>
    act.apply('DECIDE_AIM_ASSESSMENT', { assessmentRoute: 'WELFARE', occurredAt: decidedAt }, { assessmentRoute: 'WELFARE' }),
  )
  const notifications = await services.queues.service.raiseClockNotifications()
  return { caseId, notifications }
}
