import type { Services } from '../composition.js'
import { financialYearOf } from '../features/insight/index.js'
import type { Outcome } from '../features/meetings/index.js'
import { parseGreenDecision, type BehaviourContext, type HackettPoint, type Rating } from '../features/referrals/index.js'
import type { CurrentUser } from '../platform/auth/current-user.js'
import { addCalendarDays, londonDate, startOfLondonDay } from '../platform/clocks/london-time.js'
import type { FieldError } from '../platform/forms/forms.js'
import { whenValuesOf } from '../platform/forms/when.js'
import {
  DEMO_LATE_REASON,
  DEMO_REQUEST_ID,
  dateInputFields,
  demoPeople,
  demoWhen,
  demoSteps,
  testNhsNumber,
  yearsAndMonthsBefore,
  type DemoChild,
} from './demo-steps.js'

/**
 * A history for the insight dashboard: about fifty requests for support about forty-odd fictional
 * children, received month by month over the last financial year and this one, made by the demo
 * people through the same services as demo-pathway.ts. More amber than red; some green going to
 * early help or no further action; ages 6 to 17; a few children with SEND needs; referrals from
 * the school, the voluntary sector, the police, the youth offending service and children's
 * services; five children referred a second time months later (three of them within 12 months).
 *
 * Dates in the past, as the services allow them: when the request was received, when each
 * behaviour happened, and when each strategy meeting was held (arranged for and held the day
 * after the request, a few of them a day later). Everything else is stamped by the services with the time of the seed,
 * so on the dashboard:
 *  - "Requests for support" (by rating, agency, age) and "Re-referrals" count by the date
 *    received: spread over both years.
 *  - "Strategy meetings held" and "Strategy meeting outcomes" count by the date held: spread over
 *    both years. But the strategy meeting clock starts when the rating is confirmed (today), so
 *    every one of these meetings counts as "held within 24 hours".
 *  - Ratings are confirmed today: looking "as at" a date before today shows them not yet rated.
 *  - AIM assessments (started today), case closures and every change of stage happen today, so
 *    "AIM assessments", "Time spent at each stage" and "Open cases by stage" show them at today's date.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR
const id = DEMO_REQUEST_ID

const EMAILS = {
  priya: 'priya.shah@riverside.example',
  dan: 'dan.hughes@brightpath.example',
  mark: 'mark.ellis@northshire-police.example',
  kerry: 'kerry.doyle@northshire-yos.example',
  tom: 'tom.bradley@northshire.example',
  jo: 'jo.whitfield@northshire.example',
  sam: 'sam.okafor@northshire.example',
  helen: 'helen.marsh@northshire.example',
  aisha: 'aisha.rahman@northshire.example',
} as const
type Referrer = 'priya' | 'dan' | 'mark' | 'kerry' | 'tom'
/** The agency invited to the strategy meeting alongside the police, by who referred. */
const REFERRER_AGENCY: Partial<Record<Referrer, string>> = {
  priya: 'Riverside Academy',
  dan: 'Brightpath Family Support',
  kerry: 'Northshire Youth Offending Service',
}

/** What happened, in a referrer's and a screener's plain words; `n` is the child's given name, `their` a possessive. */
type Story = {
  contexts: BehaviourContext[]
  hackett: HackettPoint
  what: (n: string, their: string) => string
  behaviour: string
  rationale: string
  overall: string
}

