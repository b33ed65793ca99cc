import type { Act } from '../../platform/access/authorise.js'
import { can, readsChildWhenNamed } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError } from '../../platform/http/errors.js'
import type { CaseKernel, Involvement } from '../cases/index.js'
import { asChild, type ChildForAccess, type WithChild } from '../children/index.js'
import { checkReceivedAgainstBirth, type Parsed, type RequestForSupportCommand } from './request-for-support.form.js'
import type { ReferralsRepository } from './referrals.repository.js'

type Deps = { db: Db; cases: CaseKernel; withChild: WithChild; repo: ReferralsRepository }

/**
 * All the form shows of the child: their name and date of birth only to someone who may open the
 * child's record; someone who may refer but not open it (they found the child in a search) sees neither.
 */
export type ReferralChild = { id: string; shown: { name: string; dateOfBirth: string } | null }

/** Opening the form is audited as that, not as raising a request (`child:refer`, when it is sent). */
const REQUEST_FORM_OPENED = 'child:view-request-form'

/** Sent: the case, and whether the person may open it (someone working with the child) or follows it as its referrer. */
export type RequestResult =
  { ok: true; caseId: string; existing: boolean; opensCase: boolean } | { ok: false; errors: FieldError[]; child: ReferralChild }

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505'

const dateOfBirth = (child: ChildForAccess) => child.dateOfBirth.toISOString().slice(0, 10)

/**
 * The child's name and date of birth, to someone who may open the record or who is named on it
 * (they created the record or raised a request about the child: they know who it is).
 */
function shown(user: CurrentUser, child: ChildForAccess): ReferralChild {
  const knows = can(user, 'child:read', asChild(child)) || can(user, 'child:view-own-request', asChild(child))
  if (!knows) return { id: child.id, shown: null }
  return { id: child.id, shown: { name: `${child.givenNames} ${child.familyName}`, dateOfBirth: dateOfBirth(child) } }
}

/**
 * Raising a request for support about a child. Anyone in a practitioner role may, whether or not
 * they can open the child's record (they become involved by referring); a restricted record
 * only by the people named on it (the access policy's `child:refer`, through the children
 * feature's one way to open a child). Opening the case, the request, and who becomes involved
 * (the referrer; the front door, or on the open-case route the team already allocated, until the
 * case is allocated) commit together. The form itself shows the child's name and date of birth
 * only to someone who may open the child's record.
 */
export function requestForSupportService({ db, cases, withChild, repo }: Deps) {
  /** Who screens: on the open-case route the team allocated to the child, otherwise (or if none) the front door. */
  async function screeners(trx: Trx, user: CurrentUser, childId: string, route: RequestForSupportCommand['route']): Promise<Involvement[]> {
    const allocated = route === 'OPEN_CASE' ? await repo.allocatedTeamOfChild(trx, childId) : undefined
    const teams = allocated ? [{ id: allocated.teamId, agencyId: allocated.agencyId }] : await repo.frontDoorTeams(trx, user.partnershipId)
    return teams.map((team) => ({ agencyId: team.agencyId, teamId: team.id }))
  }

  async function existingRequest(trx: Trx, user: CurrentUser, key: string): Promise<string | null> {
    const found = await repo.findRequestByKey(trx, key)
    if (!found) return null
    // A key is the referrer's own: someone else's is a mangled form, not a way to another case.
    if (found.referrerId !== user.id) throw new BadRequestError(INCOMPLETE_FORM)
    return found.caseId
  }

  async function send(act: Act, child: ChildForAccess, parsed: Parsed<RequestForSupportCommand>): Promise<RequestResult> {
    const { trx, user } = act
    if (!parsed.ok && parsed.incomplete) throw new BadRequestError(INCOMPLETE_FORM)
    const seen = shown(user, child)
    if (!parsed.ok) return { ok: false, errors: parsed.errors, child: seen }
    const command = parsed.value
    // Checked against the date of birth only for someone who may see it (the error would tell it).
    const errors = seen.shown ? checkReceivedAgainstBirth(command, seen.shown.dateOfBirth) : []
    if (errors.length) return { ok: false, errors, child: seen }
    const opensCase = readsChildWhenNamed(user)
    const existing = await existingRequest(trx, user, command.idempotencyKey)
    if (existing) return { ok: true, caseId: existing, existing: true, opensCase }

    // The referrer stays involved; who screens is involved until the case is allocated (routing.service).
    const { caseId, involvementIds } = await cases.open(act, {
      childId: child.id,
      route: command.route,
      referralReceivedAt: command.receivedAt,
      involved: [{ agencyId: user.agencyId, userId: user.id }],
      untilEnded: await screeners(trx, user, child.id, command.route),
    })
    await repo.insertScreeningInvolvements(trx, user.partnershipId, caseId, involvementIds)
    await repo.insertRequest(trx, {
      partnershipId: user.partnershipId,
      caseId,
      referrerId: user.id,
      referrerAgencyId: user.agencyId,
      receivedAt: command.receivedAt,
      whatHappened: command.whatHappened,
      contexts: command.contexts,
      otherChildren: command.otherChildren,
      sharingBasis: command.sharingBasis,
      consentSought: command.consentSought,
      sharingNote: command.sharingNote,
      idempotencyKey: command.idempotencyKey,
    })
    return { ok: true, caseId, existing: false, opensCase }
  }

  return {
    /**
     * The form: refused (403, audited) unless the person may refer this child, before anything of
     * the child is read; audited as opening the form, not as raising a request.
     */
    async viewRequestForm(user: CurrentUser, childId: string, requestId: string): Promise<ReferralChild> {
      return withChild(user, childId, 'child:refer', requestId, async (_act, child) => shown(user, child), { auditAs: REQUEST_FORM_OPENED })
    },

    /** A double-clicked submit carries the same key: the second finds the first's case. */
    async submitRequest(
      user: CurrentUser,
      childId: string,
      parsed: Parsed<RequestForSupportCommand>,
      requestId: string,
    ): Promise<RequestResult> {
      try {
        return await withChild(user, childId, 'child:refer', requestId, (act, child) => send(act, child, parsed))
      } catch (err) {
        // Two submits at the same moment (PostgreSQL): the loser's insert breaks the key's uniqueness.
        if (!isUniqueViolation(err) || !parsed.ok) throw err
        const caseId = await transaction(db, { partnershipId: user.partnershipId }, (trx) =>
          existingRequest(trx, user, parsed.value.idempotencyKey),
        )
        if (!caseId) throw err
        return { ok: true, caseId, existing: true, opensCase: readsChildWhenNamed(user) }
      }
    },
  }
}
export type RequestForSupportService = ReturnType<typeof requestForSupportService>
