import type { CurrentUser } from '../platform/auth/current-user.js'
import type { DemoChild, DemoSteps } from './demo-steps.js'
import { fictionalUpn, testNhsNumber, yearsAndMonthsBefore } from './demo-steps.js'

/**
 * Ash Fernley: amber, confirmed, allocated with interim safeguarding measures, and a strategy
 * meeting with police and the youth offending service held inside 24 hours, its minutes
 * finalised with a section 47 enquiry and "consider an AIM assessment". Ash's sibling Kit and
 * Robin Quayle, the younger pupil harmed, are linked. Only the police work with Robin, so Ash's
 * workers see that a harmed child is linked without seeing who. All of it is fictional.
 */

export const ASH: DemoChild = {
  givenNames: 'Ash',
  familyName: 'Fernley',
  // Always 16 years 9 months old, so his screening's age band holds whenever the demo is loaded.
  dateOfBirth: yearsAndMonthsBefore(new Date().toISOString().slice(0, 10), 16, 9),
  gender: 'MALE',
  ethnicity: 'WHITE',
  nhsNumber: testNhsNumber('102223'),
  upn: fictionalUpn('4001', '17', '211'),
  localCaseId: 'NS-198733',
  sendNeeds: 'Autistic; has an education, health and care plan.',
}
export const KIT: DemoChild = {
  givenNames: 'Kit',
  familyName: 'Fernley',
  dateOfBirth: '2015-10-17',
  gender: 'FEMALE',
  ethnicity: 'WHITE',
  nhsNumber: testNhsNumber('103334'),
}
export const ROBIN: DemoChild = {
  givenNames: 'Robin',
  familyName: 'Quayle',
  dateOfBirth: '2012-07-08',
  gender: 'FEMALE',
  ethnicity: 'WHITE',
  nhsNumber: testNhsNumber('104445'),
}

type People = {
  referrer: CurrentUser
  screener: CurrentUser
  manager: CurrentUser
  worker: CurrentUser
  police: CurrentUser
  hsbLead: CurrentUser
}
type When = { hoursAgo: (h: number) => Date; daysAgo: (n: number) => string; daysOn: (n: number) => string; now: Date }

