import type { Act } from '../../platform/access/authorise.js'
import { can } from '../../platform/access/policy.js'
import { asChild } from './child-access.service.js'
import { childrenRepository } from './children.repository.js'

/**
 * The names of other children (a harmed child linked to the case's child), for someone already
 * reading a case: a name only where the person may read that child, each sight audited as
 * `child:read-as-linked`; null for the rest. Inside the caller's read, so one transaction.
 */
export async function linkedChildNames(
  act: Act,
  childIds: readonly string[],
  seenFrom: { childId: string; caseId?: string },
): Promise<Map<string, string | null>> {
  const repo = childrenRepository()
  const names = new Map<string, string | null>()
  for (const id of childIds) {
    const child = await repo.findForAccess(act.trx, id, act.user)
    const readable = !!child && can(act.user, 'child:read', asChild(child))
    if (readable) {
      await act.record({
        action: 'child:read-as-linked',
        recordType: 'child',
        recordId: id,
        detail: { linkedFrom: seenFrom.childId, ...(seenFrom.caseId ? { caseId: seenFrom.caseId } : {}) },
      })
    }
    names.set(id, readable ? `${child.givenNames} ${child.familyName}` : null)
  }
  return names
}
