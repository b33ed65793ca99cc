import { sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { NotificationKind } from '../../platform/notifications/notifications.js'
import { AIM_CLOCK_KINDS, type OpenAimClock, type OpenStrategyClock, type Page } from './queues.rules.js'
import { canReadChildSql, canSeeOwnMeetingSql, followsOwnRequestSql } from './queues.sql.js'

export type NotificationRow = {
  id: string
  kind: NotificationKind
  caseId: string | null
  meetingId: string | null
  /** The kind of meeting an invitation is to: its page differs (strategy, review, end meeting). */
  meetingKind: string | null
  /** Only when the person may read the child's record, or the meeting they are invited to. */
  childId: string | null
  childName: string | null
  canReadCase: boolean
  createdAt: Date
  readAt: Date | null
}

export type StrategyClockRow = OpenStrategyClock & { partnershipId: string; allocatedTeamId: string | null }
export type AimClockRow = OpenAimClock & { partnershipId: string; allocatedTeamId: string | null }

/** Clocks (aliased cc) still running on open cases (aliased k). */
const runningClocks = (db: Executor) =>
  db
    .selectFrom('caseClock as cc')
    .innerJoin('hsbCase as k', 'k.id', 'cc.caseId')
    .where('cc.metAt', 'is', null)
    .where('k.status', 'not in', ['CLOSED', 'EARLY_HELP'])

/** SQL only: a person's notifications and the clocks that raise them (raising is platform/notifications). */
export function notificationsRepository() {
  return {
    /**
     * A person's notifications: those not read yet first, then the rest, newest first in each (a
     * pile of read ones never pushes a new one off the first page). The child's name shows where the person may read
     * the child, or (for a meeting invitation) the meeting. One statement.
     */
    async listForUser(db: Executor, actor: Actor, page: Page): Promise<NotificationRow[]> {
      const canRead = canReadChildSql('c', actor)
      const ownRequest = sql<boolean>`(n.kind IN ('REQUEST_UPDATE', 'REQUEST_DECIDED') AND ${followsOwnRequestSql('k', 'c', actor)})`
      const visible = sql<boolean>`(c.id IS NOT NULL AND (${canRead} OR (n.meeting_id IS NOT NULL AND ${canSeeOwnMeetingSql('c', actor)}) OR ${ownRequest}))`
      return db
        .selectFrom('notification as n')
        .leftJoin('hsbCase as k', 'k.id', 'n.caseId')
        .leftJoin('child as c', 'c.id', 'k.childId')
        .leftJoin('meeting as m', 'm.id', 'n.meetingId')
        .select([
          'n.id',
          'n.kind',
          'n.caseId',
          'n.meetingId',
          'm.kind as meetingKind',
          sql<string | null>`CASE WHEN ${visible} THEN c.id END`.as('childId'),
          sql<string | null>`CASE WHEN ${visible} THEN c.given_names || ' ' || c.family_name END`.as('childName'),
          sql<boolean>`(c.id IS NOT NULL AND ${canRead})`.as('canReadCase'),
          'n.createdAt',
          'n.readAt',
        ])
        .where('n.userId', '=', actor.id)
        .orderBy(sql`n.read_at IS NULL`, 'desc')
        .orderBy('n.createdAt', 'desc')
        .orderBy('n.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
    },

    async countForUser(db: Executor, userId: string): Promise<{ total: number; unread: number }> {
      const row = await db
        .selectFrom('notification')
        .select([sql<string>`count(*)`.as('total'), sql<string>`count(*) FILTER (WHERE read_at IS NULL)`.as('unread')])
        .where('userId', '=', userId)
        .executeTakeFirstOrThrow()
      return { total: Number(row.total), unread: Number(row.unread) }
    },

    /** Marks one of the person's own notifications read (again is harmless). False if it is not theirs. */
    async markRead(db: Executor, userId: string, notificationId: string, at: Date): Promise<boolean> {
      const row = await db
        .updateTable('notification')
        .set({ readAt: sql`coalesce(read_at, ${at}::timestamptz)` })
        .where('id', '=', notificationId)
        .where('userId', '=', userId)
        .returning('id')
        .executeTakeFirst()
      return row !== undefined
    },

    /** Every strategy meeting clock still running on an open case, in every partnership the scope shows. */
    async listOpenStrategyClocks(db: Executor): Promise<StrategyClockRow[]> {
      return runningClocks(db)
        .select(['cc.caseId', 'cc.startedAt', 'cc.dueAt', 'k.partnershipId', 'k.allocatedTeamId'])
        .where('cc.kind', '=', 'STRATEGY_MEETING')
        .execute()
    },

    /** Every AIM assessment clock (the 6-week target, the 8-week limit) still running on an open case. */
    async listOpenAimClocks(db: Executor): Promise<AimClockRow[]> {
      const rows = await runningClocks(db)
        .select(['cc.caseId', 'cc.kind', 'cc.startedAt', 'cc.dueAt', 'k.partnershipId', 'k.allocatedTeamId'])
        .where('cc.kind', 'in', [...AIM_CLOCK_KINDS])
        .execute()
      return rows.map((r) => ({ ...r, kind: r.kind as OpenAimClock['kind'] }))
    },
  }
}
export type NotificationsRepository = ReturnType<typeof notificationsRepository>
