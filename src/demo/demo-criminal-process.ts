import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { emptyEntry, type EntryInput } from '../features/criminal-process/index.js'
import { partsOfIsoDate } from '../platform/forms/dates.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'
import { findDemoCase } from './demo-restricted-material.js'

/**
 * The criminal process alongside Ash Fernley's AIM assessment (all fictional): the police
 * investigation, and bail whose curfew and no-contact conditions delay the intervention's
 * evening group work, so the criminal process page shows the warning.
 */
export async function seedDemoCriminalProcess(services: Services, partnershipId: string): Promise<void> {
  const { sam } = await demoPeople(services, partnershipId, { sam: DEMO_EMAILS.sam })
  const service = services.criminalProcess.service
  const { caseId } = await findDemoCase(services, partnershipId, 'Ash', 'Fernley')
  const today = londonDate(new Date())
  const entries: EntryInput[] = [
    { ...emptyEntry('INVESTIGATION', partsOfIsoDate(addCalendarDays(today, -1))), policeReference: 'NP/26/004417' },
    {
      ...emptyEntry('BAIL', partsOfIsoDate(today)),
      conditions:
        'Not to contact the younger pupil directly or online; to live at home; curfew 7pm to 7am; not to go to the bus stop on Mill Lane.',
      holdsUp: true,
      holdUpNote:
        'The harmful sexual behaviour group runs on weekday evenings, inside the curfew; sessions wait until bail is varied or ends.',
    },
  ]
  for (const entry of entries) {
    const result = await service.record(sam, caseId, entry, DEMO_REQUEST_ID)
    if (!result.ok) throw new Error(`Demo data: criminal process entry refused: ${result.errors.map((e) => e.text).join('; ')}`)
  }
}
