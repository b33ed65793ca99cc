import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Executor } from '../../platform/db/transaction.js'
import type { FeatureDeps } from '../feature-module.js'

/** The threshold in force when a partnership has not set its own: counts from 1 to 4 are suppressed. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5

/** A partnership's disclosure control: the threshold, and whether a lone hidden count's zeros are hidden too. */
export type DisclosureSettings = { threshold: number; hideLoneCategory: boolean }

/** The settings, read in a transaction the caller already has open (the defaults when none are set). */
export async function disclosureSettingsIn(trx: Executor, partnershipId: string): Promise<DisclosureSettings> {
  const row = await trx
    .selectFrom('insightSetting')
    .select(['suppressionThreshold', 'hideLoneCategory'])
    .where('partnershipId', '=', partnershipId)
    .executeTakeFirst()
  return { threshold: row?.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD, hideLoneCategory: row?.hideLoneCategory ?? true }
}

/** The partnership's insight settings (disclosure control). */
export function insightSettings({ db, access }: Pick<FeatureDeps, 'db' | 'access'>) {
  return {
    async disclosure(partnershipId: string): Promise<DisclosureSettings> {
      return transaction(db, { partnershipId }, (trx) => disclosureSettingsIn(trx, partnershipId))
    },
    /** Sets disclosure control (the threshold 2 to 20, checked by the route and the database), audited. */
    async setDisclosure(user: CurrentUser, s: DisclosureSettings, requestId: string): Promise<void> {
      await access.run(user, requestId, async (act) => {
        const values = { suppressionThreshold: s.threshold, hideLoneCategory: s.hideLoneCategory, updatedBy: user.id }
        await act.trx
          .insertInto('insightSetting')
          .values({ partnershipId: user.partnershipId, ...values })
          .onConflict((oc) => oc.column('partnershipId').doUpdateSet({ ...values, updatedAt: new Date() }))
          .execute()
        await act.record({
          action: 'insight:set-threshold',
          recordType: 'partnership',
          recordId: user.partnershipId,
          detail: { threshold: s.threshold, hideLoneCategory: s.hideLoneCategory },
        })
      })
    },
  }
}
export type InsightSettings = ReturnType<typeof insightSettings>
