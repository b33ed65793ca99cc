import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { transaction } from '../platform/db/transaction.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

const EMAILS = {
  aisha: 'aisha.rahman@northshire.example',
  fiona: 'fiona.grant@northshire.example',
  helen: 'helen.marsh@northshire.example',
  mark: 'mark.ellis@northshire-police.example',
  nadia: 'nadia.hussain@northshire-health.example',
  kerry: 'kerry.doyle@northshire-yos.example',
} as const

const noEnd = { day: '', month: '', year: '' }
const dateParts = (iso: string) => {
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
}

/** Factors on some demo cases (by order the cases were opened): the codes to record on each. */
const CASE_FACTORS: string[][] = [
  ['OWN_EXPERIENCE_OF_ABUSE', 'ONLINE_PORNOGRAPHY'],
  ['LEARNING_DIFFICULTY'],
  ['ONLINE_PORNOGRAPHY', 'EXCLUSION_FROM_SCHOOL'],
  ['OVERCROWDING', 'OWN_EXPERIENCE_OF_ABUSE'],
  ['LEARNING_DIFFICULTY', 'EXCLUSION_FROM_SCHOOL'],
  ['ONLINE_PORNOGRAPHY'],
]

/**
 * Demo data for the workforce side of insight, through the services: the provision register
 * (the seeds' complaint, partly: specialist work for high concern, a group-work programme for
 * medium, nothing for low, and one service that ended), the partnership's own factor
 * ("Exclusion from school"), factors on several demo cases (recorded by the HSB lead), and a
 * few more training records (so some training is due to expire and several agencies are trained).
 */
export async function seedDemoWorkforce(services: Services, partnershipId: string): Promise<void> {
  const { provision, factors } = services.insight.service.workforce
  const p = await demoPeople(services, partnershipId, EMAILS)
  const today = londonDate(new Date())
  const must = <T extends { ok: boolean }>(what: string, result: T) => {
    if (!result.ok) throw new Error(`Demo data: ${what} could not be recorded`)
    return result
  }

  const entries = [
    {
      service: 'Specialist HSB assessment and intervention',
      provider: 'Northshire Children’s Services (Safeguarding Quality and Review)',
      levels: ['HIGH'],
      capacity: '8',
      notes: 'AIM3 and AIM Under 12s assessments; intervention by two trained practitioners.',
    },
    {
      service: 'Youth justice HSB programme',
      provider: 'Northshire Youth Offending Service',
      levels: ['HIGH'],
      capacity: '4',
      notes: 'For children on the criminal route; Good Lives model.',
    },
    {
      service: 'Healthy relationships group work',
      provider: 'Brightpath Family Support',
      levels: ['MEDIUM'],
      capacity: '10',
      notes: 'Eight weekly sessions, after school.',
    },
    {
      service: 'Family support for harmful sexual behaviour',
      provider: 'Brightpath Family Support',
      levels: ['MEDIUM', 'HIGH'],
      capacity: '',
      notes: 'Parents and carers; capacity varies with funding.',
    },
    {
      service: 'School nurse healthy relationships sessions (pilot)',
      provider: 'Northshire Community Health NHS Trust',
      levels: ['LOW', 'MEDIUM'],
      capacity: '6',
      notes: 'Pilot funded for one year.',
      endedOn: dateParts(addCalendarDays(today, -120)),
    },
  ]
  for (const e of entries)
    must(`provision “${e.service}”`, await provision.create(p.fiona, { ...e, endedOn: e.endedOn ?? noEnd }, DEMO_REQUEST_ID))

  must('the factor “Exclusion from school”', await factors.addType(p.aisha, 'Exclusion from school', DEMO_REQUEST_ID))

  const caseIds = await transaction(services.db, { partnershipId }, (trx) =>
    trx
      .selectFrom('hsbCase')
      .select('id')
      .where('partnershipId', '=', partnershipId)
      .orderBy('openedAt')
      .orderBy('id')
      .limit(CASE_FACTORS.length)
      .execute(),
  )
  for (const [i, { id }] of caseIds.entries()) {
    must('case factors', await factors.record(p.aisha, id, { ticked: CASE_FACTORS[i]!, shown: [] }, DEMO_REQUEST_ID))
  }

  const system = { system: true as const, partnershipId }
  const training = [
    { who: p.helen.id, model: 'AIM3', completedOn: addCalendarDays(today, -3 * 365 + 40), expiresOn: addCalendarDays(today, 40) },
    { who: p.mark.id, model: 'AIM2', completedOn: addCalendarDays(today, -700), expiresOn: addCalendarDays(today, 70) },
    {
      who: p.nadia.id,
      model: 'AIM_UNDER_12S',
      completedOn: addCalendarDays(today, -200),
      expiresOn: addCalendarDays(today, 3 * 365 - 200),
    },
    { who: p.kerry.id, model: 'GOOD_LIVES', completedOn: addCalendarDays(today, -400), expiresOn: null },
  ] as const
  for (const t of training)
    must(
      'a training record',
      await services.admin.service.recordTraining(
        system,
        t.who,
        { model: t.model, completedOn: t.completedOn, expiresOn: t.expiresOn },
        null,
      ),
    )
}