const STORIES: Record<Rating, Story[]> = {
  GREEN: [
    {
      contexts: ['HOME'],
      hackett: 'NORMAL',
      what: (n) =>
        `${n}’s parent says ${n} has been asking a lot of questions about bodies and babies, and played a “doctors” game with a cousin the same age. It stopped when an adult talked to them about privacy. ${n}’s family asked for advice.`,
      behaviour: 'Curious questions about bodies; a “doctors” game with a cousin the same age',
      rationale: 'Fits the child’s age and development; mutual, and stopped when talked to.',
      overall: 'Green: curiosity that fits the child’s age. Advice for the family on privacy and bodies.',
    },
    {
      contexts: ['SCHOOL', 'ONLINE'],
      hackett: 'INAPPROPRIATE',
      what: (n, their) =>
        `${n} and friends of ${their} own age were found looking at sexual pictures on a phone at break. ${n} was embarrassed and put the phone away when a teacher came over. No other worries.`,
      behaviour: 'Looked at sexual pictures online with friends the same age',
      rationale: 'A one-off with peers; stopped when found. Nobody pressured.',
      overall: 'Green: needs help with online safety and healthy relationships through school and family.',
    },
    {
      contexts: ['SCHOOL'],
      hackett: 'INAPPROPRIATE',
      what: (n) =>
        `${n} has been telling sexual jokes and using sexual words in class to get a laugh. ${n} stops when told, but it has happened several times this term.`,
      behaviour: 'Sexual jokes and words in class to get a laugh; stops when told',
      rationale: 'Attention-seeking rather than aimed at anyone; responds to boundaries.',
      overall: 'Green: school to work on respectful language with the family’s support.',
    },
  ],
  AMBER: [
    {
      contexts: ['ONLINE'],
      hackett: 'PROBLEMATIC',
      what: (n) =>
        `A younger pupil told staff that ${n} has been sending them messages with sexual content for some weeks and asked them to keep it secret. The pupil showed us the messages and was upset.`,
      behaviour: 'Sent a younger pupil sexual messages over weeks and asked for secrecy',
      rationale: 'Persistent, with a younger child, and secret. No threats.',
      overall: 'Amber: a pattern of behaviour towards a younger child. A strategy meeting is needed.',
    },
    {
      contexts: ['SCHOOL'],
      hackett: 'PROBLEMATIC',
      what: (n) =>
        `${n} has touched other pupils over their clothes in the corridor several times this term, after being told to stop. Two pupils have complained and are avoiding ${n}.`,
      behaviour: 'Touched other pupils over their clothes after being told to stop',
      rationale: 'Carried on after clear boundaries; other children are upset.',
      overall: 'Amber: persistent unwanted touching. A strategy meeting is needed.',
    },
    {
      contexts: ['COMMUNITY'],
      hackett: 'PROBLEMATIC',
      what: (n) =>
        `A parent saw ${n} exposing themselves to younger children at the play area near the flats. The younger children were frightened and told their parents.`,
      behaviour: 'Exposed themselves to younger children at a play area',
      rationale: 'Younger children involved and frightened; in public.',
      overall: 'Amber: behaviour towards younger children in the community. A strategy meeting is needed.',
    },
    {
      contexts: ['ONLINE', 'SCHOOL'],
      hackett: 'PROBLEMATIC',
      what: (n) =>
        `${n} shared a sexual picture of a classmate in a group chat without the classmate knowing. The classmate found out and is very distressed. The picture has been reported.`,
      behaviour: 'Shared a sexual picture of a classmate in a group chat without consent',
      rationale: 'No consent; the classmate was harmed. The image has been reported.',
      overall: 'Amber: image-based harm to another child. A strategy meeting with the police is needed.',
    },
  ],
  RED: [
    {
      contexts: ['COMMUNITY'],
      hackett: 'ABUSIVE',
      what: (n) =>
        `A younger child told their mum that ${n} made them take part in sexual behaviour behind the sports hall and said they would be hurt if they told. The family have spoken to the police.`,
      behaviour: 'Used threats to make a much younger child take part in sexual behaviour',
      rationale: 'Threats and secrecy with a much younger child: coercion.',
      overall: 'Red: coercive behaviour with threats. A strategy meeting with the police within 24 hours.',
    },
    {
      contexts: ['HOME'],
      hackett: 'ABUSIVE',
      what: (n) =>
        `A much younger relative told a teacher that ${n} has been touching them sexually when they are left together, over several months, and told them it was a secret.`,
      behaviour: 'Sexual behaviour towards a much younger relative over months, kept secret',
      rationale: 'A large age gap, repeated, with secrecy; the younger child lives nearby.',
      overall: 'Red: sustained abusive behaviour towards a much younger child. A strategy meeting today.',
    },
    {
      contexts: ['ONLINE'],
      hackett: 'ABUSIVE',
      what: (n) =>
        `${n} pressured a younger pupil into sending sexual images, then threatened to share them unless the pupil sent more. The pupil told a teacher.`,
      behaviour: 'Pressured a younger pupil for sexual images, then threatened to share them',
      rationale: 'Coercion and threats towards a younger child.',
      overall: 'Red: coercive image-based abuse. A strategy meeting with the police within 24 hours.',
    },
  ],
}

