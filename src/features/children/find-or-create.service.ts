import type { Act } from '../../platform/access/authorise.js'
import { can } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM, fieldError, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError } from '../../platform/http/errors.js'
import type { MatchStrength } from './identifiers.rules.js'
import { asChild, retryOnUniqueViolation, type ChildrenDeps } from './child-access.service.js'
import type { NewChildCommand } from './children.form.js'
import { duplicateIdentifiers, needsConfirmation, rankMatches, type ChildQuery } from './matches.rules.js'

/**
 * A possible match as a person sees it. A restricted record they are not named on shows only
 * that it exists and why it matched: no name, no date of birth.
 */
export type ShownMatch = {
  id: string
  strength: MatchStrength
  reasons: string[]
  isHidden: boolean
  /** The person may open the record (the policy, with their relationship to this child). */
  canRead: boolean
  givenNames: string | null
  familyName: string | null
  dateOfBirth: string | null
}

export type SearchResult = { query: ChildQuery; matches: ShownMatch[] }

export type CreateResult =
  { ok: true; childId: string; name: string } | { ok: false; errors: FieldError[]; matches: ShownMatch[]; askToConfirm: boolean }

/** The possible matches for a query, scored, explained and cut down to what this person may see. */
export async function findMatches(deps: ChildrenDeps, trx: Trx, user: CurrentUser, query: ChildQuery): Promise<ShownMatch[]> {
  const candidates = await deps.repo.findCandidates(trx, user.partnershipId, query, user)
  return rankMatches(candidates, query).map((m) => {
    const isHidden = m.isRestricted && !m.isNamedOnRestriction
    return {
      id: m.id,
      strength: m.strength,
      reasons: m.reasons,
      isHidden,
      canRead: can(user, 'child:read', asChild(m)),
      givenNames: isHidden ? null : m.givenNames,
      familyName: isHidden ? null : m.familyName,
      dateOfBirth: isHidden ? null : m.dateOfBirth,
    }
  })
}

/** Each match shown is a disclosure: one audit row per child, written in one statement. */
export async function auditMatchesShown(act: Act, matches: ShownMatch[], purpose: string) {
  await act.recordAll(
    matches.map((m) => ({
      action: 'child:match-shown',
      recordType: 'child',
      recordId: m.id,
      detail: { purpose, strength: m.strength, nameShown: !m.isHidden },
    })),
  )
}

/** Finding a child before creating one, and creating the record once. */
export function findOrCreate(deps: ChildrenDeps) {
  const { access, repo } = deps
  const FIND = { action: 'child:find-or-create', recordType: 'child-search', recordId: null } as const

  return {
    /** Runs the match and audits the search (counts only) and each match shown. */
    async searchChildren(user: CurrentUser, query: ChildQuery, requestId: string): Promise<SearchResult> {
      return access.run(user, requestId, async (act) => {
        act.authorise('child:find-or-create', FIND)
        const matches = await findMatches(deps, act.trx, user, query)
        await act.record({
          action: 'child:search',
          recordType: 'child-search',
          recordId: null,
          detail: { matches: matches.length, identifiers: [query.nhsNumber, query.upn, query.localCaseId].filter(Boolean).length },
        })
        await auditMatchesShown(act, matches, 'search')
        return { query, matches }
      })
    },

    /**
     * Creates the child's record, unless: the same form was submitted already (the first record
     * is returned); an existing record has the same identifier (refused); or a record matches
     * strongly on name and date of birth and the person has not confirmed this is a different
     * child. The match runs again inside the transaction that inserts. The creator and their
     * agency become involved, so they can open the record.
     */
    async createChild(user: CurrentUser, command: NewChildCommand, requestId: string): Promise<CreateResult> {
      const name = `${command.givenNames} ${command.familyName}`
      return retryOnUniqueViolation(() =>
        access.run(user, requestId, async (act): Promise<CreateResult> => {
          act.authorise('child:find-or-create', FIND)
          const { trx } = act
          const sameSubmit = async (): Promise<CreateResult | undefined> => {
            const earlier = await repo.findByIdempotencyKey(trx, command.idempotencyKey)
            if (!earlier) return undefined
            if (earlier.createdBy !== user.id) throw new BadRequestError(INCOMPLETE_FORM)
            return { ok: true, childId: earlier.id, name }
          }
          const earlier = await sameSubmit()
          if (earlier) return earlier
          const matches = await findMatches(deps, trx, user, command)
          const duplicates = duplicateIdentifiers(matches)
          const askToConfirm = duplicates.length === 0 && needsConfirmation(matches)
          let errors: FieldError[] = duplicates.map((d) => fieldError(d.field, d.text))
          if (askToConfirm && !command.confirmedDifferent) {
            errors = [fieldError('confirm-different', 'Check the possible matches and confirm this is a different child')]
          }
          if (errors.length) {
            // A double-clicked submit whose twin committed between the two reads above: the
            // "duplicate" is this very form's record (each statement sees the latest commits).
            const twin = await sameSubmit()
            if (twin) return twin
            await auditMatchesShown(act, matches, 'create')
            return { ok: false, errors, matches, askToConfirm }
          }
          const { confirmedDifferent, ...child } = command
          const childId = await repo.insertChild(trx, { ...child, partnershipId: user.partnershipId, createdBy: user.id })
          await repo.insertInvolvement(trx, {
            partnershipId: user.partnershipId,
            childId,
            agencyId: user.agencyId,
            userId: user.id,
            kind: 'INVOLVED',
          })
          await act.record({
            action: 'child:create',
            recordType: 'child',
            recordId: childId,
            detail: { possibleMatches: matches.length, confirmedDifferent: askToConfirm && confirmedDifferent },
          })
          return { ok: true, childId, name }
        }),
      )
    },
  }
}
