import { sql } from 'kysely'
import type { IsoDate } from '../../platform/clocks/london-time.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { RecordKind, Schedule } from './retention.rules.js'
import type { DeletionStatus } from './retention.tables.js'

/** A child whose record could fall due (no case open), with what the rules need and what stands in the way. */
export type Candidate = {
  childId: string
  givenNames: string
  familyName: string
  isRestricted: boolean
  localCaseId: string | null
  dateOfBirth: IsoDate
  lastContact: Date
  kind: RecordKind
  holdId: string | null
  deletionId: string | null
  deletionStatus: DeletionStatus | null
}

export type ScheduleRow = Schedule & { decisionNote: string; decidedByName: string }

export type HoldRow = {
  id: string
  childId: string
  reason: string
  placedAt: Date
  placedByName: string
  liftedAt: Date | null
  liftReason: string | null
  liftedByName: string | null
}

export type DeletionRow = {
  id: string
  childId: string
  kind: RecordKind
  scheduleId: string
  basis: string
  dueOn: IsoDate
  status: DeletionStatus
  proposedBy: string
  proposedByName: string
  proposedAt: Date
  decidedBy: string | null
  decidedByName: string | null
  decidedAt: Date | null
  decisionNote: string | null
  executedAt: Date | null
  /** The child's reference and name while the record exists (null once erased). */
  reference: string | null
  name: string | null
  held: boolean
}

export type TombstoneRow = { id: string; childId: string; kind: RecordKind; erasedAt: Date; deletionId: string; approvedByName: string }

