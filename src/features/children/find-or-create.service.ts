import type { Act } from '../../platform/access/authorise.js'
import { can, readsChildWhenNamed } from '../../platform/access/policy.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM, fieldError, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError } from '../../platform/http/errors.js'
import type { MatchStrength } from './identifiers.rules.js'
import { asChild, retryOnUniqueViolation, type ChildrenDeps } from './child-access.service.js'
import type { NewChildCommand } from './children.form.js'
import {
  SEARCHES_PER_WINDOW,
  SEARCH_WINDOW_MINUTES,
  duplicateIdentifiers,
  IDENTIFIER_FIELDS,
  isExactMatch,
  needsConfirmation,
  rankMatches,
  type ChildQuery,
} from './matches.rules.js'

/**
 * A possible match as a person sees it. A record the person cannot open is withheld (neither who
 * it is nor why it matched, only that a record may exist) unless what they typed identifies it
 * exactly (isExactMatch) or they are named on it (a referrer who created it, or raised a request);
 * a restricted record they are not named on, so matched, shows only that it exists and why it
 * matched: no name, no date of birth.
 */
export type ShownMatch = {
  id: string
  strength: MatchStrength
  reasons: string[]
  /** Not shown at all: the page says only that a record may already exist. */
  withheld: boolean
  /** The identifiers this record shares with what was typed, withheld or not: a second record with them is refused. */
  sameIdentifiers: string[]
  isHidden: boolean
  /** The person may open the record (the policy, with their relationship to this child). */
  canRead: boolean
  givenNames: string | null
  familyName: string | null
  dateOfBirth: string | null
}

/** A search's matches, or a refusal because the person searched too often (audited). */
export type SearchResult = { limited: false; query: ChildQuery; matches: ShownMatch[] } | { limited: true }

export type CreateResult =
  /** `opensRecord`: whether the person may now open the record (a referrer goes on to the request for support instead). */
  | { ok: true; childId: string; name: string; opensRecord: boolean }
  | { ok: false; errors: FieldError[]; matches: ShownMatch[]; askToConfirm: boolean; limited?: boolean }

/** Said, with a 429, to someone who has searched (or tried to create records) too often. */
export const TOO_MANY_SEARCHES = 'You have searched too many times. Wait a few minutes and try again.'

/** The possible matches for a query, scored, explained and cut down to what this person may see. */
export async function findMatches(deps: ChildrenDeps, trx: Trx, user: CurrentUser, query: ChildQuery): Promise<ShownMatch[]> {
  const candidates = await deps.repo.findCandidates(trx, user.partnershipId, query, user)
  return rankMatches(candidates, query).map((m) => {
    // The same decision as opening the record (withChild): the policy, on the same standing.
    const canRead = can(user, 'child:read', asChild(m))
    // Someone named on the child (they created the record or raised a request) knows who it is.
    const knows = canRead || can(user, 'child:view-own-request', asChild(m))
    const withheld = !knows && !isExactMatch(m, query)
    const isHidden = withheld || (m.isRestricted && !m.isNamedOnRestriction)
    return {
      id: m.id,
      strength: m.strength,
      reasons: withheld ? [] : m.reasons,
      withheld,
      sameIdentifiers: m.reasons.filter((r) => r in IDENTIFIER_FIELDS),
      isHidden,
      canRead,
      givenNames: isHidden ? null : m.givenNames,
      familyName: isHidden ? null : m.familyName,
      dateOfBirth: isHidden ? null : m.dateOfBirth,
    }
  })
}

/**
 * Each match is a disclosure, or a withheld one: one audit row per child, written in one
 * statement. A withheld match is recorded as such (the child was matched; nothing of them was shown).
 */
export async function auditMatchesShown(act: Act, matches: ShownMatch[], purpose: string) {
  await act.recordAll(
    matches.map((m): AuditSubject =>
      m.withheld
        ? { action: 'child:match-withheld', recordType: 'child', recordId: m.id, detail: { purpose, strength: m.strength } }
        : {
            action: 'child:match-shown',
            recordType: 'child',
            recordId: m.id,
            detail: { purpose, strength: m.strength, nameShown: !m.isHidden },
          },
    ),
  )
}

/**
 * Whether this person has run SEARCHES_PER_WINDOW searches in the last SEARCH_WINDOW_MINUTES
 * (counted in the database, so across every process). If so, the refusal is audited with the
 * rest of the request and the caller shows the form again with a 429.
 */
export async function searchLimitReached(deps: ChildrenDeps, act: Act, detail: AuditDetail): Promise<boolean> {
  const recent = await deps.repo.searchesInWindow(act.trx, act.user.id, SEARCH_WINDOW_MINUTES)
  if (recent < (deps.searchesPerWindow ?? SEARCHES_PER_WINDOW)) return false
  await act.record(
    { action: 'child:search', recordType: 'child-search', recordId: null, detail: { ...detail, refused: 'too-many' } },
    false,
  )
  return true
}

/** Finding a child before creating one, and creating the record once. */
export function findOrCreate(deps: ChildrenDeps) {
  const { access, repo } = deps
  const FIND = { action: 'child:find-or-create', recordType: 'child-search', recordId: null } as const

  return {
    /** Runs the match and audits the search (counts only) and each match, shown or withheld; refuses a person searching too often. */
    async searchChildren(user: CurrentUser, query: ChildQuery, requestId: string): Promise<SearchResult> {
      return access.run(user, requestId, async (act): Promise<SearchResult> => {
        act.authorise('child:find-or-create', FIND)
        const identifiers = [query.nhsNumber, query.upn, query.localCaseId].filter(Boolean).length
        if (await searchLimitReached(deps, act, { identifiers })) return { limited: true }
        const matches = await findMatches(deps, act.trx, user, query)
        const withheld = matches.filter((m) => m.withheld).length
        await act.record({
          action: 'child:search',
          recordType: 'child-search',
          recordId: null,
          detail: { matches: matches.length - withheld, withheld, identifiers },
        })
        await auditMatchesShown(act, matches, 'search')
        return { limited: false, query, matches }
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
            return { ok: true, childId: earlier.id, name, opensRecord: readsChildWhenNamed(user) }
          }
          const earlier = await sameSubmit()
          if (earlier) return earlier
          // Creating runs the same match as a search, and shows what it finds: it counts towards the same limit.
          if (await searchLimitReached(deps, act, { purpose: 'create' }))
            return { ok: false, errors: [fieldError('given-names', TOO_MANY_SEARCHES)], matches: [], askToConfirm: false, limited: true }
          const matches = await findMatches(deps, trx, user, command)
          const duplicates = duplicateIdentifiers(matches.map((m) => ({ reasons: m.sameIdentifiers })))
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
            const withheld = matches.filter((m) => m.withheld).length
            const counts = { purpose: 'create', matches: matches.length - withheld, withheld }
            await act.record({ action: 'child:search', recordType: 'child-search', recordId: null, detail: counts })
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
          return { ok: true, childId, name, opensRecord: readsChildWhenNamed(user) }
        }),
      )
    },
  }
}
