import type { Actor } from '../access/policy.js'
import { transaction, type Db } from '../db/transaction.js'
import type { AuditRepository } from './audit.repository.js'

/** Records refusals decided by role alone (before any record is read), e.g. a board member opening admin pages. */
export function accessLogService({ db, audit }: { db: Db; audit: AuditRepository }) {
  return {
    async recordRouteDenied(actor: Actor, action: string, route: string, requestId: string): Promise<void> {
      await transaction(db, { partnershipId: actor.partnershipId }, (trx) =>
        audit.denied(trx, actor, { action, recordType: 'route', recordId: route }, requestId),
      )
    },
  }
}
