import type { Act, AccessGuard } from '../../platform/access/authorise.js'
import { BREAK_GLASS_REFUSED } from '../../platform/access/break-glass.js'
import { can } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { ForbiddenError } from '../../platform/http/errors.js'
import type { Notifications } from '../../platform/notifications/notifications.js'
import { asChild, childAccess, type ChildForAccess } from '../children/index.js'
import { readBreakGlass, readRemoval, readRestriction } from './restriction.form.js'
import { restrictionRepository, type NameablePerson, type RestrictionChangeRow } from './restriction.repository.js'

export type RestrictionPage = {
  child: ChildForAccess
  people: NameablePerson[]
  /** Who is ticked: those named now (restricted), or the person and those working with the child. */
  selected: string[]
  history: RestrictionChangeRow[]
  selfId: string
}
export type Saved = { ok: true; restricted: boolean } | { ok: false; errors: FieldError[]; page: RestrictionPage }

export type BreakGlassPage = {
  childId: string
  /** The person may already open the record without break-glass. */
  alreadyOpen: boolean
  /** A break-glass access of theirs still running: when it ends. */
  openUntil: Date | null
  hours: number
}

type Deps = { access: AccessGuard; notifications: Notifications; breakGlassHours: number }

const VIEW_RESTRICTION = 'child:view-restriction'
const VIEW_BREAK_GLASS = 'child:view-break-glass'

/**
 * Restricting a child's record (issue 18) and break-glass. Every read and change opens the child
 * through the children feature's `withChild` (the access policy, the audit), for `child:restrict`
 * or `child:break-glass`.
 */
