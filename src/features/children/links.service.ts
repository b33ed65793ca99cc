import { can } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Act } from '../../platform/access/authorise.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { asChild, retryOnUniqueViolation, type ChildrenDeps, type WithChild } from './child-access.service.js'
import type { LinkSearch } from './children.form.js'
import type { ChildForAccess } from './children.repository.js'
import { auditMatchesShown, findMatches, searchLimitReached, type ShownMatch } from './find-or-create.service.js'
import type { LinkKind } from './links.rules.js'
import type { ChildQuery } from './matches.rules.js'

export type LinkFormView = {
  child: ChildForAccess
  errors?: FieldError[]
  /** Set once the person has looked for the other child. */
  matches?: ShownMatch[]
  /** The person has searched too often: nothing was looked for (audited). */
  limited?: boolean
}

export type LinkCommand = { kind: LinkKind; query: ChildQuery; linkedChildId: string | null }
export type LinkResult = { ok: true; child: ChildForAccess; alreadyLinked: boolean } | ({ ok: false } & LinkFormView)

type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

/**
 * Linking two children (harmed child, sibling, peer, other). Only someone who may read both
 * children can link them here, and only children they may read are offered.
 */
export function linking(deps: ChildrenDeps, withChild: WithChild) {
  const { repo } = deps

  /**
   * Matches for the other child: never this child, and only records the person may open (any
   * other match is neither shown nor recorded as shown). Undefined when the person has searched
   * too often (searchLimitReached audits the refusal).
   */
  async function linkableMatches(act: Act, child: ChildForAccess, query: ChildQuery): Promise<ShownMatch[] | undefined> {
    if (await searchLimitReached(deps, act, { purpose: 'link', childId: child.id })) return undefined
    const matches = (await findMatches(deps, act.trx, act.user, query)).filter((m) => m.id !== child.id && m.canRead)
    await act.record({
      action: 'child:search',
      recordType: 'child-search',
      recordId: null,
      detail: { purpose: 'link', childId: child.id, matches: matches.length },
    })
    await auditMatchesShown(act, matches, 'link')
    return matches
  }

  /** The form again after a search: its matches, or that the person searched too often. */
  const searched = (matches: ShownMatch[] | undefined) => (matches ? { matches } : { limited: true })

  return {
    async viewLinkForm(user: CurrentUser, childId: string, requestId: string): Promise<LinkFormView> {
      return withChild(user, childId, 'child:read', requestId, async (_act, child) => ({ child }), { writes: true })
    },

    /** Access to the first child is decided before the form is looked at. */
    async findLinkCandidates(user: CurrentUser, childId: string, search: Parsed<LinkSearch>, requestId: string): Promise<LinkFormView> {
      return withChild(
        user,
        childId,
        'child:read',
        requestId,
        async (act, child) => {
          if (!search.ok) return { child, errors: search.errors }
          return { child, ...searched(await linkableMatches(act, child, search.value.query)) }
        },
        { writes: true },
      )
    },

    /**
     * Stores the link once: the same link made again (a double click) is not an error. The other
     * child is checked with the policy here too, whatever the form offered. Linking writes, so
     * break-glass opens neither child to it (ADR 0010: read only).
     */
    async linkChildren(user: CurrentUser, childId: string, command: LinkCommand, requestId: string): Promise<LinkResult> {
      return retryOnUniqueViolation(() =>
        withChild(
          user,
          childId,
          'child:read',
          requestId,
          async (act, child): Promise<LinkResult> => {
            const { trx } = act
            const refuse = async (text: string): Promise<LinkResult> => ({
              ok: false,
              child,
              errors: [{ href: '#linked-child-id', text }],
              ...searched(await linkableMatches(act, child, command.query)),
            })
            if (!command.linkedChildId) return refuse('Select the child to link, or search again')
            const other = await repo.findForAccess(trx, command.linkedChildId, user)
            // Read by the person's own relationship: break-glass opens the other child to read, not to link.
            const allowed = !!other && other.id !== child.id && can(user, 'child:read', { ...asChild(other), breakGlass: false })
            if (other) {
              await act.record(
                {
                  action: 'child:link',
                  recordType: 'child',
                  recordId: other.id,
                  detail: { linkedFrom: child.id, kind: command.kind, relationship: other.relationship },
                },
                allowed,
              )
            }
            if (!other || !allowed) return refuse('Select a child from the list')
            // Sibling, peer and other read the same both ways; a harmed child link has a direction.
            const alreadyLinked = await repo.hasLink(trx, child.id, other.id, command.kind, command.kind !== 'HARMED_CHILD')
            if (!alreadyLinked) {
              await repo.insertLink(trx, {
                partnershipId: user.partnershipId,
                childId: child.id,
                linkedChildId: other.id,
                kind: command.kind,
                createdBy: user.id,
              })
            }
            await act.record({
              action: 'child:link',
              recordType: 'child',
              recordId: child.id,
              detail: { linkedChildId: other.id, kind: command.kind, alreadyLinked },
            })
            return { ok: true, child, alreadyLinked }
          },
          { writes: true },
        ),
      )
    },
  }
}
