import type { Services } from '../composition.js'
import { londonDate } from '../platform/clocks/london-time.js'
import { partsOfIsoDate } from '../platform/forms/dates.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'
import { findDemoCase } from './demo-restricted-material.js'

/** Two entries Ash Fernley's social worker adds to the chronology (all fictional). */
export async function seedDemoChronology(services: Services, partnershipId: string): Promise<void> {
  const { sam } = await demoPeople(services, partnershipId, { sam: DEMO_EMAILS.sam })
  const service = services.chronology.service
  const { caseId } = await findDemoCase(services, partnershipId, 'Ash', 'Fernley')
  const today = partsOfIsoDate(londonDate(new Date()))
  const entries = [
    {
      title: 'Home visit',
      text: 'Saw Ash at home with both parents. Ash was quiet but answered questions; parents showed me the phone rules they have agreed with him.',
    },
    {
      title: 'School safety plan reviewed',
      text: 'Spoke with the pastoral lead: separate timetables and break times are working; no contact between Ash and the younger pupil this week.',
    },
  ]
  for (const e of entries) {
    const result = await service.add(sam, caseId, { date: today, title: e.title, text: e.text, corrects: '' }, DEMO_REQUEST_ID)
    if (!result.ok) throw new Error(`Demo data: chronology entry refused: ${result.errors.map((x) => x.text).join('; ')}`)
  }
}