export async function seedAsh(steps: DemoSteps, p: People, t: When): Promise<{ caseId: string; children: number }> {
  const ashId = await steps.createChild(p.referrer, ASH)
  const caseId = await steps.raiseRequest(p.referrer, ashId, {
    receivedAt: t.hoursAgo(20),
    whatHappened:
      'A Year 10 pupil told our pastoral lead that Ash (Year 12) has been sending them messages with sexual content on a social media app for several weeks, and told them to keep it secret. ' +
      'The pupil showed us some of the messages and was upset. Ash was also seen waiting for the pupil at the bus stop after school. ' +
      'Ash has been told not to contact the pupil and they are being kept apart at school. Both families have been told.',
    contexts: ['ONLINE', 'COMMUNITY', 'SCHOOL'],
    otherChildren: 'A Year 10 pupil at Riverside Academy. The pupil’s family have spoken to the police.',
    sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
    consentSought: false,
    sharingNote: 'Not sought: asking first could put the younger pupil under pressure before a strategy discussion.',
  })
  await steps.screen(
    p.screener,
    caseId,
    [
      {
        description: 'Sent a younger pupil messages with sexual content over several weeks and asked them to keep it secret',
        date: t.daysAgo(9),
        context: 'ONLINE',
        hackett: 'PROBLEMATIC',
        rating: 'AMBER',
        rationale: 'It went on for weeks, with a younger child, and Ash asked for secrecy. No threats or force reported.',
      },
      {
        description: 'Waited for the same pupil at the bus stop after school and made sexual comments to them',
        date: t.daysAgo(4),
        context: 'COMMUNITY',
        hackett: 'PROBLEMATIC',
        rating: 'AMBER',
        rationale: 'It carried on in person after the messages, and the younger pupil felt unsafe.',
      },
    ],
    'Amber: a pattern of behaviour towards a younger child, with secrecy. It needs a strategy discussion with the police.',
    t.hoursAgo(19),
  )
  // Each step entered with when it happened: the front door screened and the manager confirmed the evening it came in.
  await steps.confirmScreening(
    p.manager,
    caseId,
    'Agree amber. Strategy meeting today with police and the youth offending service.',
    t.hoursAgo(18.5),
  )
  await steps.allocate(
    p.manager,
    caseId,
    'Assessment Team',
    p.worker.displayName,
    'Ash and the younger pupil kept apart at school, with separate timetables and break times. Ash’s parents will supervise phone use at home. No contact with the younger pupil while enquiries go on.',
    t.hoursAgo(18),
  )

  const kitId = await steps.createChild(p.worker, KIT)
  await steps.link(p.worker, ashId, 'SIBLING', { id: kitId, ...KIT })
  const robinId = await steps.createChild(p.police, ROBIN)
  await steps.link(p.hsbLead, ashId, 'HARMED_CHILD', { id: robinId, ...ROBIN })

  await steps.arrangeStrategyMeeting(p.manager, caseId, {
    kind: 'STRATEGY_MEETING',
    at: t.now,
    agencies: ['Riverside Academy'],
    people: ['Mark Ellis', 'Kerry Doyle', p.worker.displayName],
  })
  await steps.recordMinutes(p.manager, caseId, {
    heldAt: t.now,
    attendance: { 'Mark Ellis': 'PRESENT', 'Kerry Doyle': 'PRESENT', [p.worker.displayName]: 'PRESENT', 'Riverside Academy': 'APOLOGIES' },
    text: {
      informationShared:
        'School (sent in writing): the younger pupil showed staff the messages; the two are now kept apart. Police: the younger pupil’s family have made a report; police will speak with the pupil. ' +
        'Youth offending service: Ash is not known to them. Children’s social care: Ash is autistic with an EHC plan, has not been referred before, and lives with parents and a younger sibling, Kit.',
      risks: 'Ash may try to contact the younger pupil online or after school. Ash’s younger sibling lives at home.',
      vulnerabilities:
        'Ash is autistic and may read social boundaries differently from peers; Ash is isolated at school and spends a lot of time online.',
      protectiveFactors:
        'Parents are worried and working with us, and have agreed to supervise phone use. School acted quickly and has a safety plan.',
      worries: 'That the younger pupil is pressured again, and that Ash does not yet understand why this behaviour harms others.',
      workingWell: 'Parents are engaged; the school safety plan is in place; the younger pupil told a trusted adult.',
      needsToHappen: 'Section 47 enquiries jointly with the police; consider an AIM assessment of Ash; support for the younger pupil.',
      dangerStatements:
        'We are worried that if nothing changes Ash may keep contacting younger children online in a sexual way, which would harm them and could lead to Ash being charged.',
      safetyGoals:
        'The younger pupil feels safe at school and online; Ash keeps to clear rules about contact and phone use, checked by parents and school.',
      decisions:
        'Section 47 enquiries start today, led by Sam Okafor with the police. The HSB lead to consider an AIM assessment. The interim safety plan continues.',
    },
    scores: [
      { name: p.worker.displayName, agency: 'Northshire Children’s Services', score: 4 },
      { name: 'Mark Ellis', agency: 'Northshire Police', score: 3 },
      { name: 'Kerry Doyle', agency: 'Northshire Youth Offending Service', score: 5 },
    ],
    outcomes: ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'],
    actions: [
      { text: 'Start section 47 enquiries: see Ash and Ash’s parents at home', owner: p.worker.displayName, dueOn: t.daysOn(1) },
      { text: 'Share what the police know about the report with children’s social care', owner: 'Mark Ellis', dueOn: t.daysOn(1) },
      { text: 'Ask the HSB lead to consider an AIM assessment', owner: p.manager.displayName, dueOn: t.daysOn(3) },
      { text: 'Check what support the youth offending service can offer Ash’s family', owner: 'Kerry Doyle', dueOn: t.daysOn(7) },
    ],
  })
  return { caseId, children: 3 }
}
