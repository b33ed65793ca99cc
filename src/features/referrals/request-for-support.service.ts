import { can } from '../../platform/access/policy.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { BadRequestError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import type { CasesRepository } from '../cases/cases.repository.js'
import { checkReceivedAgainstBirth, type Parsed, type RequestForSupportCommand } from './request-for-support.form.js'
import type { ChildForReferral, ReferralsRepository } from './referrals.repository.js'

type Deps = { db: Db; workflow: CaseWorkflow; audit: AuditRepository; repo: ReferralsRepository; cases: CasesRepository }

/** All a referrer sees of the child: they found the child themselves, so the name and date of birth. */
export type ReferralChild = { id: string; name: string; dateOfBirth: string }

export type RequestResult = { ok: true; caseId: string; existing: boolean } | { ok: false; errors: FieldError[]; child: ReferralChild }

const INCOMPLETE = 'The form was incomplete. Go back, reload the page and try again.'
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505'

function shown(child: ChildForReferral): ReferralChild {
  return { id: child.id, name: `${child.givenNames} ${child.familyName}`, dateOfBirth: child.dateOfBirth.toISOString().slice(0, 10) }
}

/**
 * Raising a request for support about a child. Anyone in a practitioner role may, whether or not
 * they can open the child's record (they become involved by referring); a restricted record
 * only by the people named on it. Opening the case, the request, and who becomes involved (the
 * referrer; the front door, or on the open-case route the team already allocated) commit together.
 */
export function requestForSupportService({ db, workflow, audit, repo, cases }: Deps) {
  /** Loads the child and decides, auditing either way; the refusal's row commits, then 403. */
  async function withReferableChild<T>(user: CurrentUser, childId: string, requestId: string, fn: (trx: Trx, child: ChildForReferral) => Promise<T>): Promise<T> {
    const outcome = await transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
      const child = await repo.findChildForReferral(trx, childId, user)
      if (!child) return { kind: 'not-found' as const }
      const allowed = can(user, 'child:refer', { kind: 'child', ...child })
      await audit.record(trx, {
        partnershipId: user.partnershipId,
        userId: user.id,
        action: 'child:refer',
        recordType: 'child',
        recordId: child.id,
        outcome: allowed ? 'ALLOWED' : 'DENIED',
        requestId,
        detail: { relationship: child.relationship },
      })
      if (!allowed) return { kind: 'denied' as const }
      return { kind: 'ok' as const, value: await fn(trx, child) }
    })
    if (outcome.kind === 'not-found') throw new NotFoundError()
    if (outcome.kind === 'denied') throw new ForbiddenError('You cannot raise a request for support about this child. Ask the HSB lead.')
    return outcome.value
  }

  /** Who screens: on the open-case route the team allocated to the child, otherwise (or if none) the front door. */
  async function involveScreeners(trx: Trx, user: CurrentUser, childId: string, route: RequestForSupportCommand['route']) {
    const allocated = route === 'OPEN_CASE' ? await repo.allocatedTeamOfChild(trx, childId) : undefined
    const teams = allocated ? [{ id: allocated.teamId, agencyId: allocated.agencyId }] : await repo.frontDoorTeams(trx, user.partnershipId)
    for (const team of teams) await cases.addInvolvement(trx, { partnershipId: user.partnershipId, childId, agencyId: team.agencyId, teamId: team.id })
  }

  async function existingRequest(trx: Trx, user: CurrentUser, key: string): Promise<string | null> {
    const found = await repo.findRequestByKey(trx, key)
    if (!found) return null
    // A key is the referrer's own: someone else's is a mangled form, not a way to another case.
    if (found.referrerId !== user.id) throw new BadRequestError(INCOMPLETE)
    return found.caseId
  }

  return {
    async viewRequestForm(user: CurrentUser, childId: string, requestId: string): Promise<ReferralChild> {
      return withReferableChild(user, childId, requestId, async (_trx, child) => shown(child))
    },

    /** A double-clicked submit carries the same key: the second finds the first's case. */
    async submitRequest(user: CurrentUser, childId: string, parsed: Parsed<RequestForSupportCommand>, requestId: string): Promise<RequestResult> {
      try {
        return await withReferableChild(user, childId, requestId, async (trx, child): Promise<RequestResult> => {
          if (!parsed.ok && parsed.incomplete) throw new BadRequestError(INCOMPLETE)
          if (!parsed.ok) return { ok: false, errors: parsed.errors, child: shown(child) }
          const command = parsed.value
          const errors = checkReceivedAgainstBirth(command, shown(child).dateOfBirth)
          if (errors.length) return { ok: false, errors, child: shown(child) }
          const existing = await existingRequest(trx, user, command.idempotencyKey)
          if (existing) return { ok: true, caseId: existing, existing: true }

          const caseId = await workflow.open(trx, user, { childId: child.id, route: command.route, referralReceivedAt: command.receivedAt }, requestId)
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
          await cases.addInvolvement(trx, { partnershipId: user.partnershipId, childId: child.id, agencyId: user.agencyId, userId: user.id })
          await involveScreeners(trx, user, child.id, command.route)
          return { ok: true, caseId, existing: false }
        })
      } catch (err) {
        // Two submits at the same moment (PostgreSQL): the loser's insert breaks the key's uniqueness.
        if (!isUniqueViolation(err) || !parsed.ok) throw err
        const caseId = await transaction(db, { partnershipId: user.partnershipId }, (trx) => existingRequest(trx, user, parsed.value.idempotencyKey))
        if (!caseId) throw err
        return { ok: true, caseId, existing: true }
      }
    },
  }
}
export type RequestForSupportService = ReturnType<typeof requestForSupportService>
