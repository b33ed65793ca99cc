import { sql } from 'kysely'
import type { Actor, Relationship } from '../../platform/access/policy.js'
import { namedOnRestriction, relationshipToChild } from '../../platform/access/relationship.sql.js'
import type { AuditOutcome } from '../../platform/audit/audit.repository.js'
import type { PrivacyAlertKind, PrivacyAlertOutcome } from '../../platform/db/schema.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { AlertStatus } from './privacy.rules.js'
import './privacy.tables.js'

/** A child an alert or an audit entry is about, with the viewer's standing to them (the policy decides what is shown). */
export type ChildStanding = {
  childId: string | null
  childGivenNames: string | null
  childFamilyName: string | null
  childIsRestricted: boolean | null
  childRelationship: Relationship | null
  childIsNamedOnRestriction: boolean | null
}

export type AlertRow = ChildStanding & {
  id: string
  kind: PrivacyAlertKind
  userId: string
  personName: string
  personAgency: string
  raisedAt: Date
  detail: Record<string, unknown>
  reviewedAt: Date | null
  reviewerName: string | null
  outcome: PrivacyAlertOutcome | null
  outcomeNote: string | null
}

export type AlertDetailRow = AlertRow & {
  personRoles: string[]
  reviewKey: string | null
  breakGlass: { reasonCode: string; reasonText: string; openedAt: Date; expiresAt: Date } | null
}

export type EntryRow = ChildStanding & {
  id: string
  occurredAt: Date
  action: string
  outcome: AuditOutcome
  recordType: string
  recordId: string | null
}

export type Person = { id: string; displayName: string; agencyName: string; disabled: boolean }

/** The child's name and the viewer's standing to them, in the statement that reads the rows (`cid`: the child's id column). */
const standing = (cid: string, actor: Actor) => {
  const child = sql.ref(cid)
  return sql`c.given_names AS child_given_names, c.family_name AS child_family_name, c.is_restricted AS child_is_restricted,
    CASE WHEN c.id IS NULL THEN NULL ELSE ${relationshipToChild(child, actor)} END AS child_relationship,
    CASE WHEN c.id IS NULL THEN NULL ELSE ${namedOnRestriction(child, actor)} END AS child_is_named_on_restriction`
}

const alertColumns = (actor: Actor) => sql`a.id::text AS id, a.kind, a.user_id::text AS user_id, u.display_name AS person_name,
  g.name AS person_agency, a.raised_at, a.detail, a.reviewed_at, r.display_name AS reviewer_name, a.outcome, a.outcome_note,
  a.child_id::text AS child_id, ${standing('a.child_id', actor)}`

const alertJoins = sql`JOIN app_user u ON u.id = a.user_id JOIN agency g ON g.id = u.agency_id
  LEFT JOIN app_user r ON r.id = a.reviewed_by LEFT JOIN child c ON c.id = a.child_id`

const statusCondition = (status: AlertStatus) =>
  status === 'waiting' ? sql`a.reviewed_at IS NULL` : status === 'reviewed' ? sql`a.reviewed_at IS NOT NULL` : sql`true`

