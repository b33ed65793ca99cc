import { can, type ChildAction, type ChildResource } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { ChildAccess, ChildForAccess, ChildrenRepository } from './children.repository.js'

export type ChildrenDeps = { db: Db; repo: ChildrenRepository; audit: AuditRepository }

/** Just what the access policy looks at (a link row has its own `kind`, so no spreading). */
export function asChild(a: ChildAccess): ChildResource {
  return { kind: 'child', partnershipId: a.partnershipId, relationship: a.relationship, isRestricted: a.isRestricted, isNamedOnRestriction: a.isNamedOnRestriction }
}

/** Runs `fn` once more if it failed on a unique constraint: the retry finds what the other request made. */
export async function retryOnUniqueViolation<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if ((err as { code?: unknown }).code !== '23505') throw err
    return fn()
  }
}

/**
 * Every read of a child goes through `withChild`: one transaction finds the child, asks the
 * access policy, writes the audit row (allowed or denied) and only then reads what the page needs.
 * If the audit row cannot be written, the transaction fails and no data is served.
 */
export function childAccess({ db, repo, audit }: ChildrenDeps) {
  return async function withChild<T>(
    user: CurrentUser,
    childId: string,
    action: ChildAction,
    requestId: string,
    read: (trx: Trx, child: ChildForAccess) => Promise<T>,
  ): Promise<T> {
    const outcome = await transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
      const child = await repo.findForAccess(trx, childId, user)
      if (!child) return { kind: 'not-found' as const }
      const allowed = can(user, action, asChild(child))
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
}
export type WithChild = ReturnType<typeof childAccess>
