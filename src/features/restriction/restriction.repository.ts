import { sql } from 'kysely'
import { PRACTITIONER_ROLES } from '../../platform/access/roles.js'
import { involvementOpen } from '../../platform/access/relationship.sql.js'
import type { Executor } from '../../platform/db/transaction.js'

/** A practitioner who may be named on a restricted record, and whether they work with the child now. */
export type NameablePerson = { id: string; displayName: string; agencyName: string; worksWithChild: boolean }

/** One change to a record's restriction, newest first, with who made it. */
export type RestrictionChangeRow = {
  id: string
  restricted: boolean
  reason: string
  namedUserIds: string[]
  changedByName: string | null
  changedAt: Date
}

export type RestrictionChange = {
  partnershipId: string
  childId: string
  restricted: boolean
  reason: string
  named: readonly string[]
  changedBy: string
  formKey: string | null
}

/** SQL only: restricting a child's record (issue 18) and break-glass openings. Every method takes the caller's transaction. */
export function restrictionRepository() {
  return {
    /**
     * The partnership's practitioners (not disabled), with whether each works with the child now
     * (an open involvement of their own, or of a team they belong to): who a restriction may name.
     */
    async nameablePeople(db: Executor, partnershipId: string, childId: string): Promise<NameablePerson[]> {
      const rows = await sql<NameablePerson>`
        SELECT u.id, u.display_name AS "displayName", g.name AS "agencyName",
          EXISTS (SELECT 1 FROM child_involvement i
                  WHERE i.child_id = ${childId} AND ${involvementOpen('i')}
                    AND (i.user_id = u.id OR i.team_id IN (SELECT m.team_id FROM team_member m WHERE m.user_id = u.id))) AS "worksWithChild"
        FROM app_user u JOIN agency g ON g.id = u.agency_id
        WHERE u.partnership_id = ${partnershipId} AND u.disabled_at IS NULL
          AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ANY(${[...PRACTITIONER_ROLES]}::text[]))
        ORDER BY u.display_name, u.id`.execute(db)
      return rows.rows
    },

    async namedOn(db: Executor, childId: string): Promise<string[]> {
      const rows = await db.selectFrom('childRestrictedAccess').select('userId').where('childId', '=', childId).execute()
      return rows.map((r) => r.userId)
    },

    async history(db: Executor, childId: string): Promise<RestrictionChangeRow[]> {
      return db
        .selectFrom('childRestrictionChange as h')
        .leftJoin('appUser as u', 'u.id', 'h.changedBy')
        .select(['h.id', 'h.restricted', 'h.reason', 'h.namedUserIds', 'u.displayName as changedByName', 'h.changedAt'])
        .where('h.childId', '=', childId)
        .orderBy('h.changedAt', 'desc')
        .orderBy('h.id', 'desc')
        .execute()
    },

    /**
     * Restricts, changes or lifts a restriction: the history row first (once per form: the same
     * form sent again changes nothing and returns null), then the child's flag and the people
     * named, replaced. The child's row is locked so two changes at once apply one after the other.
     */
    async apply(db: Executor, c: RestrictionChange): Promise<string | null> {
      await db.selectFrom('child').select('id').where('id', '=', c.childId).forUpdate().execute()
      const inserted = await db
        .insertInto('childRestrictionChange')
        .values({
          partnershipId: c.partnershipId,
          childId: c.childId,
          restricted: c.restricted,
          reason: c.reason,
          namedUserIds: [...c.named],
          changedBy: c.changedBy,
          formKey: c.formKey,
        })
        .onConflict((oc) => oc.columns(['childId', 'formKey']).where('formKey', 'is not', null).doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!inserted) return null
      await db.updateTable('child').set({ isRestricted: c.restricted }).where('id', '=', c.childId).execute()
      await db.deleteFrom('childRestrictedAccess').where('childId', '=', c.childId).execute()
      if (c.restricted && c.named.length)
        await db
          .insertInto('childRestrictedAccess')
          .values(c.named.map((userId) => ({ partnershipId: c.partnershipId, childId: c.childId, userId })))
          .execute()
      return inserted.id
    },

    /**
     * A break-glass opening for `hours`, unless this person already has one running for the child
     * (a form sent twice opens once): under a per-person-and-child lock, so two at once open one.
     * Returns the opening's id and when it ends, and whether it is new.
     */
    async openBreakGlass(
      db: Executor,
      o: { partnershipId: string; childId: string; userId: string; reasonCode: string; reasonText: string; hours: number },
    ): Promise<{ id: string; expiresAt: Date; isNew: boolean }> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`break-glass:${o.userId}:${o.childId}`}))`.execute(db)
      const running = await db
        .selectFrom('breakGlassAccess')
        .select(['id', 'expiresAt'])
        .where('userId', '=', o.userId)
        .where('childId', '=', o.childId)
        .where('expiresAt', '>', sql<Date>`now()`)
        .orderBy('expiresAt', 'desc')
        .executeTakeFirst()
      if (running) return { ...running, isNew: false }
      const row = await db
        .insertInto('breakGlassAccess')
        .values({
          partnershipId: o.partnershipId,
          childId: o.childId,
          userId: o.userId,
          reasonCode: o.reasonCode,
          reasonText: o.reasonText,
          expiresAt: sql<Date>`now() + make_interval(hours => ${o.hours}::int)`,
        })
        .returning(['id', 'expiresAt'])
        .executeTakeFirstOrThrow()
      return { ...row, isNew: true }
    },

    /**
     * Who is told of a break-glass opening: the partnership's privacy officers, and the team
     * managers of the teams allocated to the child's open cases (not disabled). With the child's
     * latest case, for the managers' link.
     */
    async breakGlassRecipients(
      db: Executor,
      partnershipId: string,
      childId: string,
    ): Promise<{ privacyOfficers: string[]; teamManagers: string[]; latestCaseId: string | null }> {
      const row = await sql<{ privacyOfficers: string[] | null; teamManagers: string[] | null; latestCaseId: string | null }>`
        SELECT
          (SELECT array_agg(DISTINCT u.id) FROM app_user u JOIN user_role r ON r.user_id = u.id
            WHERE u.partnership_id = ${partnershipId} AND u.disabled_at IS NULL AND r.role = 'PRIVACY_OFFICER') AS "privacyOfficers",
          (SELECT array_agg(DISTINCT m.user_id) FROM hsb_case k
            JOIN team_member m ON m.team_id = k.allocated_team_id
            JOIN user_role r ON r.user_id = m.user_id AND r.role = 'TEAM_MANAGER'
            JOIN app_user u ON u.id = m.user_id AND u.disabled_at IS NULL
            WHERE k.child_id = ${childId} AND k.closed_at IS NULL) AS "teamManagers",
          (SELECT k.id FROM hsb_case k WHERE k.child_id = ${childId} ORDER BY k.referral_received_at DESC, k.id LIMIT 1) AS "latestCaseId"`.execute(
        db,
      )
      const r = row.rows[0]
      return { privacyOfficers: r?.privacyOfficers ?? [], teamManagers: r?.teamManagers ?? [], latestCaseId: r?.latestCaseId ?? null }
    },
  }
}
export type RestrictionRepository = ReturnType<typeof restrictionRepository>
