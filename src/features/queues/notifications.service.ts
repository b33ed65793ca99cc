import type { AccessGuard } from '../../platform/access/authorise.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db } from '../../platform/db/transaction.js'
import { NotFoundError } from '../../platform/http/errors.js'
import { notifications, type CaseNotice } from '../../platform/notifications/notifications.js'
import { notificationsRepository, type NotificationRow } from './notifications.repository.js'
import { aimAssessmentNotice, offsetFor, PAGE_SIZE, strategyMeetingNotice, type OpenAimClock } from './queues.rules.js'

export type NotificationsView = { rows: NotificationRow[]; total: number; unread: number; page: number; pageSize: number }

type Deps = { access: AccessGuard; now: () => Date }

/** A person's in-app notifications: their own only. */
export function notificationsService({ access, now }: Deps) {
  const repo = notificationsRepository()
  return {
    /** Newest first. The list names children, so it is audited as a read (one row, how many children). */
    async listNotifications(user: CurrentUser, page: number, requestId: string): Promise<NotificationsView> {
      return access.run(user, requestId, async ({ trx, record }) => {
        const rows = await repo.listForUser(trx, user, { limit: PAGE_SIZE, offset: offsetFor(page, PAGE_SIZE) })
        const { total, unread } = await repo.countForUser(trx, user.id)
        const children = new Set(rows.flatMap((r) => (r.childId ? [r.childId] : []))).size
        await record({ action: 'queue:view', recordType: 'queue', recordId: 'notifications', detail: { children, page } })
        return { rows, total, unread, page, pageSize: PAGE_SIZE }
      })
    },

    /** Marks one of the person's notifications read; someone else's is a page that does not exist. */
    async markNotificationRead(user: CurrentUser, notificationId: string, requestId = ''): Promise<void> {
      await access.run(user, requestId, async (act) => {
        if (!(await repo.markRead(act.trx, user.id, notificationId, now()))) act.refuse(new NotFoundError())
      })
    },
  }
}

/** The notice a clock's state calls for on a case, if any (none, or one). */
function noticeOn(
  caseId: string,
  kase: { partnershipId: string; allocatedTeamId: string | null },
  notice: { kind: CaseNotice['kind']; dedupeKey: string } | null,
): CaseNotice[] {
  if (!notice) return []
  return [
    { caseId, partnershipId: kase.partnershipId, allocatedTeamId: kase.allocatedTeamId, kind: notice.kind, dedupeKey: notice.dedupeKey },
  ]
}

/**
 * The job behind "strategy meeting due" and "overdue", and "AIM assessment due" and "overdue":
 * for every open strategy meeting clock, and every case's running AIM assessment clocks (the
 * 6-week target and the 8-week limit), in every partnership, raises the notification their state
 * calls for (see strategyMeetingNotice, aimAssessmentNotice) to the team managers of the
 * allocated team (of the front-door teams before allocation) and the partnership's HSB leads,
 * once per person per clock state. Three statements whatever the number of clocks; running it
 * again adds nothing. Each notification queues its email (docs/email.md). Returns how many
 * notifications were raised.
 */
export async function raiseClockNotifications(db: Db, now: Date = new Date()): Promise<number> {
  const repo = notificationsRepository()
  return transaction(db, 'system', async (trx) => {
    const clocks = await repo.listOpenStrategyClocks(trx)
    const notices: CaseNotice[] = clocks.flatMap((clock) => noticeOn(clock.caseId, clock, strategyMeetingNotice(clock, now)))
    const aimClocks = await repo.listOpenAimClocks(trx)
    const byCase = new Map<string, { partnershipId: string; allocatedTeamId: string | null; clocks: OpenAimClock[] }>()
    for (const c of aimClocks) {
      const entry = byCase.get(c.caseId) ?? { partnershipId: c.partnershipId, allocatedTeamId: c.allocatedTeamId, clocks: [] }
      entry.clocks.push(c)
      byCase.set(c.caseId, entry)
    }
    for (const [caseId, entry] of byCase) notices.push(...noticeOn(caseId, entry, aimAssessmentNotice(entry.clocks, now)))
    return notifications().raiseToManagersAndLeads(trx, notices)
  })
}
