import type { Services } from '../composition.js'
import { newTotpSecret } from '../platform/auth/totp.js'
import { londonDate } from '../platform/clocks/london-time.js'
import { DEMO_PASSWORD } from './demo-data.js'
import { demoPeople } from './demo-steps.js'

const REQUEST_ID = 'demo-case-audits'

/**
 * Agencies and lead auditors for multi-agency case audits: with these the demo partnership has ten
 * agencies, seven of which can take part (each with a lead auditor) while three are not able to,
 * as in a real audit. All fictional.
 */
export const DEMO_AUDIT_AGENCIES = [
  { name: 'Northshire Young Advisers', kind: 'VOLUNTARY' },
  { name: 'Northshire Mental Health Service', kind: 'HEALTH' },
  { name: 'Kestrel Children’s Charity', kind: 'VOLUNTARY' },
  { name: 'Northshire Probation Service', kind: 'PROBATION' },
] as const

/** Lead auditors by agency name; Nadia Hussain (health) is already one. */
export const DEMO_LEAD_AUDITORS = [
  { displayName: 'Grace Lewis', email: 'grace.lewis@northshire.example', agency: 'Northshire Children’s Services' },
  { displayName: 'Owen Price', email: 'owen.price@northshire-police.example', agency: 'Northshire Police' },
  { displayName: 'Sian Roberts', email: 'sian.roberts@northshire-yos.example', agency: 'Northshire Youth Offending Service' },
  { displayName: 'Tariq Aziz', email: 'tariq.aziz@riverside.example', agency: 'Riverside Academy' },
  { displayName: 'Megan Ford', email: 'megan.ford@brightpath.example', agency: 'Brightpath Family Support' },
  { displayName: 'Ellis Young', email: 'ellis.young@young-advisers.example', agency: 'Northshire Young Advisers' },
] as const

const dateFields = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
}

/** A multi-agency case audit under way, made by the business manager and a lead auditor through the service. */
export async function seedDemoCaseAudits(services: Services, partnershipId: string): Promise<void> {
  const system = { system: true as const, partnershipId }
  for (const agency of DEMO_AUDIT_AGENCIES) await services.admin.service.createAgency(system, agency)
  const { ben, nadia } = await demoPeople(services, partnershipId, {
    ben: 'ben.carter@northshire.example',
    nadia: 'nadia.hussain@northshire-health.example',
  })
  const audits = services.caseAudits.service
  const form = await audits.setupForm(ben, null, REQUEST_ID)
  const agencyId = (name: string) => form.agencies.find((a) => a.name === name)!.id
  for (const person of DEMO_LEAD_AUDITORS) {
    const created = await services.admin.service.createUser(
      system,
      {
        displayName: person.displayName,
        email: person.email,
        agencyId: agencyId(person.agency),
        roles: ['LEAD_AUDITOR'],
        teamIds: [],
        password: DEMO_PASSWORD,
        totpSecret: newTotpSecret(),
      },
      null,
    )
    if (!created.ok) throw new Error(`Demo lead auditor could not be created: ${created.errors.map((e) => e.text).join('; ')}`)
  }

  // A small audit of three cases, set up a fortnight ago, with its panel next month.
  const today = londonDate(new Date())
  const inDays = (n: number) => londonDate(new Date(Date.now() + n * 86_400_000))
  const { tools, auditors } = await audits.setupForm(ben, null, REQUEST_ID)
  const body: Record<string, string> = {
    theme: 'Children displaying harmful sexual behaviour at school',
    ...dateFields('panel-date', inDays(30)),
    tool: tools.find((t) => t.source === 'BUILT_IN')!.id,
    purpose:
      'To look at how schools, children’s services and the police respond together when a child’s sexual behaviour at school causes concern.',
    [`agency-${agencyId('Northshire Children’s Services')}`]: 'TAKING_PART',
    [`agency-${agencyId('Northshire Community Health NHS Trust')}`]: 'TAKING_PART',
    [`agency-${agencyId('Riverside Academy')}`]: 'TAKING_PART',
    [`agency-${agencyId('Northshire Probation Service')}`]: 'UNABLE',
    [`reason-${agencyId('Northshire Probation Service')}`]: 'None of the children is known to the service.',
  }
  for (const name of ['Northshire Children’s Services', 'Northshire Community Health NHS Trust', 'Riverside Academy']) {
    body[`auditor-${agencyId(name)}`] = auditors.find((a) => a.agencyId === agencyId(name))!.id
  }
  const created = await audits.createAudit(ben, body, null, REQUEST_ID)
  if (!created.ok) throw new Error(`Demo audit could not be set up: ${created.errors.map((e) => e.text).join('; ')}`)
  const auditId = created.id
  const drawn = await audits.cohort(
    ben,
    auditId,
    { ...dateFields('open-on', today), 'sample-size': '3', seed: '20260220', action: 'draw' },
    REQUEST_ID,
  )
  if (drawn.kind !== 'drawn') throw new Error('Demo audit: the sample could not be drawn')
  const page = await audits.overview(ben, auditId, REQUEST_ID)
  const [first, second, third] = page.samples
  const consent = (sampleId: string, state: string, by: string, how: string, replace = false) =>
    audits.recordConsent(ben, auditId, sampleId, { state, by, on: today, how, replace }, REQUEST_ID)
  await consent(first!.id, 'GIVEN', 'PARENT', 'PHONE')
  await consent(second!.id, 'GIVEN', 'CARER', 'IN_PERSON')
  await consent(third!.id, 'REFUSED', 'PARENT', 'LETTER', true)

  const sheet = await audits.saveSummary(
    nadia,
    auditId,
    first!.id,
    {
      'grade-E1': 'GOOD',
      'grade-A1': 'REQUIRES_IMPROVEMENT',
      'grade-W2': 'GOOD',
      'note-2': 'The school nurse’s health assessment was not shared with the social worker until the strategy meeting.',
      overall: 'GOOD',
      summary:
        'The school nursing service knew the child well and shared concerns promptly; the health assessment reached the team around the child late.',
      'feedback-given': 'yes',
      feedback: 'The child’s mum said the school nurse was the one person who explained what would happen next.',
    },
    REQUEST_ID,
  )
  if (!sheet.ok) throw new Error('Demo audit: the summary sheet was refused')
  await audits.addFinding(
    ben,
    auditId,
    { kind: 'GOOD_PRACTICE', text: 'Schools shared their concerns with the front door on the day they arose.', tags: '' },
    REQUEST_ID,
  )
  await audits.addFinding(
    ben,
    auditId,
    {
      kind: 'LEARNING',
      text: 'Health assessments did not always reach the team around the child before decisions were made.',
      tags: 'information sharing, health',
    },
    REQUEST_ID,
  )
  const health = agencyId('Northshire Community Health NHS Trust')
  await audits.addRecommendation(
    ben,
    auditId,
    {
      text: 'Share school nursing health assessments with the allocated social worker within five working days.',
      owner: health,
      ownerText: 'Named nurse for safeguarding',
      due: inDays(90),
    },
    REQUEST_ID,
  )
}