/** SQL only; every method takes the transaction it runs in (row-level security limits it to the partnership). */
export function privacyRepository() {
  return {
    async countWaiting(db: Executor, partnershipId: string): Promise<number> {
      const row = await db
        .selectFrom('privacyAlert')
        .select(sql<string>`count(*)`.as('n'))
        .where('partnershipId', '=', partnershipId)
        .where('reviewedAt', 'is', null)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    /** Waiting alerts first, oldest first; then reviewed ones, the latest review first. One statement with the total. */
    async listAlerts(
      db: Executor,
      actor: Actor,
      filter: { kind: PrivacyAlertKind | null; status: AlertStatus; limit: number; offset: number },
    ): Promise<{ rows: AlertRow[]; total: number }> {
      const result = await sql<AlertRow & { total: string }>`
        SELECT ${alertColumns(actor)}, count(*) OVER () AS total
        FROM privacy_alert a ${alertJoins}
        WHERE a.partnership_id = ${actor.partnershipId}
          AND ${statusCondition(filter.status)}
          AND (${filter.kind}::text IS NULL OR a.kind = ${filter.kind})
        ORDER BY a.reviewed_at IS NOT NULL, CASE WHEN a.reviewed_at IS NULL THEN a.raised_at END ASC, a.reviewed_at DESC, a.id
        LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db)
      return { rows: result.rows.map(({ total: _t, ...row }) => row), total: Number(result.rows[0]?.total ?? 0) }
    },

    /** One alert with the person's roles and the break-glass reason they gave (the access it was raised for). */
    async findAlert(db: Executor, actor: Actor, alertId: string): Promise<AlertDetailRow | undefined> {
      const result = await sql<AlertDetailRow>`
        SELECT ${alertColumns(actor)}, a.review_key::text AS review_key,
          ARRAY(SELECT ur.role FROM user_role ur WHERE ur.user_id = a.user_id ORDER BY ur.role) AS person_roles,
          (SELECT json_build_object('reasonCode', b.reason_code, 'reasonText', b.reason_text, 'openedAt', b.opened_at, 'expiresAt', b.expires_at)
             FROM break_glass_access b
            WHERE b.user_id = a.user_id AND b.child_id = a.child_id AND b.opened_at <= a.raised_at
            ORDER BY b.opened_at DESC LIMIT 1) AS break_glass
        FROM privacy_alert a ${alertJoins}
        WHERE a.id = ${alertId} AND a.partnership_id = ${actor.partnershipId}`.execute(db)
      const row = result.rows[0]
      if (!row) return undefined
      const bg = row.breakGlass as unknown as { reasonCode: string; reasonText: string; openedAt: string; expiresAt: string } | null
      return { ...row, breakGlass: bg ? { ...bg, openedAt: new Date(bg.openedAt), expiresAt: new Date(bg.expiresAt) } : null }
    },

    /**
     * Reviews an alert once: nothing is changed if it was reviewed already (returns false).
     * The form's key is kept, so the same form sent again can be told from a second review.
     */
    async review(
      db: Executor,
      alertId: string,
      review: { reviewedBy: string; outcome: PrivacyAlertOutcome; note: string | null; key: string; at: Date },
    ): Promise<boolean> {
      const updated = await db
        .updateTable('privacyAlert')
        .set({
          reviewedBy: review.reviewedBy,
          reviewedAt: review.at,
          outcome: review.outcome,
          outcomeNote: review.note,
          reviewKey: review.key,
        })
        .where('id', '=', alertId)
        .where('reviewedAt', 'is', null)
        .returning('id')
        .executeTakeFirst()
      return !!updated
    },

    /**
     * A person's audit entries between two instants, newest first, a page at a time, each with the
     * child it is about (the record itself, or the case, meeting or material it names) and the viewer's standing to them.
     */
    async entriesBy(
      db: Executor,
      actor: Actor,
      q: { userId: string; from: Date; to: Date; limit: number; offset: number; order?: 'asc' | 'desc' },
    ): Promise<{ rows: EntryRow[]; total: number }> {
      const order = q.order === 'asc' ? sql`ASC` : sql`DESC`
      const result = await sql<EntryRow & { total: string }>`
        WITH page AS (
          SELECT a.*, count(*) OVER () AS total FROM audit_log a
          WHERE a.user_id = ${q.userId} AND a.partnership_id = ${actor.partnershipId}
            AND a.occurred_at >= ${q.from} AND a.occurred_at <= ${q.to}
          ORDER BY a.occurred_at ${order}, a.id ${order}
          LIMIT ${q.limit} OFFSET ${q.offset}
        ), about AS (
          SELECT p.*, COALESCE(
              CASE WHEN p.record_type = 'child' THEN p.record_id END,
              p.detail->>'childId',
              (SELECT k.child_id::text FROM hsb_case k
                WHERE k.id::text = COALESCE(CASE WHEN p.record_type = 'case' THEN p.record_id END, p.detail->>'caseId'))
            ) AS about_child
          FROM page p
        )
        SELECT p.id::text AS id, p.occurred_at, p.action, p.outcome, p.record_type, p.record_id, p.total,
          c.id::text AS child_id, ${standing('c.id', actor)}
        FROM about p LEFT JOIN child c ON c.id::text = p.about_child
        ORDER BY p.occurred_at ${order}, p.id ${order}`.execute(db)
      return { rows: result.rows.map(({ total: _t, ...row }) => row), total: Number(result.rows[0]?.total ?? 0) }
    },

    /** The people of the partnership, for the access report's picker. */
    async people(db: Executor, partnershipId: string): Promise<Person[]> {
      const rows = await db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select(['u.id', 'u.displayName', 'g.name as agencyName', 'u.disabledAt'])
        .where('u.partnershipId', '=', partnershipId)
        .orderBy('u.displayName')
        .orderBy('u.id')
        .execute()
      return rows.map((r) => ({ id: r.id, displayName: r.displayName, agencyName: r.agencyName, disabled: r.disabledAt !== null }))
    },

    async person(db: Executor, partnershipId: string, userId: string): Promise<Person | undefined> {
      const row = await db
        .selectFrom('appUser as u')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select(['u.id', 'u.displayName', 'g.name as agencyName', 'u.disabledAt'])
        .where('u.partnershipId', '=', partnershipId)
        .where('u.id', '=', userId)
        .executeTakeFirst()
      return row && { id: row.id, displayName: row.displayName, agencyName: row.agencyName, disabled: row.disabledAt !== null }
    },
  }
}
export type PrivacyRepository = ReturnType<typeof privacyRepository>
