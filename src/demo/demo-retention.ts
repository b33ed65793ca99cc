import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import { DEMO_EMAILS } from './demo-data.js'
import { demoPeople } from './demo-steps.js'

const REQUEST_ID = 'demo-retention'

/**
 * Retention in use (issue 18, part 7), through the service, all fictional:
 * - Fiona Grant (head of service) records the partnership's (fictional) decisions: a child's
 *   record kept for 3 years after the last contact; a request closed at the front door with no
 *   further action, 1 year after the last contact. Both are the demo partnership's decision, with
 *   its note: the service sets no default.
 * - Of the records now due (the council's episodes imported from 2022-23, requests closed at the
 *   front door more than a year ago), Aisha Rahman
 *   (HSB lead) places a legal hold on one, and Fiona proposes erasing another, waiting for Ruth
 *   Adeyemi (privacy officer) to approve. Nothing is erased: other demo data keeps every child.
 */
export async function seedDemoRetention(services: Services, partnershipId: string): Promise<void> {
  const { aisha, fiona } = await demoPeople(services, partnershipId, { aisha: DEMO_EMAILS.aisha, fiona: DEMO_EMAILS.fiona })
  const retention = services.retention.service
  const decisions = [
    {
      kind: 'CHILD_RECORD',
      yearsAfterLastContact: '3',
      untilBirthday: '',
      note: 'Agreed by the Northshire partnership executive on 12 March 2025 (minute 4.2), after the partnership’s own legal advice: a child’s record is kept for 3 years after the last contact. (A fictional decision for the demo.)',
    },
    {
      kind: 'FRONT_DOOR_NFA',
      yearsAfterLastContact: '1',
      untilBirthday: '',
      note: 'Agreed by the partnership executive on 12 March 2025 (minute 4.3): a request closed at the front door with no further action is kept for a year after the last contact.',
    },
  ]
  for (const d of decisions) {
    const saved = await retention.setSchedule(
      fiona,
      { ...d, effectiveFrom: { day: '1', month: '4', year: '2025' } },
      randomUUID(),
      REQUEST_ID,
    )
    if (!saved.ok) throw new Error(`Demo data: the retention schedule was not saved: ${saved.errors.map((e) => e.text).join('; ')}`)
  }
  const { due } = await retention.overview(fiona, REQUEST_ID)
  const [held, proposed] = due
  if (held) {
    const hold = await retention.placeHold(
      aisha,
      held.childId,
      'The family’s solicitor has notified a claim about how the request was handled: keep the whole record until it is settled.',
      REQUEST_ID,
    )
    if (!hold.ok) throw new Error('Demo data: the legal hold was not placed')
  }
  if (proposed) await retention.propose(fiona, proposed.childId, REQUEST_ID)
}
