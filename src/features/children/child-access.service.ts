import type { Act, AccessGuard } from '../../platform/access/authorise.js'
import { can, type ChildAction, type ChildResource } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Db } from '../../platform/db/transaction.js'
import { childrenRepository, type ChildAccess, type ChildForAccess, type ChildrenRepository } from './children.repository.js'

export type ChildrenDeps = {
  access: AccessGuard
  repo: ChildrenRepository
  db: Db
  audit: AuditRepository
  /** Searches one person may run in any SEARCH_WINDOW_MINUTES (the partnership's setting; SEARCHES_PER_WINDOW by default). */
  searchesPerWindow?: number
}

/** Just what the access policy looks at (a link row has its own `kind`, so no spreading). */
export function asChild(a: ChildAccess): ChildResource {
  return {
    kind: 'child',
    partnershipId: a.partnershipId,
    relationship: a.relationship,
    isRestricted: a.isRestricted,
    isNamedOnRestriction: a.isNamedOnRestriction,
  }
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
 * Every read of a child's record goes through `withChild` (the access guard's `open`): one
 * transaction finds the child with the person's relationship to them, asks the access policy,
 * writes the audit row (allowed with the read; denied on its own) and only then reads what the
 * page needs. If the audit row cannot be written, the transaction fails and no data is served.
 */
export function childAccess({ access, repo = childrenRepository() }: { access: AccessGuard; repo?: ChildrenRepository }) {
  return async function withChild<T>(
    user: CurrentUser,
    childId: string,
    action: ChildAction,
    requestId: string,
    read: (act: Act, child: ChildForAccess) => Promise<T>,
    /** The audit entry's action when it is not the policy's (opening a form is not doing the thing). */
    { auditAs = action }: { auditAs?: string } = {},
  ): Promise<T> {
    return access.open(
      user,
      requestId,
      {
        find: (trx) => repo.findForAccess(trx, childId, user),
        allowed: (child) => can(user, action, asChild(child)),
        subject: (child) => ({ action: auditAs, recordType: 'child', recordId: child.id, detail: { relationship: child.relationship } }),
        denied:
          action === 'child:refer'
            ? 'You cannot raise a request for support about this child. Ask the HSB lead.'
            : 'You do not have access to this child’s record.',
      },
      read,
    )
  }
}
export type WithChild = ReturnType<typeof childAccess>
