import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Executor } from '../../platform/db/transaction.js'
import type { FeatureDeps } from '../feature-module.js'

/** The threshold in force when a partnership has not set its own: counts from 1 to 4 are suppressed. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5

/** The threshold, read in a transaction the caller already has open. */
export async function thresholdIn(trx: Executor, partnershipId: string): Promise<number> {
  const row = await trx
    .selectFrom('insightSetting')
    .select('suppressionThreshold')
    .where('partnershipId', '=', partnershipId)
    .executeTakeFirst()
  return row?.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD
}

/** The partnership's insight settings (the suppression threshold). */
export function insightSettings({ db, access }: Pick<FeatureDeps, 'db' | 'access'>) {
  return {
    async threshold(partnershipId: string): Promise<number> {
      return transaction(db, { partnershipId }, (trx) => thresholdIn(trx, partnershipId))
    },
    /** Sets the threshold (2 to 20, checked by the route and the database), audited. */
    async setThreshold(user: CurrentUser, threshold: number, requestId: string): Promise<void> {
      await access.run(user, requestId, async (act) => {
        await act.trx
          .insertInto('insightSetting')
          .values({ partnershipId: user.partnershipId, suppressionThreshold: threshold, updatedBy: user.id })
          .onConflict((oc) =>
            oc.column('partnershipId').doUpdateSet({ suppressionThreshold: threshold, updatedBy: user.id, updatedAt: new Date() }),
          )
          .execute()
        await act.record({
          action: 'insight:set-threshold',
          recordType: 'partnership',
          recordId: user.partnershipId,
          detail: { threshold },
        })
      })
    },
  }
}
export type InsightSettings = ReturnType<typeof insightSettings>
