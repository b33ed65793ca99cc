import type { Act, AccessGuard } from '../../platform/access/authorise.js'
import type { PartnershipAction } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, type BankHolidays } from '../../platform/clocks/bank-holidays.js'
import type { Db, Trx } from '../../platform/db/transaction.js'
import type { CaseStatus } from '../cases/index.js'
import { notificationsRepository } from './notifications.repository.js'
import { notificationsService, raiseClockNotifications } from './notifications.service.js'
import { queuesRepository, type CaseFilter, type QueueCaseRow, type QueueMeetingRow } from './queues.repository.js'
import {
  MEETINGS_PAGE_SIZE,
  offsetFor,
  PAGE_SIZE,
  QUEUE_STATUSES,
  statusesFor,
  type CaseQueue,
  type QueueName,
  type QueueQuery,
} from './queues.rules.js'

type Deps = { db: Db; access: AccessGuard; now?: () => Date; holidays?: BankHolidays }

export type CaseQueueView = {
  queue: CaseQueue
  query: QueueQuery
  rows: QueueCaseRow[]
  total: number
  pageSize: number
  /** The moment the clocks' states were worked out at, for describing them. */
  now: Date
}
export type HsbOverviewView = CaseQueueView & { counts: Partial<Record<CaseStatus, number>> }
export type MyWorkView = CaseQueueView & {
  meetings: { rows: QueueMeetingRow[]; total: number; page: number; pageSize: number }
  unreadNotifications: number
}

/**
 * The work queues (front door, my work, team, HSB lead overview) and in-app notifications. Each
 * list is sorted, filtered and paged in SQL, shows only children the person may read, and is
 * audited as one read (the queue, how many children it showed).
 */
export function queuesService({ db, access, now = () => new Date(), holidays = ENGLAND_AND_WALES_BANK_HOLIDAYS }: Deps) {
  const repo = queuesRepository(holidays)
  const notifications = notificationsRepository()

  /** A queue is read in one transaction; a queue for some roles only refuses the rest (403, audited). */
  function readQueue<T>(
    user: CurrentUser,
    queue: QueueName,
    permission: PartnershipAction | null,
    requestId: string,
    fn: (act: Act) => Promise<T>,
  ): Promise<T> {
    return access.run(user, requestId, async (act) => {
      if (permission) act.authorise(permission, { action: 'queue:view', recordType: 'queue', recordId: queue })
      return fn(act)
    })
  }

  /** The list names children: audited as one read (the queue, how many children it showed). */
  const recordView = (act: Act, queue: QueueName, childIds: string[], page: number) =>
    act.record({ action: 'queue:view', recordType: 'queue', recordId: queue, detail: { children: new Set(childIds).size, page } })

  function listCases(trx: Trx, user: CurrentUser, filter: CaseFilter, query: QueueQuery, at: Date) {
    return repo.listCases(trx, user, filter, query.sort, { limit: PAGE_SIZE, offset: offsetFor(query.page, PAGE_SIZE) }, at)
  }

  /** One page of a case queue: its rows (one statement), their count (one more) and the audit row. */
  function caseQueue(
    user: CurrentUser,
    queue: CaseQueue,
    permission: PartnershipAction,
    filter: CaseFilter,
    query: QueueQuery,
    requestId: string,
  ): Promise<CaseQueueView> {
    return readQueue(user, queue, permission, requestId, async (act) => {
      const { trx } = act
      const at = now()
      const rows = await listCases(trx, user, filter, query, at)
      const total = await repo.countCases(trx, user, filter)
      await recordView(
        act,
        queue,
        rows.map((r) => r.childId),
        query.page,
      )
      return { queue, query, rows, total, pageSize: PAGE_SIZE, now: at }
    })
  }

  return {
    /** Requests for support waiting for screening or oversight, oldest first by default. */
    async frontDoor(user: CurrentUser, query: QueueQuery, requestId: string): Promise<CaseQueueView> {
      return caseQueue(user, 'front-door', 'work:front-door', { statuses: statusesFor('front-door', query) }, query, requestId)
    },

    /** Open cases allocated to the person or where they are involved; their meetings; unread notifications. */
    async myWork(user: CurrentUser, query: QueueQuery, meetingsPage: number, requestId: string): Promise<MyWorkView> {
      const filter: CaseFilter = { statuses: statusesFor('my-work', query), allocatedToOrInvolving: user.id }
      return readQueue(user, 'my-work', null, requestId, async (act) => {
        const { trx } = act
        const at = now()
        const rows = await listCases(trx, user, filter, query, at)
        const total = await repo.countCases(trx, user, filter)
        const meetingRows = await repo.listMeetings(
          trx,
          user,
          { limit: MEETINGS_PAGE_SIZE, offset: offsetFor(meetingsPage, MEETINGS_PAGE_SIZE) },
          at,
        )
        const meetingsTotal = await repo.countMeetings(trx, user)
        const { unread } = await notifications.countForUser(trx, user.id)
        const childIds = [...rows.map((r) => r.childId), ...meetingRows.map((m) => m.childId)]
        await recordView(act, 'my-work', childIds, query.page)
        return {
          queue: 'my-work',
          query,
          rows,
          total,
          pageSize: PAGE_SIZE,
          now: at,
          meetings: { rows: meetingRows, total: meetingsTotal, page: meetingsPage, pageSize: MEETINGS_PAGE_SIZE },
          unreadNotifications: unread,
        }
      })
    },

    /** Open cases allocated to the person's teams, with the worker and the clocks. */
    async team(user: CurrentUser, query: QueueQuery, requestId: string): Promise<CaseQueueView> {
      return caseQueue(
        user,
        'team',
        'work:team',
        { statuses: statusesFor('team', query), allocatedTeamIds: user.teamIds },
        query,
        requestId,
      )
    },

    /** Every open case in the partnership the person may read, overdue first, with counts by status. */
    async hsbOverview(user: CurrentUser, query: QueueQuery, requestId: string): Promise<HsbOverviewView> {
      const filter: CaseFilter = { statuses: statusesFor('hsb-overview', query) }
      return readQueue(user, 'hsb-overview', 'work:hsb-overview', requestId, async (act) => {
        const { trx } = act
        const at = now()
        const rows = await listCases(trx, user, filter, query, at)
        // The count is by status across the whole queue; the page's total is the filtered part of it.
        const counts = await repo.countByStatus(trx, user, { statuses: QUEUE_STATUSES['hsb-overview'] })
        const total = filter.statuses.reduce((sum, s) => sum + (counts[s] ?? 0), 0)
        await recordView(
          act,
          'hsb-overview',
          rows.map((r) => r.childId),
          query.page,
        )
        return { queue: 'hsb-overview', query, rows, total, pageSize: PAGE_SIZE, now: at, counts }
      })
    },

    ...notificationsService({ access, now }),

    /** The clock notification job (see raiseClockNotifications), for the server's timer. */
    raiseClockNotifications(): Promise<number> {
      return raiseClockNotifications(db, now())
    },
  }
}
export type QueuesService = ReturnType<typeof queuesService>
