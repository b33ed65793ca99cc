import type { Actor } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import { transaction, type Db, type Executor } from '../../platform/db/transaction.js'

/** The threshold in force when a partnership has not set its own: counts from 1 to 4 are suppressed. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5

/** The partnership's insight settings (the suppression threshold). */
/** The threshold, read in a transaction the caller already has open. */
export async function thresholdIn(trx: Executor, partnershipId: string): Promise<number> {
  const row = await trx.selectFrom('insightSetting').select('suppressionThreshold').where('partnershipId', '=', partnershipId).executeTakeFirst()
  return row?.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD
}

export function insightSettings(db: Db, audit: AuditRepository) {
  return {
    async threshold(partnershipId: string): Promise<number> {
      return transaction(db, { partnershipId }, (trx) => thresholdIn(trx, partnershipId))
    },
    /** Sets the threshold (2 to 20, checked by the route and the database), audited. */
    async setThreshold(actor: Actor, threshold: number, requestId: string | null): Promise<void> {
      await transaction(db, { partnershipId: actor.partnershipId }, async (trx) => {
        await trx
          .insertInto('insightSetting')
          .values({ partnershipId: actor.partnershipId, suppressionThreshold: threshold, updatedBy: actor.id })
          .onConflict((oc) => oc.column('partnershipId').doUpdateSet({ suppressionThreshold: threshold, updatedBy: actor.id, updatedAt: new Date() }))
          .execute()
        await audit.record(trx, { partnershipId: actor.partnershipId, userId: actor.id, action: 'insight:set-threshold', recordType: 'partnership', recordId: actor.partnershipId, outcome: 'ALLOWED', requestId, detail: { threshold } })
      })
    },
  }
}
export type InsightSettings = ReturnType<typeof insightSettings>