const isoDate = (column: string) => sql<IsoDate>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`

/** SQL only: the retention tables, and what the review list reads of children and their cases. */
export function retentionRepository() {
  return {
    async schedules(db: Executor, partnershipId: string): Promise<ScheduleRow[]> {
      return db
        .selectFrom('retentionSchedule as s')
        .innerJoin('appUser as u', 'u.id', 's.decidedBy')
        .select([
          's.id',
          's.kind',
          's.yearsAfterLastContact',
          's.untilBirthday',
          isoDate('s.effectiveFrom').as('effectiveFrom'),
          's.decidedAt',
          's.decisionNote',
          'u.displayName as decidedByName',
        ])
        .where('s.partnershipId', '=', partnershipId)
        .orderBy('s.effectiveFrom', 'desc')
        .orderBy('s.decidedAt', 'desc')
        .execute()
    },

    /** A new version of the schedule, once per form (the same form sent again adds nothing: null). */
    async insertSchedule(
      db: Executor,
      row: {
        partnershipId: string
        kind: RecordKind
        yearsAfterLastContact: number | null
        untilBirthday: number | null
        effectiveFrom: IsoDate
        decisionNote: string
        decidedBy: string
        idempotencyKey: string
      },
    ): Promise<string | null> {
      const inserted = await db
        .insertInto('retentionSchedule')
        .values(row)
        .onConflict((oc) => oc.columns(['partnershipId', 'idempotencyKey']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return inserted?.id ?? null
    },

    /** Every child of the partnership with no case open: what the rules need to say whether they are due. */
    async candidates(db: Executor, partnershipId: string, childId?: string): Promise<Candidate[]> {
      const result = await sql<Candidate>`
        SELECT c.id AS child_id, c.given_names, c.family_name, c.is_restricted, c.local_case_id,
          to_char(c.date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
          coalesce(greatest(k.last_closed, k.last_event), c.created_at) AS last_contact,
          CASE WHEN k.cases > 0 AND k.cases = k.nfa_cases THEN 'FRONT_DOOR_NFA' ELSE 'CHILD_RECORD' END AS kind,
          h.id AS hold_id, d.id AS deletion_id, d.status AS deletion_status
        FROM child c
        CROSS JOIN LATERAL (
          SELECT count(*) AS cases,
            count(*) FILTER (WHERE k.status NOT IN ('CLOSED', 'EARLY_HELP')) AS open_cases,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM case_event e WHERE e.case_id = k.id AND e.action = 'CLOSE_NO_FURTHER_ACTION')) AS nfa_cases,
            max(k.closed_at) AS last_closed,
            (SELECT max(e.occurred_at) FROM case_event e WHERE e.case_id = ANY (array_agg(k.id))) AS last_event
          FROM hsb_case k WHERE k.child_id = c.id
        ) k
        LEFT JOIN legal_hold h ON h.child_id = c.id AND h.lifted_at IS NULL
        LEFT JOIN retention_deletion d ON d.child_id = c.id AND d.status IN ('PROPOSED', 'APPROVED')
        WHERE c.partnership_id = ${partnershipId} AND k.open_cases = 0 ${childId ? sql`AND c.id = ${childId}` : sql``}
        ORDER BY c.id`.execute(db)
      return result.rows
    },

    async candidate(db: Executor, partnershipId: string, childId: string): Promise<Candidate | undefined> {
      return (await this.candidates(db, partnershipId, childId))[0]
    },

    /** The child, for a hold placed on any record of the partnership (whether due or not). */
    async child(
      db: Executor,
      partnershipId: string,
      childId: string,
    ): Promise<{ id: string; givenNames: string; familyName: string; isRestricted: boolean; localCaseId: string | null } | undefined> {
      return db
        .selectFrom('child')
        .select(['id', 'givenNames', 'familyName', 'isRestricted', 'localCaseId'])
        .where('partnershipId', '=', partnershipId)
        .where('id', '=', childId)
        .executeTakeFirst()
    },

    async holds(db: Executor, partnershipId: string, options: { active: boolean }): Promise<HoldRow[]> {
      let q = db
        .selectFrom('legalHold as h')
        .innerJoin('appUser as p', 'p.id', 'h.placedBy')
        .leftJoin('appUser as l', 'l.id', 'h.liftedBy')
        .select([
          'h.id',
          'h.childId',
          'h.reason',
          'h.placedAt',
          'p.displayName as placedByName',
          'h.liftedAt',
          'h.liftReason',
          'l.displayName as liftedByName',
        ])
        .where('h.partnershipId', '=', partnershipId)
      q = options.active ? q.where('h.liftedAt', 'is', null) : q.where('h.liftedAt', 'is not', null)
      return q.orderBy('h.placedAt', 'desc').execute()
    },

    async activeHold(db: Executor, childId: string): Promise<HoldRow | undefined> {
      return (
        await db
          .selectFrom('legalHold as h')
          .innerJoin('appUser as p', 'p.id', 'h.placedBy')
          .select(['h.id', 'h.childId', 'h.reason', 'h.placedAt', 'p.displayName as placedByName'])
          .where('h.childId', '=', childId)
          .where('h.liftedAt', 'is', null)
          .execute()
      ).map((h) => ({ ...h, liftedAt: null, liftReason: null, liftedByName: null }))[0]
    },

    async hold(
      db: Executor,
      partnershipId: string,
      holdId: string,
    ): Promise<{ id: string; childId: string; liftedAt: Date | null } | undefined> {
      return db
        .selectFrom('legalHold')
        .select(['id', 'childId', 'liftedAt'])
        .where('partnershipId', '=', partnershipId)
        .where('id', '=', holdId)
        .executeTakeFirst()
    },

    /** Places a hold; one in force already is found instead (null). */
    async placeHold(
      db: Executor,
      row: { partnershipId: string; childId: string; reason: string; placedBy: string },
    ): Promise<string | null> {
      const inserted = await db
        .insertInto('legalHold')
        .values(row)
        .onConflict((oc) => oc.column('childId').where('liftedAt', 'is', null).doNothing())
        .returning('id')
        .executeTakeFirst()
      return inserted?.id ?? null
    },

    async liftHold(db: Executor, holdId: string, liftedBy: string, liftReason: string, at: Date): Promise<boolean> {
      const r = await db
        .updateTable('legalHold')
        .set({ liftedBy, liftReason, liftedAt: at })
        .where('id', '=', holdId)
        .where('liftedAt', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** A proposal; one waiting or approved for the child already is found instead (null). */
    async propose(
      db: Executor,
      row: {
        partnershipId: string
        childId: string
        kind: RecordKind
        scheduleId: string
        basis: string
        dueOn: IsoDate
        proposedBy: string
      },
    ): Promise<string | null> {
      const inserted = await db
        .insertInto('retentionDeletion')
        .values(row)
        .onConflict((oc) => oc.column('childId').where('status', 'in', ['PROPOSED', 'APPROVED']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return inserted?.id ?? null
    },

    async deletions(db: Executor, partnershipId: string, statuses: readonly DeletionStatus[]): Promise<DeletionRow[]> {
      const result = await sql<DeletionRow>`
        SELECT d.id, d.child_id, d.kind, d.schedule_id, d.basis, to_char(d.due_on, 'YYYY-MM-DD') AS due_on, d.status,
          d.proposed_by, p.display_name AS proposed_by_name, d.proposed_at,
          d.decided_by, q.display_name AS decided_by_name, d.decided_at, d.decision_note, d.executed_at,
          CASE WHEN c.id IS NULL THEN NULL ELSE coalesce(c.local_case_id, left(c.id::text, 8)) END AS reference,
          CASE WHEN c.id IS NULL THEN NULL WHEN c.is_restricted THEN 'Restricted record' ELSE c.given_names || ' ' || c.family_name END AS name,
          EXISTS (SELECT 1 FROM legal_hold h WHERE h.child_id = d.child_id AND h.lifted_at IS NULL) AS held
        FROM retention_deletion d
        JOIN app_user p ON p.id = d.proposed_by
        LEFT JOIN app_user q ON q.id = d.decided_by
        LEFT JOIN child c ON c.id = d.child_id
        WHERE d.partnership_id = ${partnershipId} AND d.status = ANY (${[...statuses]}::text[])
        ORDER BY d.proposed_at, d.id`.execute(db)
      return result.rows
    },

    async deletion(db: Executor, partnershipId: string, deletionId: string): Promise<DeletionRow | undefined> {
      const all = await this.deletions(db, partnershipId, ['PROPOSED', 'APPROVED', 'DECLINED', 'EXECUTED'])
      return all.find((d) => d.id === deletionId)
    },

    /** Decides a waiting proposal (never the proposer's: the table refuses it too). False when it is no longer waiting. */
    async decide(
      db: Executor,
      deletionId: string,
      decision: { status: 'APPROVED' | 'DECLINED'; decidedBy: string; decisionNote: string | null; at: Date },
    ): Promise<boolean> {
      const r = await db
        .updateTable('retentionDeletion')
        .set({ status: decision.status, decidedBy: decision.decidedBy, decisionNote: decision.decisionNote, decidedAt: decision.at })
        .where('id', '=', deletionId)
        .where('status', '=', 'PROPOSED')
        .where('proposedBy', '<>', decision.decidedBy)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** The approved proposals, oldest first (what a run erases), with the child's reference (never a name). */
    async approvedIds(db: Executor, partnershipId: string): Promise<{ id: string; childId: string; reference: string }[]> {
      const result = await sql<{ id: string; childId: string; reference: string }>`
        SELECT d.id, d.child_id, coalesce(c.local_case_id, left(d.child_id::text, 8)) AS reference
        FROM retention_deletion d LEFT JOIN child c ON c.id = d.child_id
        WHERE d.partnership_id = ${partnershipId} AND d.status = 'APPROVED'
        ORDER BY d.decided_at, d.id`.execute(db)
      return result.rows
    },

    /** Erases one child's record in the caller's transaction (migration 036's function): the tombstone's id. */
    async erase(db: Executor, deletionId: string): Promise<string> {
      const r = await sql<{ tombstoneId: string }>`SELECT hsb_retention_erase(${deletionId}::uuid) AS tombstone_id`.execute(db)
      return r.rows[0]!.tombstoneId
    },

    async tombstones(db: Executor, partnershipId: string, limit = 50): Promise<TombstoneRow[]> {
      return db
        .selectFrom('retentionTombstone as t')
        .innerJoin('appUser as a', 'a.id', 't.approvedBy')
        .select(['t.id', 't.childId', 't.kind', 't.erasedAt', 't.deletionId', 'a.displayName as approvedByName'])
        .where('t.partnershipId', '=', partnershipId)
        .orderBy('t.erasedAt', 'desc')
        .limit(limit)
        .execute()
    },
  }
}
export type RetentionRepository = ReturnType<typeof retentionRepository>

/** Why the database (migrations 036, 037) or the run refused an erasure: a code for the audit. */
export type RefusalCode = 'HELD' | 'HARMED_IN_ANOTHER_RECORD' | 'CASE_OPEN' | 'NOT_DUE' | 'ERROR'

const REFUSALS: readonly [code: string, message: RegExp, reason: RefusalCode][] = [
  ['HR001', /under a legal hold/, 'HELD'],
  ['HR004', /named as the harmed child/, 'HARMED_IN_ANOTHER_RECORD'],
  ['HR005', /has a case that is not closed/, 'CASE_OPEN'],
  ['NOT_DUE', /no longer due/, 'NOT_DUE'],
]

/** The refusal's code, by SQLSTATE (or its message, where a driver drops the SQLSTATE); anything else is an error. */
export function refusalOf(err: unknown): RefusalCode {
  if (typeof err !== 'object' || err === null) return 'ERROR'
  const code = (err as { code?: unknown }).code
  const message = String((err as { message?: unknown }).message ?? '')
  return REFUSALS.find(([c, m]) => code === c || m.test(message))?.[2] ?? 'ERROR'
}

/** The database's refusal to erase a record under a legal hold (SQLSTATE HR001, migration 036). */
export const isLegalHoldRefusal = (err: unknown): boolean => refusalOf(err) === 'HELD'