/** What happens after screening: green to no further action or early help; amber or red to a strategy meeting and then closure, an AIM assessment (welfare or criminal route), or a decision still to make. */
type Fate = 'NFA' | 'EARLY_HELP' | 'CLOSED' | 'AIM' | 'CRIMINAL' | 'HELD'

type Child = Omit<DemoChild, 'dateOfBirth'> & { age: number }
/** One request for support: the financial year (0 last, 1 this), month (0 = April), day; `again` refers back to an earlier child. */
type Referral = {
  child: Child | { again: string }
  fy: 0 | 1
  month: number
  day: number
  by: Referrer
  rating: Rating
  story: number
  fate: Fate
  lateBy?: number
}

const c = (givenNames: string, familyName: string, gender: string, ethnicity: string, age: number, sendNeeds?: string): Child => ({
  givenNames,
  familyName,
  gender,
  ethnicity,
  age,
  ...(sendNeeds ? { sendNeeds } : {}),
})

/** Made-up names; any likeness to a real person is chance. */
const REFERRALS: Referral[] = [
  {
    child: c('Tilly', 'Pebblewick', 'FEMALE', 'WHITE', 9),
    fy: 0,
    month: 0,
    day: 8,
    by: 'priya',
    rating: 'GREEN',
    story: 1,
    fate: 'EARLY_HELP',
  },
  {
    child: c('Corey', 'Quillfeather', 'MALE', 'WHITE', 14),
    fy: 0,
    month: 0,
    day: 22,
    by: 'mark',
    rating: 'AMBER',
    story: 0,
    fate: 'CLOSED',
  },
  { child: c('Devon', 'Marrowby', 'MALE', 'BLACK', 15), fy: 0, month: 1, day: 6, by: 'kerry', rating: 'RED', story: 0, fate: 'CLOSED' },
  {
    child: c('Isla', 'Thimbleton', 'FEMALE', 'MIXED', 13),
    fy: 0,
    month: 1,
    day: 19,
    by: 'priya',
    rating: 'AMBER',
    story: 3,
    fate: 'CLOSED',
  },
  {
    child: c('Reece', 'Larkmoor', 'MALE', 'WHITE', 12, 'Speech and language needs; SEN support at school.'),
    fy: 0,
    month: 2,
    day: 3,
    by: 'dan',
    rating: 'GREEN',
    story: 2,
    fate: 'EARLY_HELP',
  },
  {
    child: c('Zain', 'Cobblethwaite', 'MALE', 'ASIAN', 16),
    fy: 0,
    month: 2,
    day: 17,
    by: 'mark',
    rating: 'AMBER',
    story: 1,
    fate: 'CLOSED',
    lateBy: 30,
  },
  { child: c('Maisie', 'Wrenhollow', 'FEMALE', 'WHITE', 7), fy: 0, month: 2, day: 26, by: 'dan', rating: 'GREEN', story: 0, fate: 'NFA' },
  { child: c('Kofi', 'Brindlemere', 'MALE', 'BLACK', 13), fy: 0, month: 3, day: 9, by: 'priya', rating: 'AMBER', story: 0, fate: 'CLOSED' },
  {
    child: c('Harley', 'Figgleston', 'MALE', 'WHITE', 11, 'ADHD; education, health and care plan.'),
    fy: 0,
    month: 3,
    day: 23,
    by: 'tom',
    rating: 'AMBER',
    story: 1,
    fate: 'CLOSED',
  },
  { child: { again: 'Tilly Pebblewick' }, fy: 0, month: 4, day: 5, by: 'priya', rating: 'AMBER', story: 3, fate: 'CLOSED' },
  {
    child: c('Owen', 'Saltmarsh-Pike', 'MALE', 'WHITE', 17),
    fy: 0,
    month: 4,
    day: 14,
    by: 'kerry',
    rating: 'RED',
    story: 2,
    fate: 'CLOSED',
  },
  { child: c('Amara', 'Dewberry', 'FEMALE', 'BLACK', 14), fy: 0, month: 4, day: 27, by: 'priya', rating: 'GREEN', story: 1, fate: 'NFA' },
  {
    child: c('Jesse', 'Tumblecroft', 'OTHER', 'WHITE', 15),
    fy: 0,
    month: 5,
    day: 4,
    by: 'mark',
    rating: 'AMBER',
    story: 2,
    fate: 'CLOSED',
  },
  {
    child: c('Rhys', 'Honeywell-Oaks', 'MALE', 'MIXED', 10),
    fy: 0,
    month: 5,
    day: 18,
    by: 'tom',
    rating: 'AMBER',
    story: 1,
    fate: 'CLOSED',
  },
  {
    child: c('Nell', 'Ravensquill', 'FEMALE', 'WHITE', 8),
    fy: 0,
    month: 6,
    day: 2,
    by: 'dan',
    rating: 'GREEN',
    story: 0,
    fate: 'EARLY_HELP',
  },
  { child: c('Bilal', 'Ambercott', 'MALE', 'ASIAN', 15), fy: 0, month: 6, day: 15, by: 'priya', rating: 'RED', story: 1, fate: 'CLOSED' },
  {
    child: c('Connor', 'Mapplebeck', 'MALE', 'WHITE', 16),
    fy: 0,
    month: 7,
    day: 3,
    by: 'kerry',
    rating: 'AMBER',
    story: 3,
    fate: 'CLOSED',
    lateBy: 26,
  },
  {
    child: c('Poppy', 'Larchwhistle', 'FEMALE', 'WHITE', 12),
    fy: 0,
    month: 7,
    day: 20,
    by: 'priya',
    rating: 'GREEN',
    story: 2,
    fate: 'NFA',
  },
  {
    child: c('Tyler', 'Grimsditch-Vale', 'MALE', 'WHITE', 14, 'Autistic; SEN support at school.'),
    fy: 0,
    month: 8,
    day: 1,
    by: 'tom',
    rating: 'AMBER',
    story: 0,
    fate: 'CLOSED',
  },
  {
    child: c('Ayo', 'Fennimore-Quist', 'MALE', 'BLACK', 16),
    fy: 0,
    month: 8,
    day: 16,
    by: 'mark',
    rating: 'RED',
    story: 2,
    fate: 'CLOSED',
  },
  { child: c('Freya', 'Nettlecombe', 'FEMALE', 'WHITE', 13), fy: 0, month: 8, day: 24, by: 'dan', rating: 'GREEN', story: 1, fate: 'NFA' },
  {
    child: c('Logan', 'Bracklewood', 'MALE', 'WHITE', 11),
    fy: 0,
    month: 9,
    day: 6,
    by: 'priya',
    rating: 'AMBER',
    story: 1,
    fate: 'CLOSED',
  },
  {
    child: c('Sami', 'Pottingdale', 'MALE', 'ASIAN', 15),
    fy: 0,
    month: 9,
    day: 21,
    by: 'kerry',
    rating: 'AMBER',
    story: 3,
    fate: 'CLOSED',
  },
  {
    child: c('Ellis', 'Crumbleholme', 'NOT_KNOWN', 'NOT_STATED', 14),
    fy: 0,
    month: 10,
    day: 4,
    by: 'priya',
    rating: 'AMBER',
    story: 0,
    fate: 'CLOSED',
  },
  {
    child: c('Leon', 'Whistlebury', 'MALE', 'MIXED', 17),
    fy: 0,
    month: 10,
    day: 18,
    by: 'mark',
    rating: 'RED',
    story: 0,
    fate: 'CRIMINAL',
  },
  {
    child: c('Ruby', 'Oakenshaw-Penn', 'FEMALE', 'WHITE', 6),
    fy: 0,
    month: 11,
    day: 3,
    by: 'dan',
    rating: 'GREEN',
    story: 0,
    fate: 'EARLY_HELP',
  },
  { child: c('Mason', 'Kettlewhite', 'MALE', 'WHITE', 13), fy: 0, month: 11, day: 12, by: 'tom', rating: 'AMBER', story: 2, fate: 'AIM' },
  { child: { again: 'Maisie Wrenhollow' }, fy: 0, month: 11, day: 25, by: 'dan', rating: 'GREEN', story: 2, fate: 'EARLY_HELP' },
  // This financial year (a referral still in the future when the demo is loaded is left out).
  { child: c('Jude', 'Pemberleigh', 'MALE', 'BLACK', 14), fy: 1, month: 0, day: 7, by: 'priya', rating: 'AMBER', story: 0, fate: 'CLOSED' },
  {
    child: c('Imogen', 'Tansyfield', 'FEMALE', 'WHITE', 10),
    fy: 1,
    month: 0,
    day: 22,
    by: 'dan',
    rating: 'GREEN',
    story: 1,
    fate: 'EARLY_HELP',
  },
  { child: { again: 'Amara Dewberry' }, fy: 1, month: 1, day: 6, by: 'priya', rating: 'AMBER', story: 3, fate: 'AIM' },
  {
    child: c('Finley', 'Hobbleshaw', 'MALE', 'WHITE', 15, 'Moderate learning difficulty; education, health and care plan.'),
    fy: 1,
    month: 1,
    day: 20,
    by: 'kerry',
    rating: 'RED',
    story: 2,
    fate: 'CRIMINAL',
  },
  {
    child: c('Aisling', 'Moorcrake', 'FEMALE', 'WHITE', 16),
    fy: 1,
    month: 2,
    day: 4,
    by: 'mark',
    rating: 'AMBER',
    story: 3,
    fate: 'CLOSED',
  },
  { child: c('Hassan', 'Quenby-Lowe', 'MALE', 'ASIAN', 12), fy: 1, month: 2, day: 18, by: 'priya', rating: 'AMBER', story: 1, fate: 'AIM' },
  { child: c('Bea', 'Thornwhistle', 'FEMALE', 'MIXED', 9), fy: 1, month: 3, day: 2, by: 'dan', rating: 'GREEN', story: 0, fate: 'NFA' },
  { child: { again: 'Corey Quillfeather' }, fy: 1, month: 3, day: 16, by: 'mark', rating: 'AMBER', story: 2, fate: 'CLOSED' },
  {
    child: c('Alfie', 'Brackenthwaite', 'MALE', 'WHITE', 13),
    fy: 1,
    month: 4,
    day: 5,
    by: 'tom',
    rating: 'RED',
    story: 1,
    fate: 'AIM',
    lateBy: 28,
  },
  {
    child: c('Kezia', 'Lanternfield', 'FEMALE', 'BLACK', 15),
    fy: 1,
    month: 4,
    day: 19,
    by: 'priya',
    rating: 'AMBER',
    story: 0,
    fate: 'CLOSED',
  },
  { child: c('Ronan', 'Dapplemere', 'MALE', 'WHITE', 14), fy: 1, month: 5, day: 3, by: 'kerry', rating: 'AMBER', story: 3, fate: 'AIM' },
  {
    child: c('Skye', 'Fothergale', 'FEMALE', 'WHITE', 11),
    fy: 1,
    month: 5,
    day: 17,
    by: 'priya',
    rating: 'GREEN',
    story: 2,
    fate: 'EARLY_HELP',
  },
  {
    child: c('Theo', 'Wickerstaff', 'MALE', 'MIXED', 16, 'Autistic; education, health and care plan.'),
    fy: 1,
    month: 6,
    day: 1,
    by: 'mark',
    rating: 'AMBER',
    story: 2,
    fate: 'HELD',
  },
  {
    child: c('Priyanka', 'Dovecote-Hale', 'FEMALE', 'ASIAN', 13),
    fy: 1,
    month: 6,
    day: 14,
    by: 'priya',
    rating: 'AMBER',
    story: 0,
    fate: 'HELD',
  },
  { child: c('Marley', 'Gorsebrook', 'MALE', 'WHITE', 17), fy: 1, month: 6, day: 28, by: 'kerry', rating: 'RED', story: 0, fate: 'HELD' },
  { child: c('Lola', 'Kingfisher-Roe', 'FEMALE', 'WHITE', 8), fy: 1, month: 7, day: 3, by: 'dan', rating: 'GREEN', story: 0, fate: 'NFA' },
  { child: c('Callum', 'Sorrelby', 'MALE', 'WHITE', 15), fy: 1, month: 7, day: 10, by: 'tom', rating: 'AMBER', story: 1, fate: 'HELD' },
  { child: { again: 'Nell Ravensquill' }, fy: 1, month: 7, day: 17, by: 'dan', rating: 'AMBER', story: 1, fate: 'HELD' },
]

