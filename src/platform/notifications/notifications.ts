import { sql } from 'kysely'
import type { Executor } from '../db/transaction.js'

/** What a notification is about. Mirrored by the CHECK constraint on notification.kind. */
export type NotificationKind =
  | 'STRATEGY_MEETING_DUE'
  | 'STRATEGY_MEETING_OVERDUE'
  | 'MEETING_INVITATION'
  | 'ASSESSMENT_DECISION'
  | 'CO_ASSESSOR_ALLOCATED'
  | 'AIM_ASSESSMENT_DUE'
  | 'AIM_ASSESSMENT_OVERDUE'
  | 'HSB_PANEL_REQUESTED'
  | 'ABE_ACCESS_REQUESTED'
  | 'ABE_ACCESS_DECIDED'
  | 'ROLE_GRANT_REQUESTED'
  | 'ROLE_GRANT_DECIDED'
  | 'ACCOUNT_LOCKED'
  | 'ACCOUNT_INVITATION'
  | 'REQUEST_UPDATE'
  | 'REQUEST_DECIDED'
  | 'BREAK_GLASS_ACCESS'
  | 'PRIVACY_ALERT'
  | 'SUBJECT_ACCESS_APPROVAL_REQUESTED'
  | 'SUBJECT_ACCESS_DECIDED'
  | 'RETENTION_APPROVAL_REQUESTED'
  | 'RETENTION_DECIDED'

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  STRATEGY_MEETING_DUE: 'Strategy meeting due soon',
  STRATEGY_MEETING_OVERDUE: 'Strategy meeting overdue',
  MEETING_INVITATION: 'Invitation to a meeting',
  ASSESSMENT_DECISION: 'Decision on an AIM assessment',
  CO_ASSESSOR_ALLOCATED: 'You are named as a co-assessor',
  AIM_ASSESSMENT_DUE: 'AIM assessment due soon',
  AIM_ASSESSMENT_OVERDUE: 'AIM assessment overdue',
  HSB_PANEL_REQUESTED: 'Request to convene the HSB panel',
  ABE_ACCESS_REQUESTED: 'Request to read restricted interview material',
  ABE_ACCESS_DECIDED: 'Decision on your request for restricted interview material',
  ROLE_GRANT_REQUESTED: 'A role that opens children’s records is waiting for approval',
  ROLE_GRANT_DECIDED: 'A decision on a role that opens children’s records',
  ACCOUNT_LOCKED: 'An account’s security codes are locked',
  ACCOUNT_INVITATION: 'Your account was set up',
  REQUEST_UPDATE: 'An update on a request for support you raised',
  REQUEST_DECIDED: 'A decision on a request for support you raised',
  BREAK_GLASS_ACCESS: 'A record was opened through break-glass',
  PRIVACY_ALERT: 'A privacy alert is waiting for review',
  SUBJECT_ACCESS_APPROVAL_REQUESTED: 'A subject access release is waiting for approval',
  SUBJECT_ACCESS_DECIDED: 'A decision on a subject access release',
  RETENTION_APPROVAL_REQUESTED: 'A retention deletion is waiting for approval',
  RETENTION_DECIDED: 'A decision on a retention deletion',
}

/** One notification to one person, once per dedupe key. */
export type Notice = {
  partnershipId: string
  userId: string
  kind: NotificationKind
  caseId?: string | null
  meetingId?: string | null
  dedupeKey: string
}

/** A notification to raise for a case: who receives it is worked out in SQL from the case's team and the partnership. */
export type CaseNotice = {
  caseId: string
  partnershipId: string
  allocatedTeamId: string | null
  kind: NotificationKind
  dedupeKey: string
}

/**
 * Raising in-app notifications, for every feature. Every notification inserted also queues its
 * email in `email_outbox` in the same transaction: a trigger on the table does it (migration 012,
 * docs/email.md), so no path can forget, and a notification not inserted because its dedupe key
 * is taken queues no email either. Reading them is the queues feature's (a person's list).
 */
export function notifications() {
  return {
    async raise(db: Executor, { userId, ...n }: Notice): Promise<void> {
      await this.raiseToEach(db, [userId], n)
    },

    /** The same notice to several people, each once, in one statement. */
    async raiseToEach(db: Executor, userIds: readonly string[], n: Omit<Notice, 'userId'>): Promise<void> {
      if (userIds.length === 0) return
      await db
        .insertInto('notification')
        .values(
          [...new Set(userIds)].map((userId) => ({
            partnershipId: n.partnershipId,
            userId,
            kind: n.kind,
            caseId: n.caseId ?? null,
            meetingId: n.meetingId ?? null,
            dedupeKey: n.dedupeKey,
          })),
        )
        .onConflict((oc) => oc.columns(['userId', 'dedupeKey']).doNothing())
        .execute()
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
  }
}
export type Notifications = ReturnType<typeof notifications>
