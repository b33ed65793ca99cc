import type { Services } from '../composition.js'
import { transaction } from '../platform/db/transaction.js'
import { DEMO_EMAILS } from './demo-data.js'
import { demoPeople } from './demo-steps.js'

const REQUEST_ID = 'demo-restriction'

/**
 * Restriction and break-glass in use (issue 18), through the services, all fictional:
 * - Alex Merrow's restricted record gets its history: Aisha Rahman (HSB lead, named on it) records
 *   why it is restricted and names Fiona Grant (head of service) too.
 * - Jo Whitfield (front-door social worker) opens, out of hours, the record of a child allocated
 *   to the Assessment Team, whom she does not work with: Helen Marsh (its manager) and Ruth
 *   Adeyemi (privacy officer) are told, and her reads of the record and the case raise the
 *   break-glass alerts the privacy officer's queue shows.
 */
export async function seedDemoRestriction(services: Services, partnershipId: string): Promise<void> {
  const { aisha, fiona, jo } = await demoPeople(services, partnershipId, {
    aisha: DEMO_EMAILS.aisha,
    fiona: DEMO_EMAILS.fiona,
    jo: DEMO_EMAILS.jo,
  })
  const restriction = services.restriction.service
  const inPartnership = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(services.db, { partnershipId }, fn)

  const alex = await inPartnership((trx) =>
    trx.selectFrom('child').select('id').where('familyName', '=', 'Merrow').where('isRestricted', '=', true).executeTakeFirst(),
  )
  if (!alex) throw new Error('Demo data: no restricted record for Alex Merrow')
  const saved = await restriction.saveRestriction(
    aisha,
    alex.id,
    {
      reason:
        'Alex’s mother works in the front door team. Restricted to the HSB lead and the head of service while the concern is looked into.',
      named: [aisha.id, fiona.id],
    },
    `${REQUEST_ID}-alex`,
  )
  if (!saved.ok) throw new Error('Demo data: the restriction was not saved')

  // A child whose case is allocated to the Assessment Team, whose record Jo cannot open.
  const candidates = await inPartnership((trx) =>
    trx
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .innerJoin('team as t', 't.id', 'k.allocatedTeamId')
      .select(['k.id as caseId', 'c.id as childId'])
      .where('t.name', '=', 'Assessment Team')
      .where('c.isRestricted', '=', false)
      .where('k.closedAt', 'is', null)
      .orderBy('c.familyName')
      .execute(),
  )
  for (const c of candidates) {
    const page = await restriction.breakGlassPage(jo, c.childId, `${REQUEST_ID}-form`)
    if (page.alreadyOpen) continue
    const opened = await restriction.openBreakGlass(
      jo,
      c.childId,
      {
        reason: 'OUT_OF_HOURS',
        details: 'Emergency duty call at 23:40: the child was reported missing from home and the allocated worker could not be reached.',
        confirm: 'yes',
      },
      `${REQUEST_ID}-open`,
    )
    if (!opened.ok) throw new Error('Demo data: break-glass did not open the record')
    await services.children.service.viewChild(jo, c.childId, `${REQUEST_ID}-read-record`)
    await services.cases.service.viewCase(jo, c.caseId, `${REQUEST_ID}-read-case`)
    return
  }
  throw new Error('Demo data: no child for the break-glass demo')
}
