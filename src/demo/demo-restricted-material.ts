import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { transaction } from '../platform/db/transaction.js'
import { partsOfIsoDate } from '../platform/forms/dates.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

/** The demo case of a child, by name (the demo's names are unique), and the child's id. */
export async function findDemoCase(
  services: Services,
  partnershipId: string,
  givenNames: string,
  familyName: string,
): Promise<{ caseId: string; childId: string }> {
  const row = await transaction(services.db, { partnershipId }, (trx) =>
    trx
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .select(['k.id as caseId', 'c.id as childId'])
      .where('c.givenNames', '=', givenNames)
      .where('c.familyName', '=', familyName)
      .orderBy('k.openedAt')
      .executeTakeFirst(),
  )
  if (!row) throw new Error(`Demo data: no case for ${givenNames} ${familyName}`)
  return row
}

/**
 * Restricted interview material in use (all fictional): the HSB lead records that Robin
 * Quayle, the younger pupil harmed in Ash Fernley's case, gave an Achieving Best Evidence
 * interview held by the police; Ash's social worker asks to read its summary, and the request
 * waits for a head of service or the HSB lead to decide.
 */
export async function seedDemoRestrictedMaterial(services: Services, partnershipId: string): Promise<void> {
  const { sam, aisha } = await demoPeople(services, partnershipId, { sam: DEMO_EMAILS.sam, aisha: DEMO_EMAILS.aisha })
  const service = services.restrictedMaterial.service
  const { caseId } = await findDemoCase(services, partnershipId, 'Ash', 'Fernley')
  const options = await service.materialForm(aisha, caseId, DEMO_REQUEST_ID)
  const robin = options.harmed[0]
  const police = options.agencies.find((a) => a.name === 'Northshire Police')
  if (!robin || !police) throw new Error('Demo data: Ash’s harmed child or the police agency is missing')
  const recorded = await service.recordMaterial(
    aisha,
    caseId,
    {
      harmedChildId: robin.id,
      reference: 'NP-ABE-2041',
      interviewed: partsOfIsoDate(addCalendarDays(londonDate(new Date()), -1)),
      heldByAgencyId: police.id,
      summary:
        'Robin described messages from Ash over several weeks asking for secrecy, and Ash waiting at the bus stop after school.\n' +
        'Robin said they felt scared to go to the bus stop and wants to keep going to school as usual.',
    },
    DEMO_REQUEST_ID,
  )
  if (!recorded.ok) throw new Error(`Demo data: ABE material refused: ${recorded.errors.map((e) => e.text).join('; ')}`)
  const page = await service.view(sam, caseId, DEMO_REQUEST_ID)
  const material = page.materials[0]!
  const asked = await service.requestAccess(
    sam,
    caseId,
    material.id,
    'To plan Ash’s safety work without asking Robin to repeat what happened; I need to know what Robin described about the bus stop.',
    DEMO_REQUEST_ID,
  )
  if (!asked.ok) throw new Error(`Demo data: ABE request refused: ${asked.errors.map((e) => e.text).join('; ')}`)
}
