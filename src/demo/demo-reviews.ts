import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { DEMO_AGENCIES } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

/**
 * Demo data for reviews: a fictional rapid review's action plan in the shape boards use
 * (findings → questions → one response per agency → actions), made through the reviews service
 * on a clock set back, so its history runs over the last eight months and a report as at an
 * earlier date differs from today's. One action is overdue (the health trust's, which its agency
 * lead, Nadia Hussain, can update); the business manager, Ben Carter, made the rest.
 */

type DemoAction = {
  text: string
  rag: string
  target?: string
  targetText?: string
  constraints?: string
  evidence?: string
  lead?: string
  outcome?: string
}
type DemoResponse = { agency: (typeof DEMO_AGENCIES)[number]['key']; response: string; actions: DemoAction[] }
type DemoQuestion = { code: string; text: string; responses: DemoResponse[] }
type DemoFinding = { number: string; title: string; narrative: string; questions: DemoQuestion[] }

/** The plan; target dates are relative to today so the demo always has one overdue action. */
const PLAN = (today: string): DemoFinding[] => {
  const day = (n: number) => addCalendarDays(today, n)
  return [
    {
      number: '1',
      title: 'Assessing sexual behaviour',
      narrative:
        'Practitioners did not use a shared tool to judge whether the behaviour was harmful, and responses were not proportionate to the risk.',
      questions: [
        {
          code: '1a',
          text: 'Practitioners in all agencies use a recognised tool to assess sexual behaviour in children of all ages.',
          responses: [
            {
              agency: 'csc',
              response: 'The Brook Traffic Light tool will be part of the Pathway to Provision update.',
              actions: [
                {
                  text: 'Include the Brook Traffic Light tool in the Pathway to Provision update',
                  rag: 'GREEN',
                  target: day(-90),
                  lead: 'LJ',
                  outcome: 'One tool used by every agency at the front door',
                },
              ],
            },
            {
              agency: 'health',
              response: 'School nurses will be trained in the tool.',
              actions: [
                {
                  text: 'Train all school nurses in the Brook Traffic Light tool',
                  rag: 'AMBER',
                  target: day(-14),
                  constraints: 'Training places limited to 12 a term',
                  evidence: 'Training register',
                  lead: 'NH',
                  outcome: 'Every school nurse trained',
                },
              ],
            },
            {
              agency: 'school',
              response: 'Designated safeguarding leads will use the tool.',
              actions: [
                { text: 'Brief designated safeguarding leads at the termly forum', rag: 'GREEN', targetText: 'Spring term', lead: 'PS' },
              ],
            },
          ],
        },
        {
          code: '1b',
          text: 'Responses to lower-level harmful sexual behaviour are proportionate.',
          responses: [
            {
              agency: 'csc',
              response: 'We will develop guidance for lower-level harm.',
              actions: [
                {
                  text: 'Develop tools for lower-level sexual harm',
                  rag: 'AMBER',
                  target: day(60),
                  constraints: 'Waiting for the regional framework',
                  lead: 'AR',
                  outcome: 'AIM assessments used only where proportionate',
                },
              ],
            },
            {
              agency: 'yos',
              response: 'YOS will take part in the working group.',
              actions: [
                {
                  text: 'Nominate a YOS officer to the lower-level harm working group',
                  rag: 'COMPLETED',
                  targetText: 'Immediate',
                  lead: 'KD',
                },
              ],
            },
          ],
        },
      ],
    },
    {
      number: '2',
      title: 'Needs assessment and commissioning',
      narrative: 'Data and audit findings were not aggregated across agencies, so no one knew what services were needed.',
      questions: [
        {
          code: '2a',
          text: 'The partnership carries out a needs assessment for children who display harmful sexual behaviour.',
          responses: [
            {
              agency: 'partnership',
              response: 'The business unit will lead a needs assessment feeding the JSNA.',
              actions: [
                {
                  text: 'Feed the needs assessment into the JSNA as a chapter framework',
                  rag: 'GREEN',
                  target: day(120),
                  evidence: 'JSNA steering group minutes',
                  lead: 'BC',
                  outcome: 'Services commissioned for low and medium risk',
                },
              ],
            },
            {
              agency: 'police',
              response: 'Police will work with the CPS on bail conditions that prevent intervention before trial.',
              actions: [
                {
                  text: 'Agree with the CPS how bail conditions allow intervention before trial',
                  rag: 'RED',
                  target: day(30),
                  constraints: 'Court listing delays; no CPS lead named yet',
                  lead: 'ME',
                  outcome: 'Children on bail can start interventions',
                },
              ],
            },
          ],
        },
      ],
    },
  ]
}

