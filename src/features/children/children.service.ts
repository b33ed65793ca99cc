import { can, type ChildAction } from '../../platform/access/policy.js'
import type { AuditRepository, RecordHistoryRow } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { ChildForAccess, ChildrenRepository, Involvement } from './children.repository.js'

type Deps = { db: Db; repo: ChildrenRepository; audit: AuditRepository }

export type ChildView = { child: ChildForAccess; involvements: Involvement[] }
export type AccessHistoryView = { child: ChildForAccess; entries: RecordHistoryRow[]; total: number }

/**
 * Every read of a child goes through `withChild`: one transaction finds the child, asks the
 * access policy, writes the audit row (allowed or denied) and only then reads what the page needs.
 * If the audit row cannot be written, the transaction fails and no data is served.
 */
export function childrenService({ db, repo, audit }: Deps) {
  async function withChild<T>(
    user: CurrentUser,
    childId: string,
    action: ChildAction,
    requestId: string,
    read: (trx: Trx, child: ChildForAccess) => Promise<T>,
  ): Promise<T> {
    const outcome = await transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
      const child = await repo.findForAccess(trx, childId, user)
      if (!child) return { kind: 'not-found' as const }
      const allowed = can(user, action, { kind: 'child', ...child })
      await audit.record(trx, {
        partnershipId: user.partnershipId,
        userId: user.id,
        action,
        recordType: 'child',
        recordId: child.id,
        outcome: allowed ? 'ALLOWED' : 'DENIED',
        requestId,
        detail: { relationship: child.relationship },
      })
      if (!allowed) return { kind: 'denied' as const }
      return { kind: 'ok' as const, value: await read(trx, child) }
    })
    if (outcome.kind === 'not-found') throw new NotFoundError()
    if (outcome.kind === 'denied') throw new ForbiddenError('You do not have access to this child’s record.')
    return outcome.value
  }

  return {
    async viewChild(user: CurrentUser, childId: string, requestId: string): Promise<ChildView> {
      return withChild(user, childId, 'child:read', requestId, async (trx, child) => ({
        child,
        involvements: await repo.listInvolvements(trx, child.id),
      }))
    },

    async viewAccessHistory(user: CurrentUser, childId: string, requestId: string): Promise<AccessHistoryView> {
      return withChild(user, childId, 'child:view-record-history', requestId, async (trx, child) => {
        const [entries, total] = [
          await audit.listForRecord(trx, 'child', child.id),
          await audit.countForRecord(trx, 'child', child.id),
        ]
        return { child, entries, total }
      })
    },
  }
}
export type ChildrenService = ReturnType<typeof childrenService>
