import type { Act, AccessGuard } from '../../platform/access/authorise.js'
import { BREAK_GLASS_READ_ONLY, BREAK_GLASS_REFUSED, offerBreakGlass, offersBreakGlass } from '../../platform/access/break-glass.js'
import { ForbiddenError } from '../../platform/http/errors.js'
import { can, readsOnlyThroughBreakGlass, type ChildAction, type ChildResource } from '../../platform/access/policy.js'
import { privacyAlerts, type PrivacyAlerts } from '../../platform/access/privacy-alerts.js'
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
  /** Raises the privacy officer's alerts on a read (issue 18); the default threshold when not given. */
  alerts?: PrivacyAlerts
}

/** Just what the access policy looks at (a link row has its own `kind`, so no spreading). */
export function asChild(a: ChildAccess): ChildResource {
  return {
    kind: 'child',
    partnershipId: a.partnershipId,
    relationship: a.relationship,
    isRestricted: a.isRestricted,
    isNamedOnRestriction: a.isNamedOnRestriction,
    breakGlass: a.breakGlass,
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

/** How `withChild` opens the record for this work. */
export type WithChildOptions = {
  /** The audit entry's action when it is not the policy's (opening a form is not doing the thing). */
  auditAs?: string
  /**
   * The work changes something (a link, a restriction, a request) or opens a form that would:
   * refused (403, audited, BREAK_GLASS_READ_ONLY) to someone who reads the record only through
   * break-glass, which opens a record to read, nothing more (ADR 0010).
   */
  writes?: boolean
}

/**
 * Every read of a child's record goes through `withChild` (the access guard's `open`): one
 * transaction finds the child with the person's relationship to them, asks the access policy,
 * writes the audit row (allowed with the read; denied on its own) and only then reads what the
 * page needs. If the audit row cannot be written, the transaction fails and no data is served.
 * Work that writes says so (`writes: true`): break-glass never opens it.
 */
export function childAccess({
  access,
  repo = childrenRepository(),
  alerts = privacyAlerts(),
}: {
  access: AccessGuard
  repo?: ChildrenRepository
  alerts?: PrivacyAlerts
}) {
  return async function withChild<T>(
    user: CurrentUser,
    childId: string,
    action: ChildAction,
    requestId: string,
    read: (act: Act, child: ChildForAccess) => Promise<T>,
    { auditAs = action, writes = false }: WithChildOptions = {},
  ): Promise<T> {
    // Refused the record, someone who may break glass is offered it (issue 18), whether or not
    // the record is restricted: offering it only on others would say which records are. The
    // break-glass form refuses a restricted record in words that do not say so.
    let refusedChildId: string | null = null
    const opened = access.open(
      user,
      requestId,
      {
        find: (trx) => repo.findForAccess(trx, childId, user),
        allowed: (child) => {
          const allowed = can(user, action, asChild(child))
          if (!allowed && action === 'child:read' && !writes && offersBreakGlass(user, asChild(child))) refusedChildId = child.id
          return allowed
        },
        subject: (child) => ({ action: auditAs, recordType: 'child', recordId: child.id, detail: { relationship: child.relationship } }),
        denied:
          action === 'child:refer'
            ? 'You cannot raise a request for support about this child. Ask the HSB lead.'
            : action === 'child:break-glass'
              ? BREAK_GLASS_REFUSED
              : 'You do not have access to this child’s record.',
      },
      async (act, child) => {
        // Break-glass opens the record to read: work that writes is refused, audited as what was tried.
        if (writes && readsOnlyThroughBreakGlass(user, asChild(child)))
          act.refuse(new ForbiddenError(BREAK_GLASS_READ_ONLY), {
            action: auditAs,
            recordType: 'child',
            recordId: child.id,
            detail: { relationship: child.relationship, reason: 'break-glass' },
          })
        // The one place a child's record read raises its privacy alerts (break-glass, restricted, volume).
        if (action === 'child:read')
          await alerts.onRead(act.trx, user, requestId, {
            childId: child.id,
            isRestricted: child.isRestricted,
            viaBreakGlass: readsOnlyThroughBreakGlass(user, asChild(child)),
          })
        return read(act, child)
      },
    )
    return offerBreakGlass(() => refusedChildId, opened)
  }
}
export type WithChild = ReturnType<typeof childAccess>