export async function seedDemoReviews(services: Services, partnershipId: string): Promise<void> {
  const people = await demoPeople(services, partnershipId, {
    ben: 'ben.carter@northshire.example',
    nadia: 'nadia.hussain@northshire-health.example',
  })
  const agencies = new Map<string, string>()
  const names = new Map<string, string>(DEMO_AGENCIES.map((a) => [a.key, a.name]))
  const today = londonDate(new Date())
  const at = (daysAgo: number, hour = 10) =>
    services.reviews.service.withClock(() => new Date(`${addCalendarDays(today, -daysAgo)}T${String(hour).padStart(2, '0')}:00:00Z`))
  const must = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
    if (!r.ok) throw new Error('Demo reviews could not be created')
    return r as Extract<T, { ok: true }>
  }
  const dateFields = (prefix: string, iso: string | undefined) => {
    if (!iso) return {}
    const [y, m, d] = iso.split('-')
    return { [`${prefix}-day`]: d, [`${prefix}-month`]: m, [`${prefix}-year`]: y }
  }

  const created = at(240)
  const reviewDate = addCalendarDays(today, -250)
  const review = must(
    await created.createReview(
      people.ben,
      { kind: 'RAPID_REVIEW', name: 'Rapid review RR-2025-07', ...dateFields('review-date', reviewDate) },
      DEMO_REQUEST_ID,
    ),
  )
  const actionIds: Record<string, string> = {}
  for (const f of PLAN(today)) {
    const finding = must(
      await created.saveFinding(people.ben, review.id, null, { number: f.number, title: f.title, narrative: f.narrative }, DEMO_REQUEST_ID),
    )
    for (const q of f.questions) {
      const question = must(
        await created.saveQuestion(people.ben, review.id, { findingId: finding.id }, { code: q.code, text: q.text }, DEMO_REQUEST_ID),
      )
      const form = await created.responseForm(people.ben, review.id, { questionId: question.id }, DEMO_REQUEST_ID)
      for (const a of form.agencies) agencies.set(a.name, a.id)
      for (const r of q.responses) {
        const agencyId = agencies.get(names.get(r.agency)!)!
        const response = must(
          await created.saveResponse(
            people.ben,
            review.id,
            { questionId: question.id },
            { agency: agencyId, response: r.response },
            DEMO_REQUEST_ID,
          ),
        )
        for (const a of r.actions) {
          // Every action starts red or amber in the plan as agreed; progress comes later.
          const initial = a.rag === 'RED' ? 'RED' : 'AMBER'
          const added = must(
            await created.addAction(
              people.ben,
              review.id,
              response.id,
              {
                text: a.text,
                rag: initial,
                constraints: a.constraints ?? '',
                'target-text': a.targetText ?? '',
                evidence: a.evidence ?? '',
                'lead-text': a.lead ?? '',
                'desired-outcome': a.outcome ?? '',
                ...dateFields('target-date', a.target),
              },
              DEMO_REQUEST_ID,
            ),
          )
          actionIds[a.text] = added.id
        }
      }
    }
  }

  // Progress over the months since, as each agency reported it to the board.
  const progress = async (daysAgo: number, who: keyof typeof people, text: string, note: string, rag: string) => {
    const service = at(daysAgo)
    const page = await service.actionPage(people[who], review.id, actionIds[text]!, DEMO_REQUEST_ID)
    must(
      await service.progress(
        people[who],
        review.id,
        actionIds[text]!,
        { version: String(page.action.version), note, rag },
        DEMO_REQUEST_ID,
      ),
    )
  }
  await progress(
    150,
    'ben',
    'Include the Brook Traffic Light tool in the Pathway to Provision update',
    'Draft update includes the tool; consultation with agencies under way.',
    'GREEN',
  )
  await progress(
    150,
    'ben',
    'Nominate a YOS officer to the lower-level harm working group',
    'Kerry Doyle nominated and attended the first meeting.',
    'COMPLETED',
  )
  await progress(
    150,
    'ben',
    'Brief designated safeguarding leads at the termly forum',
    'Briefing held at the autumn forum; slides circulated.',
    'GREEN',
  )
  await progress(
    120,
    'nadia',
    'Train all school nurses in the Brook Traffic Light tool',
    'First cohort of 12 trained. Second cohort booked.',
    'GREEN',
  )
  await progress(
    90,
    'ben',
    'Feed the needs assessment into the JSNA as a chapter framework',
    'Framework agreed with public health; data requests sent to agencies.',
    'GREEN',
  )
  await progress(
    60,
    'ben',
    'Agree with the CPS how bail conditions allow intervention before trial',
    'Meeting with the CPS postponed twice. Escalated to the board chair.',
    'RED',
  )
  await progress(
    45,
    'nadia',
    'Train all school nurses in the Brook Traffic Light tool',
    'Second cohort cancelled: trainer unavailable. New date not yet set.',
    'AMBER',
  )
  await progress(
    20,
    'ben',
    'Include the Brook Traffic Light tool in the Pathway to Provision update',
    'Pathway to Provision update published with the tool.',
    'COMPLETED',
  )
}
