import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import { readRequestForm } from '../features/subject-access/index.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { transaction } from '../platform/db/transaction.js'
import { partsOfIsoDate } from '../platform/forms/dates.js'
import { DEMO_EMAILS } from './demo-data.js'
import { DEMO_REQUEST_ID, demoPeople } from './demo-steps.js'

/**
 * A subject access request in use (all fictional): Ash Fernley asked, through his social worker,
 * for what the partnership holds about him. Ruth Adeyemi, the privacy officer, recorded it a
 * week ago with his identity checked, gathered the records (Robin Quayle, the child harmed, is
 * linked to Ash, so Robin's name is already marked for redaction wherever it appears) and
 * submitted the bundle: it waits for a second person (Fiona Grant, head of service) to approve it.
 */
export async function seedDemoSubjectAccess(services: Services, partnershipId: string): Promise<void> {
  const { ruth } = await demoPeople(services, partnershipId, { ruth: DEMO_EMAILS.ruth })
  const service = services.subjectAccess.service
  const today = londonDate(new Date())
  const [ash] = await service.findChild(
    ruth,
    {
      identifier: '',
      givenNames: 'Ash',
      familyName: 'Fernley',
      dateOfBirth: await dateOfBirthOf(services, partnershipId, 'Ash', 'Fernley'),
    },
    DEMO_REQUEST_ID,
  )
  if (!ash) throw new Error('Demo data: Ash Fernley not found for the subject access request')
  const received = partsOfIsoDate(addCalendarDays(today, -7))
  const { input, errors } = readRequestForm(
    {
      'form-key': randomUUID(),
      'child-id': ash.id,
      'subject-kind': 'CHILD',
      'received-day': received.day,
      'received-month': received.month,
      'received-year': received.year,
      'identity-checked': 'yes',
      'identity-how': 'Known to his allocated social worker, who confirmed the request with Ash in person.',
    },
    today,
  )
  if (errors.length) throw new Error(`Demo data: subject access request form: ${errors.map((e) => e.text).join('; ')}`)
  const saved = await service.create(ruth, input, DEMO_REQUEST_ID)
  if (!saved.ok) throw new Error(`Demo data: subject access request refused: ${saved.errors.map((e) => e.text).join('; ')}`)
  await service.gather(ruth, saved.value, DEMO_REQUEST_ID)
  await service.submit(ruth, saved.value, DEMO_REQUEST_ID)
}

/** A demo child's date of birth, as the privacy officer would read it from the request letter. */
async function dateOfBirthOf(services: Services, partnershipId: string, givenNames: string, familyName: string): Promise<string> {
  const row = await transaction(services.db, { partnershipId }, (trx) =>
    trx
      .selectFrom('child')
      .select((eb) => eb.fn<string>('to_char', [eb.ref('dateOfBirth'), eb.val('YYYY-MM-DD')]).as('dob'))
      .where('givenNames', '=', givenNames)
      .where('familyName', '=', familyName)
      .executeTakeFirstOrThrow(),
  )
  return row.dob
}
