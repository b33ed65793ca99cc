import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import { privacyAlerts } from '../platform/access/privacy-alerts.js'
import { transaction } from '../platform/db/transaction.js'
import { DEMO_EMAILS } from './demo-data.js'
import { demoPeople } from './demo-steps.js'

const REQUEST_ID = 'demo-privacy'

/**
 * The privacy officer's workspace in use: alerts waiting and one reviewed. Runs after the
 * restriction and break-glass demo (which raises its alerts by opening records); if that raised
 * fewer than two, Aisha Rahman (named on Alex Merrow's restricted record) opens it twice, and the
 * door that reads a child raises an alert for each. Ruth Adeyemi, the privacy officer, then
 * reviews the oldest alert through the service: appropriate, with a note. All fictional.
 */
export async function seedDemoPrivacy(services: Services, partnershipId: string): Promise<void> {
  const { aisha, ruth } = await demoPeople(services, partnershipId, { aisha: DEMO_EMAILS.aisha, ruth: DEMO_EMAILS.ruth })
  const inPartnership = <T>(fn: Parameters<typeof transaction<T>>[2]) => transaction(services.db, { partnershipId }, fn)
  const alerts = () =>
    inPartnership((trx) =>
      trx.selectFrom('privacyAlert').select(['id', 'reviewedAt']).where('partnershipId', '=', partnershipId).orderBy('raisedAt').execute(),
    )

  if ((await alerts()).length < 2) {
    const alex = await inPartnership((trx) =>
      trx
        .selectFrom('child')
        .select('id')
        .where('partnershipId', '=', partnershipId)
        .where('familyName', '=', 'Merrow')
        .where('isRestricted', '=', true)
        .executeTakeFirst(),
    )
    if (!alex) throw new Error('Demo data: no restricted record for Alex Merrow')
    for (const n of [1, 2]) await services.children.service.viewChild(aisha, alex.id, `${REQUEST_ID}-read-${n}`)
    // Should the door not raise them, the platform's own raise (what the door calls) does.
    if ((await alerts()).length < 2) {
      const raise = privacyAlerts()
      for (const n of [1, 2])
        await inPartnership((trx) =>
          raise.onRead(trx, aisha, `${REQUEST_ID}-raise-${n}`, { childId: alex.id, isRestricted: true, viaBreakGlass: false }),
        )
    }
  }

  const oldest = (await alerts()).find((a) => a.reviewedAt === null)
  if (!oldest) throw new Error('Demo data: no privacy alert to review')
  const result = await services.privacy.service.review(
    ruth,
    oldest.id,
    {
      outcome: 'APPROPRIATE',
      note: 'Checked with the HSB lead: she is named on the record and was preparing the strategy meeting.',
      key: randomUUID(),
    },
    REQUEST_ID,
  )
  if (!result.ok) throw new Error('Demo data: the privacy alert was not reviewed')
}
