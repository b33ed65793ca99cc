import { can, readsOnlyThroughBreakGlass } from '../../platform/access/policy.js'
import type { RecordHistoryRow } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction } from '../../platform/db/transaction.js'
import { asChild, childAccess, type ChildrenDeps } from './child-access.service.js'
import type { ChildCase, ChildForAccess, Involvement, OpenBreakGlass } from './children.repository.js'
import { findOrCreate } from './find-or-create.service.js'
import type { LinkKind } from './links.rules.js'
import { linking } from './links.service.js'

/** A linked child as the viewer may see them: the name and id only if they may read that child. */
export type LinkedChild = { kind: LinkKind; isFrom: boolean; child: { id: string; givenNames: string; familyName: string } | null }

export type ChildView = {
  child: ChildForAccess
  involvements: Involvement[]
  cases: ChildCase[]
  links: LinkedChild[]
  canViewHistory: boolean
  canRefer: boolean
  /** May restrict the record, change who is named or lift it (issue 18). */
  canRestrict: boolean
  /** When the person reads this record only through break-glass: when that ends. */
  breakGlassUntil: Date | null
}
export type AccessHistoryView = { child: ChildForAccess; entries: RecordHistoryRow[]; total: number; openBreakGlass: OpenBreakGlass[] }

/**
 * The child's record: reading it, finding a child before creating one, creating the record,
 * and linking children. Every read goes through `withChild` (child-access.service.ts).
 */
export function childrenService(deps: ChildrenDeps) {
  const { repo } = deps
  const withChild = childAccess(deps)

  return {
    /**
     * The record page in a fixed number of statements, however many cases and links: the child
     * with access, its audit row, involvements, cases, links (with the viewer's relationship to
     * each linked child, worked out in the same statement), and one audit statement for the
     * linked children whose names are shown.
     */
    async viewChild(user: CurrentUser, childId: string, requestId: string): Promise<ChildView> {
      return withChild(user, childId, 'child:read', requestId, async ({ trx, recordAll }, child) => {
        const involvements = await repo.listInvolvements(trx, child.id)
        const cases = await repo.listCases(trx, child.id)
        const linkRows = await repo.listLinks(trx, child.id, user)
        const links: LinkedChild[] = linkRows.map((l) => ({
          kind: l.kind,
          isFrom: l.isFrom,
          child: can(user, 'child:read', asChild(l)) ? { id: l.otherChildId, givenNames: l.givenNames, familyName: l.familyName } : null,
        }))
        const shown = new Map(linkRows.filter((_, i) => links[i]?.child).map((l) => [l.otherChildId, l.relationship]))
        await recordAll(
          [...shown].map(([id, relationship]) => ({
            action: 'child:read-as-linked',
            recordType: 'child',
            recordId: id,
            detail: { linkedFrom: child.id, relationship },
          })),
        )
        const resource = asChild(child)
        return {
          child,
          involvements,
          cases,
          links,
          canViewHistory: can(user, 'child:view-record-history', resource),
          canRefer: can(user, 'child:refer', resource),
          canRestrict: can(user, 'child:restrict', resource),
          breakGlassUntil: readsOnlyThroughBreakGlass(user, resource) ? child.breakGlassUntil : null,
        }
      })
    },

    async viewAccessHistory(user: CurrentUser, childId: string, requestId: string): Promise<AccessHistoryView> {
      return withChild(user, childId, 'child:view-record-history', requestId, async ({ trx }, child) => {
        // The child's record, and their cases and meetings: every page that shows this child.
        const { entries, total } = await repo.listAccessHistory(trx, child.id)
        // Break-glass openings still running, for whoever reviews who has seen the record (issue 18).
        const openBreakGlass = await repo.listOpenBreakGlass(trx, child.id)
        return { child, entries, total, openBreakGlass }
      })
    },

    /**
     * Set-up only (the demo seed): restricts a child's record to the people named. Restricting
     * from a page, with a reason and its history, is not built yet.
     */
    async restrictForSetUp(
      by: { system: true; partnershipId: string; actorId: string },
      childId: string,
      named: readonly string[],
      requestId: string | null = null,
    ): Promise<void> {
      await transaction(deps.db, { partnershipId: by.partnershipId }, async (trx) => {
        await repo.restrict(trx, childId)
        for (const userId of named) await repo.grantRestrictedAccess(trx, by.partnershipId, childId, userId)
        await deps.audit.allowed(
          trx,
          { id: by.actorId, partnershipId: by.partnershipId },
          { action: 'child:restrict', recordType: 'child', recordId: childId, detail: { named: named.length } },
          requestId,
        )
      })
    },

    ...findOrCreate(deps),
    ...linking(deps, withChild),
  }
}
export type ChildrenService = ReturnType<typeof childrenService>