function refused(step: string, errors: readonly FieldError[]): never {
  throw new Error(`Demo data: ${step} was refused: ${errors.map((e) => `${e.href} ${e.text}`).join('; ')}`)
}

/** Every child in this history has a test-range NHS number starting so (no other demo child's does): tests tell them apart by it. */
export const INSIGHT_HISTORY_NHS_PREFIX = '99913'

/** A NHS number in the test range, from a serial: the next valid one at or after 130000 + 10 × serial. */
function nhsFor(serial: number): string {
  for (let n = 130000 + serial * 10; ; n++) {
    try {
      return testNhsNumber(String(n))
    } catch {
      // No check digit for this one: try the next.
    }
  }
}

/** The UK calendar date of a referral (months count from April), or null if it is not yet four days past. */
function receivedDate(r: Referral, today: string): string | null {
  const startYear = financialYearOf(today) - 1 + r.fy
  const monthIndex = 3 + r.month
  const date = `${startYear + Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`
  return date <= addCalendarDays(today, -4) ? date : null
}

const MEETING_OUTCOMES: Record<Fate, Outcome[][]> = {
  NFA: [],
  EARLY_HELP: [],
  CLOSED: [['CHILD_IN_NEED'], ['SECTION_47_ENQUIRY'], ['EARLY_HELP'], ['SECTION_47_ENQUIRY', 'CHILD_IN_NEED']],
  AIM: [
    ['SECTION_47_ENQUIRY', 'CONSIDER_AIM_ASSESSMENT'],
    ['CHILD_IN_NEED', 'CONSIDER_AIM_ASSESSMENT'],
  ],
  CRIMINAL: [['CRIMINAL_PROSECUTION', 'CONSIDER_AIM_ASSESSMENT']],
  HELD: [['CONSIDER_AIM_ASSESSMENT'], ['CHILD_IN_NEED', 'CONSIDER_AIM_ASSESSMENT']],
}

