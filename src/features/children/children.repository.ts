import type { RecordHistoryRow } from '../../platform/audit/audit.repository.js'
import { sql, type Expression, type SqlBool } from 'kysely'
import type { Actor, Relationship } from '../../platform/access/policy.js'
import {
  breakGlassOpen,
  breakGlassUntil,
  involvementOpen,
  namedOnRestriction,
  relationshipToChild,
} from '../../platform/access/relationship.sql.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { LinkKind } from './links.rules.js'
import type { ChildQuery } from './matches.rules.js'

/** What the access policy needs about a child: its partnership, restriction and the actor's relationship. */
export type ChildAccess = {
  partnershipId: string
  isRestricted: boolean
  isNamedOnRestriction: boolean
  relationship: Relationship
  /** An unexpired break-glass access of the actor's to this child (issue 18). */
  breakGlass: boolean
}

export type ChildForAccess = ChildAccess & {
  id: string
  givenNames: string
  familyName: string
  dateOfBirth: Date
  gender: string | null
  ethnicity: string | null
  nhsNumber: string | null
  upn: string | null
  localCaseId: string | null
  sendNeeds: string | null
  /** When the actor's break-glass access to the child ends, or null. */
  breakGlassUntil: Date | null
}

export type Involvement = {
  kind: 'ALLOCATED' | 'INVOLVED'
  agencyName: string
  teamName: string | null
  userDisplayName: string | null
  startedAt: Date
}

/** A break-glass opening of the record still running (issue 18): the record's access history shows them. */
export type OpenBreakGlass = { id: string; userName: string; agencyName: string; reasonCode: string; openedAt: Date; expiresAt: Date }

/** One of the child's cases; `status` is the pathway's (features/cases). */
export type ChildCase = { id: string; status: string; referralReceivedAt: Date; closedAt: Date | null }

/** A link from this child to another, both directions, with the actor's standing to the other child. */
export type LinkRow = ChildAccess & {
  id: string
  kind: LinkKind
  /** True when this child is the link's `child_id` (the kind describes the other child). */
  isFrom: boolean
  otherChildId: string
  givenNames: string
  familyName: string
}

/** A record the database offers as a possible match, with the actor's standing to it. */
export type CandidateRow = ChildAccess & {
  id: string
  givenNames: string
  familyName: string
  /** YYYY-MM-DD */
  dateOfBirth: string
  nhsNumber: string | null
  upn: string | null
  localCaseId: string | null
}

export type NewChild = {
  partnershipId: string
  givenNames: string
  familyName: string
  dateOfBirth: string
  isRestricted?: boolean
  gender?: string | null
  ethnicity?: string | null
  nhsNumber?: string | null
  upn?: string | null
  localCaseId?: string | null
  sendNeeds?: string | null
  createdBy?: string | null
  idempotencyKey?: string | null
}
export type NewInvolvement = {
  partnershipId: string
  childId: string
  agencyId: string
  teamId?: string | null
  userId?: string | null
  kind: 'ALLOCATED' | 'INVOLVED'
}

const CANDIDATE_LIMIT = 20
const isoDate = (d: Date) => d.toISOString().slice(0, 10)

/** The actor's standing to the child whose id is `ref`: whether named on its restriction, and their relationship. */
const standingTo = (ref: 'c.id' | 'o.id', actor: Actor) =>
  [
    namedOnRestriction(sql.ref(ref), actor).as('isNamedOnRestriction'),
    relationshipToChild(sql.ref(ref), actor).as('relationship'),
    breakGlassOpen(sql.ref(ref), actor).as('breakGlass'),
  ] as const

/** Children (aliased c) with what identifies them and the actor's standing to each, worked out in the same statement. */
const childWithStanding = (db: Executor, actor: Actor) =>
  db
    .selectFrom('child as c')
    .select([
      'c.id',
      'c.partnershipId',
      'c.givenNames',
      'c.familyName',
      'c.dateOfBirth',
      'c.nhsNumber',
      'c.upn',
      'c.localCaseId',
      'c.isRestricted',
      ...standingTo('c.id', actor),
    ])

