import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { seedAsh } from './demo-ash.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople, demoSteps, fictionalUpn, testNhsNumber, yearsAndMonthsBefore, type DemoChild } from './demo-steps.js'

/**
 * The HSB pathway in use, for demo mode: a child at each step, made by the demo people through
 * the services (see demo-steps.ts). Every child, school and story is fictional; behaviours are
 * described in a practitioner's own plain words.
 *
 *  1. Jayden Smith: a request for support just received, waiting at the front door.
 *  2. Ellie Brambleton (7): screened green, waiting for the team manager's oversight.
 *  3. Freddie Ashcombe: green confirmed; early help requested.
 *  4. Ash Fernley: amber; strategy meeting held inside 24 hours (demo-ash.ts).
 *  5. Morgan Tillbrook: red on the open-case route; the strategy meeting is overdue.
 *  6. Alex Merrow: a restricted record, only the HSB lead named on it.
 */

const HOUR = 3_600_000
/** How far back the overdue strategy meeting clock is moved: 30 hours, so 6 hours past its 24. */
export const OVERDUE_BY_HOURS = 30

export type DemoPathwayResult = { children: number; cases: number; notifications: number }

export async function seedDemoPathway(services: Services, partnershipId: string): Promise<DemoPathwayResult> {
  const { priya, jo, sam, helen, aisha, mark, dan } = await demoPeople(services, partnershipId, DEMO_EMAILS)
  const steps = demoSteps(services)
  const now = new Date()
  const today = londonDate(now)
  const t = {
    now,
    hoursAgo: (h: number) => new Date(now.getTime() - h * HOUR),
    daysAgo: (n: number) => addCalendarDays(today, -n),
    daysOn: (n: number) => addCalendarDays(today, n),
  }

  // 1. Just received: waiting for screening at the front door.
  const jayden = await steps.createChild(priya, {
    givenNames: 'Jayden',
    familyName: 'Smith',
    dateOfBirth: '2013-05-06',
    gender: 'MALE',
    ethnicity: 'WHITE',
    nhsNumber: testNhsNumber('100001'),
    upn: fictionalUpn('4001', '19', '123'),
    localCaseId: 'NS-204518',
  })
  await steps.raiseRequest(priya, jayden, {
    receivedAt: t.hoursAgo(2),
    whatHappened:
      'Two girls in Year 9 told their form tutor that Jayden keeps making sexual comments about girls in his year, including in the lunch queue. ' +
      'A teaching assistant saw him showing other boys a sexual picture on his phone at break. When I spoke to him he said it was only a joke. His mum has been told and is worried.',
    contexts: ['SCHOOL', 'ONLINE'],
    otherChildren: 'Girls in Year 9 at Riverside Academy (names known to the school).',
    sharingBasis: 'CONSENT',
    consentSought: true,
    sharingNote: 'Jayden’s mum agreed on the phone to the school sharing this with children’s services.',
  })

  // 2. A seven-year-old screened green by the front door, waiting for the team manager.
  const ellie = await steps.createChild(dan, {
    givenNames: 'Ellie',
    familyName: 'Brambleton',
    dateOfBirth: yearsAndMonthsBefore(today, 7, 4),
    gender: 'FEMALE',
    ethnicity: 'WHITE',
    nhsNumber: testNhsNumber('101112'),
  })
  const ellieCase = await steps.raiseRequest(dan, ellie, {
    receivedAt: t.hoursAgo(5),
    whatHappened:
      'I support Ellie’s family at home. Her mum says Ellie has been asking a lot of questions about where babies come from and why boys’ and girls’ bodies are different, ' +
      'and uses rude words for private parts at the tea table to make her brother laugh. She stops when she is told. Mum asked me to find out whether this is usual for her age.',
    contexts: ['HOME'],
    sharingBasis: 'CONSENT',
    consentSought: true,
  })
  await steps.screen(
    jo,
    ellieCase,
    [
      {
        description: 'Asks her mum lots of questions about babies and about how boys’ and girls’ bodies differ',
        date: t.daysAgo(6),
        context: 'HOME',
        hackett: 'NORMAL',
        rating: 'GREEN',
        rationale: 'Open, curious questions that fit her age. Nobody else is involved or upset.',
      },
      {
        description: 'Uses rude words for private parts to make her brother laugh, and stops when told',
        date: t.daysAgo(3),
        context: 'HOME',
        hackett: 'NORMAL',
        rating: 'GREEN',
        rationale: 'Silly rather than aimed at anyone, and she stops when asked.',
      },
    ],
    'Green: curiosity that fits her age and development. Advice for mum on talking about bodies and privacy.',
  )

  // 3. Green, confirmed, early help requested.
  const freddie = await steps.createChild(priya, {
    givenNames: 'Freddie',
    familyName: 'Ashcombe',
    dateOfBirth: yearsAndMonthsBefore(today, 12, 2),
    gender: 'MALE',
    ethnicity: 'MIXED',
    nhsNumber: testNhsNumber('105556'),
    upn: fictionalUpn('4001', '20', '056'),
  })
  const freddieCase = await steps.raiseRequest(priya, freddie, {
    receivedAt: t.hoursAgo(26),
    whatHappened:
      'Freddie (Year 7) and two friends were found looking at a website with sexual pictures on a shared school tablet in the library. ' +
      'He closed it when a teacher came over and was very embarrassed. A friend had shown him the site. We have no other worries about Freddie.',
    contexts: ['SCHOOL', 'ONLINE'],
    sharingBasis: 'CONSENT',
    consentSought: true,
  })
  await steps.screen(
    jo,
    freddieCase,
    [
      {
        description: 'Looked at sexual pictures online with friends his age on a school tablet; stopped and was embarrassed when found',
        date: t.daysAgo(2),
        context: 'ONLINE',
        hackett: 'INAPPROPRIATE',
        rating: 'GREEN',
        rationale: 'A one-off with friends his own age; he stopped when found. No pressure on anyone.',
      },
    ],
    'Green. Freddie needs help to understand online safety and healthy relationships: early help with school and family.',
  )
  await steps.confirmScreening(helen, freddieCase, 'Agree green. Early help through the school.')
  await steps.requestEarlyHelp(
    jo,
    freddieCase,
    'School nurse, Northshire Community Health School Nursing team; Priya Shah, designated safeguarding lead, Riverside Academy.',
  )

  // 4. Amber, strategy meeting held.
  await seedAsh(steps, { referrer: priya, screener: jo, manager: helen, worker: sam, police: mark, hsbLead: aisha }, t)

  // 5. Red on the open-case route: the allocated worker screens, the team manager oversees.
  const morgan = await steps.createChild(dan, {
    givenNames: 'Morgan',
    familyName: 'Tillbrook',
    dateOfBirth: yearsAndMonthsBefore(today, 15, 8),
    gender: 'MALE',
    ethnicity: 'BLACK',
    nhsNumber: testNhsNumber('106667'),
    localCaseId: 'NS-187402',
  })
  const morganCase = await steps.raiseRequest(dan, morgan, {
    receivedAt: t.hoursAgo(OVERDUE_BY_HOURS + 2),
    whatHappened:
      'I run the Thursday youth club. A 10-year-old told their mum, and then me, that Morgan made them take part in sexual behaviour in the club toilets and said he would hurt them if they told anyone. ' +
      'Morgan has been asked not to come to the club. He already has a social worker.',
    contexts: ['COMMUNITY'],
    otherChildren: 'A 10-year-old who comes to the youth club. Their family have spoken to the police.',
    sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
    consentSought: false,
    sharingNote: 'Not sought: there were threats, and another child may be at risk.',
    openCase: true,
  })
  await steps.allocate(
    helen,
    morganCase,
    'Assessment Team',
    sam.displayName,
    'Morgan not to go to the youth club; his parents know and will supervise him outside school.',
    t.hoursAgo(OVERDUE_BY_HOURS + 1.75),
  )
  await steps.screen(
    sam,
    morganCase,
    [
      {
        description: 'Used threats to make a much younger child take part in sexual behaviour at the youth club',
        date: t.daysAgo(2),
        context: 'COMMUNITY',
        hackett: 'ABUSIVE',
        rating: 'RED',
        rationale: 'Threats and secrecy with a much younger child: this is coercion.',
      },
    ],
    'Red: coercive behaviour towards a much younger child, with threats. A strategy meeting with the police is needed within 24 hours.',
    t.hoursAgo(OVERDUE_BY_HOURS + 1),
  )
  // Confirmed red 30 hours ago (the request came in 32 hours ago): its 24-hour strategy meeting clock ran out 6 hours ago.
  await steps.confirmScreening(helen, morganCase, 'Agree red. I will chair the strategy meeting.', t.hoursAgo(OVERDUE_BY_HOURS))

  // 6. A restricted record: only the HSB lead is named on it.
  const alex: DemoChild = {
    givenNames: 'Alex',
    familyName: 'Merrow',
    dateOfBirth: '2011-11-30',
    gender: 'FEMALE',
    ethnicity: 'NOT_STATED',
    nhsNumber: testNhsNumber('107778'),
  }
  const alexId = await steps.createChild(aisha, alex)
  await services.children.service.restrictForSetUp({ system: true, partnershipId, actorId: aisha.id }, alexId, [aisha.id], DEMO_REQUEST_ID)

  const notifications = await services.queues.service.raiseClockNotifications()
  return { children: 8, cases: 5, notifications }
}