export function restrictionService({ access, notifications, breakGlassHours }: Deps) {
  const repo = restrictionRepository()
  const withChild = childAccess({ access })

  async function pageFor(trx: Trx, user: CurrentUser, child: ChildForAccess): Promise<RestrictionPage> {
    const [people, named, history] = [
      await repo.nameablePeople(trx, user.partnershipId, child.id),
      child.isRestricted ? await repo.namedOn(trx, child.id) : [],
      await repo.history(trx, child.id),
    ]
    const selected = child.isRestricted ? named : [...new Set([user.id, ...people.filter((p) => p.worksWithChild).map((p) => p.id)])]
    return { child, people, selected, history, selfId: user.id }
  }

  return {
    /** The restriction page: who may be named, who is, and the record's restriction history. */
    async restrictionPage(user: CurrentUser, childId: string, requestId: string): Promise<RestrictionPage> {
      return withChild(user, childId, 'child:restrict', requestId, ({ trx }, child) => pageFor(trx, user, child), {
        auditAs: VIEW_RESTRICTION,
        writes: true,
      })
    },

    /**
     * Restricts the record, or changes who is named on it: the reason, the people named (the
     * person restricting among them), the history row, audited with ids only.
     */
    async saveRestriction(user: CurrentUser, childId: string, body: unknown, requestId: string): Promise<Saved> {
      return withChild(
        user,
        childId,
        'child:restrict',
        requestId,
        async ({ trx, record }, child) => {
          const people = await repo.nameablePeople(trx, user.partnershipId, child.id)
          const parsed = readRestriction(body, { offered: new Set(people.map((p) => p.id)), selfId: user.id, changing: child.isRestricted })
          if (!parsed.ok) {
            const page = await pageFor(trx, user, child)
            return { ok: false, errors: parsed.errors, page: { ...page, selected: parsed.named } }
          }
          const changeId = await repo.apply(trx, {
            partnershipId: user.partnershipId,
            childId: child.id,
            restricted: true,
            reason: parsed.value.reason,
            named: parsed.value.named,
            changedBy: user.id,
            formKey: parsed.value.formKey,
          })
          if (changeId)
            await record({
              action: child.isRestricted ? 'child:change-restriction' : 'child:restrict',
              recordType: 'child',
              recordId: child.id,
              detail: { changeId, named: parsed.value.named.length },
            })
          return { ok: true, restricted: true }
        },
        { auditAs: VIEW_RESTRICTION, writes: true },
      )
    },

    /** Lifts the restriction, with a reason. A record that is not restricted is left as it is. */
    async removeRestriction(user: CurrentUser, childId: string, body: unknown, requestId: string): Promise<Saved> {
      return withChild(
        user,
        childId,
        'child:restrict',
        requestId,
        async ({ trx, record }, child) => {
          if (!child.isRestricted) return { ok: true, restricted: false }
          const parsed = readRemoval(body)
          if (!parsed.ok) return { ok: false, errors: parsed.errors, page: await pageFor(trx, user, child) }
          const changeId = await repo.apply(trx, {
            partnershipId: user.partnershipId,
            childId: child.id,
            restricted: false,
            reason: parsed.value.reason,
            named: [],
            changedBy: user.id,
            formKey: parsed.value.formKey,
          })
          if (changeId) await record({ action: 'child:unrestrict', recordType: 'child', recordId: child.id, detail: { changeId } })
          return { ok: true, restricted: false }
        },
        { auditAs: VIEW_RESTRICTION, writes: true },
      )
    },

    /** The break-glass form: never for a restricted record (refused, audited). Shows nothing about the child. */
    async breakGlassPage(user: CurrentUser, childId: string, requestId: string): Promise<BreakGlassPage> {
      return withChild(
        user,
        childId,
        'child:break-glass',
        requestId,
        async (act, child) => {
          refuseRestricted(act, child)
          return {
            childId: child.id,
            alreadyOpen: can(user, 'child:read', { ...asChild(child), breakGlass: false }),
            openUntil: child.breakGlass ? child.breakGlassUntil : null,
            hours: breakGlassHours,
          }
        },
        { auditAs: VIEW_BREAK_GLASS },
      )
    },

    /**
     * Opens the record through break-glass for BREAK_GLASS_HOURS: the reason and details kept,
     * audited (`child:break-glass`, ids and the reason's code only), and the partnership's privacy
     * officers and the child's team managers told (`BREAK_GLASS_ACCESS`; the email names no child).
     * One opening runs at a time per person and child: sending the form again opens nothing more.
     */
    async openBreakGlass(
      user: CurrentUser,
      childId: string,
      body: unknown,
      requestId: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldError[]; page: BreakGlassPage }> {
      return withChild(
        user,
        childId,
        'child:break-glass',
        requestId,
        async (act, child) => {
          refuseRestricted(act, child)
          const page: BreakGlassPage = {
            childId: child.id,
            alreadyOpen: can(user, 'child:read', { ...asChild(child), breakGlass: false }),
            openUntil: child.breakGlass ? child.breakGlassUntil : null,
            hours: breakGlassHours,
          }
          if (page.alreadyOpen) return { ok: true }
          const parsed = readBreakGlass(body)
          if (!parsed.ok) return { ok: false, errors: parsed.errors, page }
          const opened = await repo.openBreakGlass(act.trx, {
            partnershipId: user.partnershipId,
            childId: child.id,
            userId: user.id,
            reasonCode: parsed.value.reasonCode,
            reasonText: parsed.value.details,
            hours: breakGlassHours,
          })
          if (!opened.isNew) return { ok: true }
          await act.record({
            action: 'child:break-glass',
            recordType: 'child',
            recordId: child.id,
            detail: { breakGlassId: opened.id, reason: parsed.value.reasonCode, expiresAt: opened.expiresAt.toISOString() },
          })
          const to = await repo.breakGlassRecipients(act.trx, user.partnershipId, child.id)
          const dedupeKey = `break-glass:${opened.id}`
          await notifications.raiseToEach(act.trx, to.privacyOfficers, {
            partnershipId: user.partnershipId,
            kind: 'BREAK_GLASS_ACCESS',
            dedupeKey,
          })
          await notifications.raiseToEach(
            act.trx,
            to.teamManagers.filter((id) => !to.privacyOfficers.includes(id)),
            { partnershipId: user.partnershipId, kind: 'BREAK_GLASS_ACCESS', caseId: to.latestCaseId, dedupeKey },
          )
          return { ok: true }
        },
        { auditAs: VIEW_BREAK_GLASS },
      )
    },
  }
}
export type RestrictionService = ReturnType<typeof restrictionService>

/** A restricted record never opens through break-glass, even to someone named on it: refused, audited, in plain words. */
function refuseRestricted(act: Act, child: ChildForAccess): void {
  if (child.isRestricted)
    act.refuse(new ForbiddenError(BREAK_GLASS_REFUSED), { action: 'child:break-glass', recordType: 'child', recordId: child.id })
}