export async function seedDemoInsightHistory(services: Services, partnershipId: string): Promise<void> {
  const p = await demoPeople(services, partnershipId, EMAILS)
  const steps = demoSteps(services)
  const { assessments, interventions } = services
  const referrals = services.referrals.service
  const today = londonDate(new Date())
  const csc = (await services.admin.service.listAgencies({ system: true, partnershipId })).find(
    (a) => a.name === 'Northshire Children’s Services',
  )?.id
  if (!csc) throw new Error('Demo data: no children’s services agency')
  const known = new Map<string, { childId: string; gender: string }>()
  const decidedCases = new Set<string>()

  for (const [i, r] of REFERRALS.entries()) {
    const date = receivedDate(r, today)
    if (!date) continue
    const referrer: CurrentUser = p[r.by]
    const receivedAt = new Date(startOfLondonDay(date).getTime() + (9 + (i % 7)) * HOUR + (i % 4) * 15 * 60_000)
    const name = 'again' in r.child ? r.child.again : `${r.child.givenNames} ${r.child.familyName}`
    if (!('again' in r.child)) {
      const { age, ...child } = r.child
      const childId = await steps.createChild(
        referrer,
        { ...child, dateOfBirth: yearsAndMonthsBefore(date, age, (i * 5) % 12), nhsNumber: nhsFor(i) },
        { searchFirst: false },
      )
      known.set(name, { childId, gender: child.gender })
    }
    const found = known.get(name)
    if (!found) continue
    const { childId, gender } = found
    const given = name.split(' ')[0]!
    const their = gender === 'MALE' ? 'his' : gender === 'FEMALE' ? 'her' : 'their'
    const story = STORIES[r.rating][r.story % STORIES[r.rating].length]!
    const concern = r.rating !== 'GREEN'
    const after = (hours: number) => new Date(receivedAt.getTime() + hours * HOUR)

    const caseId = await steps.raiseRequest(referrer, childId, {
      receivedAt,
      whatHappened: story.what(given, their),
      contexts: story.contexts,
      ...(concern ? { otherChildren: 'Known to the referrer; not named here.' } : {}),
      sharingBasis: concern ? 'SAFEGUARDING_WITHOUT_CONSENT' : 'CONSENT',
      consentSought: !concern,
      ...(concern ? { sharingNote: 'Not sought: another child may be at risk.' } : {}),
    })
    await steps.screen(
      p.jo,
      caseId,
      [
        {
          description: story.behaviour,
          date: addCalendarDays(date, -3),
          context: story.contexts[0]!,
          hackett: story.hackett,
          rating: r.rating,
          rationale: story.rationale,
        },
      ],
      story.overall,
      after(1),
    )
    await steps.confirmScreening(p.helen, caseId, `Agree ${r.rating.toLowerCase()}.`, after(2))

    // Each step entered through its form with when it happened (the history is entered afterwards).
    if (r.fate === 'EARLY_HELP') {
      await steps.requestEarlyHelp(p.jo, caseId, 'Northshire early help team with the school’s designated safeguarding lead.', after(3))
      continue
    }
    if (r.fate === 'NFA') {
      const view = await referrals.viewDecision(p.jo, caseId, id)
      const parsed = parseGreenDecision({
        decision: 'NO_FURTHER_ACTION',
        reason: 'Advice given to the family and the referrer; no further action needed.',
        version: String(view.kase.version),
        ...whenValuesOf(after(3)),
        'late-reason': DEMO_LATE_REASON,
      })
      const result = await referrals.recordDecision(p.jo, caseId, parsed, id)
      if (!result.ok) refused('no further action', result.errors)
      continue
    }

    // Amber or red: allocated, and a strategy meeting held the next day (or later, by lateBy hours).
    await steps.allocate(
      p.helen,
      caseId,
      'Assessment Team',
      p.sam.displayName,
      'Kept apart from the other child; parents told and supervising.',
      after(3),
    )
    const heldAt = new Date(receivedAt.getTime() + (20 + (r.lateBy ?? 0)) * HOUR)
    // Agencies invited as a whole (no one is notified of a meeting long past): the police, and the referrer's agency.
    const agencies = ['Northshire Police', ...(REFERRER_AGENCY[r.by] ? [REFERRER_AGENCY[r.by]!] : [])]
    await steps.arrangeStrategyMeeting(p.helen, caseId, { kind: 'STRATEGY_MEETING', at: heldAt, agencies, people: [] })
    const outcomes = MEETING_OUTCOMES[r.fate][i % MEETING_OUTCOMES[r.fate].length]!
    await steps.recordMinutes(p.helen, caseId, {
      heldAt,
      attendance: Object.fromEntries(agencies.map((a, n) => [a, n === 1 && i % 5 === 0 ? 'APOLOGIES' : 'PRESENT'])),
      text: {
        informationShared:
          'The referrer’s account was shared. Police: whether a report has been made. Children’s social care: what is known of the family.',
        risks: 'Further harm to the other child, or to other younger children.',
        vulnerabilities: `${given}’s age and understanding; time spent unsupervised.`,
        protectiveFactors: 'Parents or carers engaged; school aware.',
        worries: 'That the behaviour carries on before we understand it.',
        workingWell: 'The other child told a trusted adult; a safety plan is in place.',
        needsToHappen: outcomes.includes('CONSIDER_AIM_ASSESSMENT') ? 'Consider an AIM assessment.' : 'Support through the agreed plan.',
        dangerStatements: '',
        safetyGoals: 'The other child feels safe; the safety plan is kept to.',
        decisions: 'As recorded in the outcomes.',
      },
      scores: [{ name: p.sam.displayName, agency: 'Northshire Children’s Services', score: 3 + (i % 4) }],
      outcomes,
      actions: [],
    })

    // The child and family assessment, completed on its day (within its 45 working days), once that day has come.
    const cfaOn = addCalendarDays(date, r.fate === 'CLOSED' ? 10 : 35)
    if (cfaOn < today) {
      const completed = await services.cases.service.completeChildAndFamilyAssessment(
        p.sam,
        caseId,
        { ...dateInputFields('completed', cfaOn), outcome: r.fate === 'CLOSED' ? 'EARLY_HELP' : 'CHILD_IN_NEED' },
        id,
      )
      if (!completed.ok) refused('completing the child and family assessment', completed.errors)
    }

    if (r.fate === 'HELD') continue
    const assess = r.fate === 'AIM' || r.fate === 'CRIMINAL'
    // A decision to assess is recent (those assessments are still under way); the others were made the day after the meeting.
    const decidedAt = assess
      ? new Date(Math.max(heldAt.getTime() + DAY, Date.now() - (2 + (i % 20)) * DAY))
      : new Date(heldAt.getTime() + DAY)
    const decided = await assessments.service.decide(
      p.aisha,
      caseId,
      {
        decision: assess ? 'ASSESS' : 'NO_ASSESSMENT',
        reasons: assess
          ? 'The strategy meeting asked for an AIM assessment to understand the behaviour and what help is needed.'
          : 'The strategy meeting’s plan meets the need; an AIM assessment is not needed.',
        route: r.fate === 'CRIMINAL' ? 'CRIMINAL' : assess ? 'WELFARE' : '',
        leadAgency: r.fate === 'AIM' ? csc : '',
        administeringAgency: r.fate === 'AIM' ? csc : '',
        policeContact: r.fate === 'CRIMINAL' ? p.mark.id : '',
        when: demoWhen(decidedAt),
      },
      id,
    )
    if (!decided.ok) refused('the AIM decision', decided.errors)
    decidedCases.add(caseId)
    if (r.fate === 'CLOSED') {
      const closed = await interventions.service.close(
        p.aisha,
        caseId,
        {
          reason: 'The plan agreed at the strategy meeting is complete.',
          openWorkReason: 'The child and family assessment is finished and recorded in the social care record.',
          when: demoWhen(new Date(heldAt.getTime() + 15 * DAY)),
        },
        id,
      )
      if (!closed.ok) refused('closing the case', closed.errors)
    }
  }

  // The HSB lead is told of every AIM decision, her own included: she has read those about these past cases.
  for (let page = 1; ; page++) {
    const { rows, total, pageSize } = await services.queues.service.listNotifications(p.aisha, page, id)
    for (const n of rows)
      if (n.kind === 'ASSESSMENT_DECISION' && !n.readAt && n.caseId && decidedCases.has(n.caseId))
        await services.queues.service.markNotificationRead(p.aisha, n.id)
    if (page * pageSize >= total) break
  }
}
