import { sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import type { Executor } from '../../platform/db/transaction.js'
import { AIM_CLOCK_KINDS, type NotificationKind, type OpenAimClock, type OpenStrategyClock, type Page } from './queues.rules.js'
import { canReadChildSql, canSeeOwnMeetingSql } from './queues.sql.js'

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

/** A notification to raise for a case: who receives it is worked out in SQL from the case's team and the partnership. */
export type CaseNotice = { caseId: string; partnershipId: string; allocatedTeamId: string | null; kind: NotificationKind; dedupeKey: string }

/**
 * SQL only. Every method takes the transaction it runs in.
 *
 * Every notification inserted (here, by the meetings feature, by any other) also queues its
 * email in `email_outbox` in the same transaction: a trigger on the table does it (migration
 * 012, docs/email.md), so no path can forget, and a notification not inserted because its dedupe
 * key is taken queues no email either.
 */
export function notificationsRepository() {
  return {
    /**
     * A person's notifications: those not read yet first, then the rest, newest first in each (a
     * pile of read ones never pushes a new one off the first page). The child's name shows where the person may read
     * the child, or (for a meeting invitation) the meeting. One statement.
     */
    async listForUser(db: Executor, actor: Actor, page: Page): Promise<NotificationRow[]> {
      const canRead = canReadChildSql('c', actor)
      const visible = sql<boolean>`(c.id IS NOT NULL AND (${canRead} OR (n.meeting_id IS NOT NULL AND ${canSeeOwnMeetingSql('c', actor)})))`
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
      return db
        .selectFrom('caseClock as cc')
        .innerJoin('hsbCase as k', 'k.id', 'cc.caseId')
        .select(['cc.caseId', 'cc.startedAt', 'cc.dueAt', 'k.partnershipId', 'k.allocatedTeamId'])
        .where('cc.kind', '=', 'STRATEGY_MEETING')
        .where('cc.metAt', 'is', null)
        .where('k.status', 'not in', ['CLOSED', 'EARLY_HELP'])
        .execute()
    },

    /** Every AIM assessment clock (the 6-week target, the 8-week limit) still running on an open case. */
    async listOpenAimClocks(db: Executor): Promise<AimClockRow[]> {
      const rows = await db
        .selectFrom('caseClock as cc')
        .innerJoin('hsbCase as k', 'k.id', 'cc.caseId')
        .select(['cc.caseId', 'cc.kind', 'cc.startedAt', 'cc.dueAt', 'k.partnershipId', 'k.allocatedTeamId'])
        .where('cc.kind', 'in', [...AIM_CLOCK_KINDS])
        .where('cc.metAt', 'is', null)
        .where('k.status', 'not in', ['CLOSED', 'EARLY_HELP'])
        .execute()
      return rows.map((r) => ({ ...r, kind: r.kind as OpenAimClock['kind'] }))
    },

    /**
     * Raises each notice to every team manager of the case's allocated team (or, before
     * allocation, of the partnership's front-door teams) and every HSB lead of the partnership,
     * once per person and dedupe key. One statement whatever the number of notices.
     */
    async raiseToManagersAndLeads(db: Executor, notices: readonly CaseNotice[]): Promise<number> {
      if (notices.length === 0) return 0
      const col = <K extends keyof CaseNotice>(key: K) => notices.map((n) => n[key])
      const result = await sql<{ id: string }>`
        INSERT INTO notification (partnership_id, user_id, kind, case_id, dedupe_key)
        SELECT DISTINCT n.partnership_id, r.user_id, n.kind, n.case_id, n.dedupe_key
        FROM unnest(${col('caseId')}::uuid[], ${col('partnershipId')}::uuid[], ${col('allocatedTeamId')}::uuid[],
                    ${col('kind')}::text[], ${col('dedupeKey')}::text[]) AS n(case_id, partnership_id, team_id, kind, dedupe_key)
        CROSS JOIN LATERAL (
          SELECT tm.user_id
          FROM team_member tm
          JOIN team t ON t.id = tm.team_id
          JOIN user_role ur ON ur.user_id = tm.user_id AND ur.role = 'TEAM_MANAGER'
          JOIN app_user u ON u.id = tm.user_id AND u.disabled_at IS NULL
          WHERE t.partnership_id = n.partnership_id
            AND CASE WHEN n.team_id IS NOT NULL THEN t.id = n.team_id ELSE t.is_front_door END
          UNION
          SELECT u.id
          FROM app_user u
          JOIN user_role ur ON ur.user_id = u.id AND ur.role = 'HSB_LEAD'
          WHERE u.partnership_id = n.partnership_id AND u.disabled_at IS NULL
        ) AS r
        ON CONFLICT (user_id, dedupe_key) DO NOTHING
        RETURNING id`.execute(db)
      return result.rows.length
    },

    /** For other features (meetings): one notification to one person, once per dedupe key. */
    async raise(db: Executor, n: { partnershipId: string; userId: string; kind: NotificationKind; caseId?: string | null; meetingId?: string | null; dedupeKey: string }): Promise<void> {
      await db
        .insertInto('notification')
        .values({ partnershipId: n.partnershipId, userId: n.userId, kind: n.kind, caseId: n.caseId ?? null, meetingId: n.meetingId ?? null, dedupeKey: n.dedupeKey })
        .onConflict((oc) => oc.columns(['userId', 'dedupeKey']).doNothing())
        .execute()
    },
  }
}
export type NotificationsRepository = ReturnType<typeof notificationsRepository>
