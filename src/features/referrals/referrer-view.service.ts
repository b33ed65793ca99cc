import { randomUUID } from 'node:crypto'
import type { AccessGuard } from '../../platform/access/authorise.js'
import { can } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { INCOMPLETE_FORM } from '../../platform/forms/forms.js'
import { BadRequestError } from '../../platform/http/errors.js'
import { invalid, type PageOutcome } from '../../platform/http/case-pages.js'
import type { Notifications } from '../../platform/notifications/notifications.js'
import type { CaseAct, CaseForAccess, CaseKernel } from '../cases/index.js'
import type { ShareForm } from './referrer-view.form.js'
import { referrerViewRepository, type OwnRequest, type OwnRequestRow, type RequestUpdateRow } from './referrer-view.repository.js'
import { requestProgress, type RequestProgress } from './referrer-view.rules.js'

type Deps = { access: AccessGuard; cases: CaseKernel; notifications: Notifications }

export type YourRequestsView = { rows: (OwnRequestRow & { progress: RequestProgress })[]; total: number }
export type YourRequestView = { kase: CaseForAccess; request: OwnRequest; progress: RequestProgress; updates: RequestUpdateRow[] }
export type ShareView = {
  kase: CaseForAccess
  referrer: { name: string; agencyName: string } | null
  updates: RequestUpdateRow[]
  canShare: boolean
  /** A fresh key for the form, so that sending the same form twice shares once. */
  key: string
}

const SHARE = 'SHARE_WITH_REFERRER'

/**
 * Tells the person who raised the case's request that it has been decided (accepted onto the
 * pathway, early help, or no further action), once per case, unless they decided it themselves.
 * What was decided is on their request's page, never in the notification or its email.
 */
export function referrerToldOfDecision(notifications: Notifications) {
  const repo = referrerViewRepository()
  return async (act: CaseAct): Promise<void> => {
    const referrer = await repo.referrerOf(act.trx, act.kase.id)
    if (!referrer || referrer.referrerId === act.user.id) return
    await notifications.raise(act.trx, {
      partnershipId: act.kase.partnershipId,
      userId: referrer.referrerId,
      kind: 'REQUEST_DECIDED',
      caseId: act.kase.id,
      dedupeKey: `request-decided:${act.kase.id}`,
    })
  }
}

/**
 * The referrer's view: the requests a person raised, each with its status and outcome in plain
 * words and what the partnership shares back with them, and never the case (the access policy's
 * `child:view-own-request`, only while they are named on the child, and only their own). Sharing
 * back is the case-wide step SHARE_WITH_REFERRER, by those who work the case; the referrer is
 * notified. Every read and every update is audited.
 */
export function referrerViewService({ access, cases, notifications }: Deps) {
  const repo = referrerViewRepository()

  type Referrer = Awaited<ReturnType<typeof repo.referrerOf>>

  /** The page: who raised the request (read here unless the caller has), what was shared, and a fresh form key. */
  async function sharePage(act: CaseAct, known?: Referrer): Promise<ShareView> {
    const referrer = known ?? (await repo.referrerOf(act.trx, act.kase.id))
    return {
      kase: act.kase,
      referrer: referrer ? { name: referrer.name, agencyName: referrer.agencyName } : null,
      updates: referrer ? await repo.listUpdates(act.trx, referrer.requestId) : [],
      canShare: !!referrer && act.may(SHARE),
      key: randomUUID(),
    }
  }

  const shareSubject = (kase: CaseForAccess, detail: Record<string, unknown> = {}) => ({
    action: 'request:share-update',
    recordType: 'case',
    recordId: kase.id,
    detail: { childId: kase.childId, ...detail },
  })

  return {
    /** The requests this person raised that they may still follow, newest first; audited as one read naming how many children. */
    async yourRequests(user: CurrentUser, requestId: string): Promise<YourRequestsView> {
      return access.run(user, requestId, async (act) => {
        const { rows, total } = await repo.listOwnRequests(act.trx, user)
        const shown = rows.filter((r) => can(user, 'child:view-own-request', { kind: 'child', partnershipId: user.partnershipId, ...r }))
        await act.record({
          action: 'request:list-own',
          recordType: 'queue',
          recordId: 'your-requests',
          detail: { children: new Set(shown.map((r) => r.childId)).size },
        })
        return { rows: shown.map((r) => ({ ...r, progress: requestProgress(r.status, r.closedAtTheFrontDoor) })), total }
      })
    },

    /** One request as its referrer reads it; anyone else is refused (403, audited), whatever they may read of the case. */
    async yourRequest(user: CurrentUser, caseId: string, requestId: string): Promise<YourRequestView> {
      let found: OwnRequest | undefined
      return cases.run(
        user,
        caseId,
        requestId,
        async (act) => {
          const request = found!
          return {
            kase: act.kase,
            request,
            progress: requestProgress(act.kase.status, request.closedAtTheFrontDoor),
            updates: await repo.listUpdates(act.trx, request.id),
          }
        },
        {
          denied: 'You can only follow requests for support that you raised.',
          async allowed(kase, _readsChild, trx) {
            found = await repo.findOwnRequest(trx, kase.id)
            return found?.referrerId === user.id && can(user, 'child:view-own-request', { kind: 'child', ...kase })
          },
          read: (kase) => ({ action: 'request:view-own', recordType: 'case', recordId: kase.id, detail: { childId: kase.childId } }),
        },
      )
    },

    /** What has been shared with the case's referrer, for anyone who may read the case; the form for those who may share. */
    async viewShared(user: CurrentUser, caseId: string, requestId: string): Promise<ShareView> {
      return cases.run(user, caseId, requestId, (act) => sharePage(act), {
        read: (kase) => ({ action: 'request:view-updates', recordType: 'case', recordId: kase.id, detail: { childId: kase.childId } }),
      })
    },

    /** Shares an update with the referrer and notifies them (once per form, however often it is sent). */
    async share(user: CurrentUser, caseId: string, form: ShareForm, requestId: string): Promise<PageOutcome<ShareView>> {
      return cases.run(user, caseId, requestId, async (act) => {
        act.step(SHARE, shareSubject(act.kase))
        if (!form.ok && form.incomplete) throw new BadRequestError(INCOMPLETE_FORM)
        const { trx, kase } = act
        const referrer = act.found(await repo.referrerOf(trx, kase.id))
        if (!form.ok) return invalid(form.errors, await sharePage(act, referrer))
        const id = await repo.insertUpdate(trx, {
          partnershipId: user.partnershipId,
          caseId: kase.id,
          requestId: referrer.requestId,
          title: form.value.title,
          body: form.value.body,
          sharedBy: user.id,
          idempotencyKey: form.value.key,
        })
        // The same form again (Back and send): shared already, nothing more to do.
        if (!id) return { ok: true as const }
        await act.record(shareSubject(kase, { updateId: id }))
        await notifications.raise(trx, {
          partnershipId: user.partnershipId,
          userId: referrer.referrerId,
          kind: 'REQUEST_UPDATE',
          caseId: kase.id,
          dedupeKey: `request-update:${id}`,
        })
        return { ok: true as const }
      })
    },
  }
}
export type ReferrerViewService = ReturnType<typeof referrerViewService>