export function childrenRepository() {
  return {
    /**
     * Who has seen or changed this child's data: audit rows for the child's record, for each of
     * the child's cases, for each of those cases' meetings, and for restricted interview material
     * (ABE) about the child as the harmed child or on the child's cases (allowed and refused), newest first.
     */
    async listAccessHistory(db: Executor, childId: string, limit = 200): Promise<{ entries: RecordHistoryRow[]; total: number }> {
      const rows = await sql<RecordHistoryRow & { total: string }>`
        WITH cases AS (SELECT id::text AS id FROM hsb_case WHERE child_id = ${childId}),
        meetings AS (SELECT m.id::text AS id FROM meeting m JOIN hsb_case k ON k.id = m.case_id WHERE k.child_id = ${childId}),
        mine AS (
          SELECT a.* FROM audit_log a WHERE a.record_type = 'child' AND a.record_id = ${childId}
          UNION ALL SELECT a.* FROM audit_log a WHERE a.record_type = 'case' AND a.record_id IN (SELECT id FROM cases)
          UNION ALL SELECT a.* FROM audit_log a WHERE a.record_type = 'meeting'
            AND (a.record_id IN (SELECT id FROM meetings) OR (a.record_id IS NULL AND a.detail->>'caseId' IN (SELECT id FROM cases)))
          -- Restricted interview material (ABE): on the harmed child's record and on the case's child's.
          UNION ALL SELECT a.* FROM audit_log a WHERE a.record_type = 'abe_material'
            AND (a.detail->>'harmedChildId' = ${childId}::text OR a.detail->>'caseId' IN (SELECT id FROM cases))
        )
        SELECT a.id::text AS id, a.occurred_at, a.action, a.outcome, a.user_id, u.display_name, g.name AS agency_name,
               count(*) OVER () AS total
        FROM mine a LEFT JOIN app_user u ON u.id = a.user_id LEFT JOIN agency g ON g.id = u.agency_id
        ORDER BY a.id DESC LIMIT ${limit}`.execute(db)
      return { entries: rows.rows.map(({ total: _total, ...entry }) => entry), total: Number(rows.rows[0]?.total ?? 0) }
    },

    /** Break-glass openings of this record still running, newest first. */
    async listOpenBreakGlass(db: Executor, childId: string): Promise<OpenBreakGlass[]> {
      return db
        .selectFrom('breakGlassAccess as b')
        .innerJoin('appUser as u', 'u.id', 'b.userId')
        .innerJoin('agency as g', 'g.id', 'u.agencyId')
        .select(['b.id', 'u.displayName as userName', 'g.name as agencyName', 'b.reasonCode', 'b.openedAt', 'b.expiresAt'])
        .where('b.childId', '=', childId)
        .where('b.expiresAt', '>', sql<Date>`now()`)
        .orderBy('b.openedAt', 'desc')
        .execute()
    },

    /**
     * The child with the actor's relationship to them, worked out in the same statement:
     * named on an open involvement, through a team, through the agency, or not at all.
     */
    async findForAccess(db: Executor, childId: string, actor: Actor): Promise<ChildForAccess | undefined> {
      return childWithStanding(db, actor)
        .select(['c.gender', 'c.ethnicity', 'c.sendNeeds', breakGlassUntil(sql.ref('c.id'), actor).as('breakGlassUntil')])
        .where('c.id', '=', childId)
        .executeTakeFirst()
    },

    async listInvolvements(db: Executor, childId: string): Promise<Involvement[]> {
      return db
        .selectFrom('childInvolvement as i')
        .innerJoin('agency as g', 'g.id', 'i.agencyId')
        .leftJoin('team as t', 't.id', 'i.teamId')
        .leftJoin('appUser as u', 'u.id', 'i.userId')
        .select(['i.kind', 'g.name as agencyName', 't.name as teamName', 'u.displayName as userDisplayName', 'i.startedAt'])
        .where('i.childId', '=', childId)
        .where(involvementOpen('i'))
        .orderBy('i.kind')
        .orderBy('g.name')
        .execute()
    },

    /** The child's cases on the pathway, newest first. */
    async listCases(db: Executor, childId: string): Promise<ChildCase[]> {
      const rows = await db
        .selectFrom('hsbCase')
        .select(['id', 'status', 'referralReceivedAt', 'closedAt'])
        .where('childId', '=', childId)
        .orderBy('referralReceivedAt', 'desc')
        .execute()
      return rows
    },

    /** Links in both directions, each with the actor's relationship to the other child: one statement. */
    async listLinks(db: Executor, childId: string, actor: Actor): Promise<LinkRow[]> {
      return db
        .selectFrom('childLink as l')
        .innerJoin('child as o', (join) =>
          join.on(sql<SqlBool>`o.id = CASE WHEN l.child_id = ${childId}::uuid THEN l.linked_child_id ELSE l.child_id END`),
        )
        .select([
          'l.id',
          'l.kind',
          sql<boolean>`l.child_id = ${childId}::uuid`.as('isFrom'),
          'o.id as otherChildId',
          'o.givenNames',
          'o.familyName',
          'o.partnershipId',
          'o.isRestricted',
          ...standingTo('o.id', actor),
        ])
        .where((eb) => eb.or([eb('l.childId', '=', childId), eb('l.linkedChildId', '=', childId)]))
        .orderBy('l.createdAt')
        .orderBy('l.id')
        .execute()
    },

    /**
     * Possible matches for what was typed: the same identifier, the same date of birth, or a
     * family name or first names alike by trigram (pg_trgm's `%`, similarity ≥ 0.3, which uses
     * the trigram indexes). Identifier matches first, then the closest; at most 20.
     */
    async findCandidates(db: Executor, partnershipId: string, query: ChildQuery, actor: Actor): Promise<CandidateRow[]> {
      const identifiers: Expression<SqlBool>[] = []
      if (query.nhsNumber) identifiers.push(sql<SqlBool>`c.nhs_number = ${query.nhsNumber}`)
      if (query.upn) identifiers.push(sql<SqlBool>`c.upn = ${query.upn}`)
      if (query.localCaseId) identifiers.push(sql<SqlBool>`upper(c.local_case_id) = upper(${query.localCaseId})`)
      const alike: Expression<SqlBool>[] = []
      if (query.dateOfBirth) alike.push(sql<SqlBool>`c.date_of_birth = ${query.dateOfBirth}::date`)
      if (query.familyName) alike.push(sql<SqlBool>`lower(c.family_name) % lower(${query.familyName})`)
      if (query.givenNames) alike.push(sql<SqlBool>`lower(c.given_names) % lower(${query.givenNames})`)
      if (identifiers.length + alike.length === 0) return []
      const closeness = [
        query.dateOfBirth ? sql`(c.date_of_birth = ${query.dateOfBirth}::date)::int` : null,
        query.familyName ? sql`similarity(lower(c.family_name), lower(${query.familyName}))` : null,
        query.givenNames ? sql`similarity(lower(c.given_names), lower(${query.givenNames}))` : null,
      ].filter((e) => e !== null)
      const rows = await childWithStanding(db, actor)
        .where('c.partnershipId', '=', partnershipId)
        .where((eb) => eb.or([...identifiers, ...alike]))
        .$if(identifiers.length > 0, (qb) => qb.orderBy(sql`(${sql.join(identifiers, sql` OR `)})`, 'desc'))
        .$if(closeness.length > 0, (qb) => qb.orderBy(sql`(${sql.join(closeness, sql` + `)})`, 'desc'))
        .orderBy('c.id')
        .limit(CANDIDATE_LIMIT)
        .execute()
      return rows.map((r) => ({ ...r, dateOfBirth: isoDate(r.dateOfBirth) }))
    },

    /**
     * How many searches for a child this person ran in the last `minutes` (their allowed
     * `child:search` audit entries; a partial index serves it). First waits for any other search
     * of theirs still running, on any process, so two at once cannot both slip under the limit.
     */
    async searchesInWindow(db: Executor, userId: string, minutes: number): Promise<number> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`child_search:${userId}`}))`.execute(db)
      const row = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_log
        WHERE user_id = ${userId} AND action = 'child:search' AND outcome = 'ALLOWED'
          AND occurred_at > now() - make_interval(mins => ${minutes})`.execute(db)
      return row.rows[0]?.n ?? 0
    },

    async findByIdempotencyKey(db: Executor, key: string): Promise<{ id: string; createdBy: string | null } | undefined> {
      return db.selectFrom('child').select(['id', 'createdBy']).where('idempotencyKey', '=', key).executeTakeFirst()
    },

    async insertChild(db: Executor, child: NewChild): Promise<string> {
      const row = await db
        .insertInto('child')
        .values({ ...child, isRestricted: child.isRestricted ?? false })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },

    async insertInvolvement(db: Executor, involvement: NewInvolvement): Promise<void> {
      await db
        .insertInto('childInvolvement')
        .values({ ...involvement, teamId: involvement.teamId ?? null, userId: involvement.userId ?? null })
        .execute()
    },

    async restrict(db: Executor, childId: string): Promise<void> {
      await db.updateTable('child').set({ isRestricted: true }).where('id', '=', childId).execute()
    },

    async grantRestrictedAccess(db: Executor, partnershipId: string, childId: string, userId: string): Promise<void> {
      await db.insertInto('childRestrictedAccess').values({ partnershipId, childId, userId }).execute()
    },

    /** Whether `from` is linked to `to` with this kind (or either way round, when `eitherWay`). */
    async hasLink(db: Executor, from: string, to: string, kind: LinkKind, eitherWay: boolean): Promise<boolean> {
      const row = await db
        .selectFrom('childLink')
        .select('id')
        .where('kind', '=', kind)
        .where((eb) => {
          const forward = eb.and([eb('childId', '=', from), eb('linkedChildId', '=', to)])
          return eitherWay ? eb.or([forward, eb.and([eb('childId', '=', to), eb('linkedChildId', '=', from)])]) : forward
        })
        .executeTakeFirst()
      return !!row
    },

    async insertLink(
      db: Executor,
      link: { partnershipId: string; childId: string; linkedChildId: string; kind: LinkKind; createdBy: string },
    ): Promise<string> {
      const row = await db.insertInto('childLink').values(link).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
  }
}
export type ChildrenRepository = ReturnType<typeof childrenRepository>
