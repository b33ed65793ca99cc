import { sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import { breakGlassUntil, namedOnRestriction, relationshipToChild } from '../../platform/access/relationship.sql.js'
import type { ClockStopReason } from '../../platform/clocks/clocks.rules.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'
import type { CaseRoute, CaseStatus, Rating } from './pathway.rules.js'
import type { TimescaleChange } from './timescales.rules.js'

export type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'

export type NewCase = { partnershipId: string; childId: string; route: CaseRoute; status: CaseStatus; referralReceivedAt: Date }

export type CaseEvent = {
  partnershipId: string
  caseId: string
  action: string
  fromStatus: CaseStatus | null
  toStatus: CaseStatus
  actorId: string | null
  /** When it happened, if not now. */
  occurredAt?: Date
  lateReason?: string | null
  detail?: Record<string, unknown>
}

type JsonEvent = Omit<CaseEventRow, 'occurredAt' | 'recordedAt'> & { occurredAt: string; recordedAt: string }
type JsonClock = Omit<CaseClockRow, 'startedAt' | 'dueAt' | 'metAt'> & { startedAt: string; dueAt: string; metAt: string | null }

type Who = { partnershipId: string; childId: string; agencyId: string; teamId?: string | null; userId?: string | null }

/** A child_involvement row for who works with the child (only these columns: callers spread more into `who`). */
const involvement = (who: Who, kind: 'ALLOCATED' | 'INVOLVED') => ({
  partnershipId: who.partnershipId,
  childId: who.childId,
  agencyId: who.agencyId,
  teamId: who.teamId ?? null,
  userId: who.userId ?? null,
  kind,
})

/** SQL only. Every method takes the transaction it runs in. */
export function casesRepository() {
  return {
    /** The case, its child's name and the actor's relationship to the child, in one statement. */
    async findForAccess(db: Executor, caseId: string, actor: Actor): Promise<CaseForAccess | undefined> {
      const row = await db
        .selectFrom('hsbCase as k')
        .innerJoin('child as c', 'c.id', 'k.childId')
        .leftJoin('team as t', 't.id', 'k.allocatedTeamId')
        .leftJoin('appUser as u', 'u.id', 'k.allocatedUserId')
        .select([
          'k.id',
          'k.partnershipId',
          'k.childId',
          sql<string>`c.given_names || ' ' || c.family_name`.as('childName'),
          'c.dateOfBirth as childDateOfBirth',
          'k.route',
          'k.status',
          'k.rating',
          'k.allocatedTeamId',
          't.name as allocatedTeamName',
          'k.allocatedUserId',
          'u.displayName as allocatedUserName',
          'k.referralReceivedAt',
          'k.version',
          'c.isRestricted',
          namedOnRestriction(sql.ref('c.id'), actor).as('isNamedOnRestriction'),
          relationshipToChild(sql.ref('c.id'), actor).as('relationship'),
          breakGlassUntil(sql.ref('c.id'), actor).as('breakGlassUntil'),
        ])
        .where('k.id', '=', caseId)
        .executeTakeFirst()
      // Break-glass (issue 18): open while an unexpired access exists, computed in this statement.
      return row ? ({ ...row, breakGlass: row.breakGlassUntil !== null } as CaseForAccess) : undefined
    },

    async insertCase(db: Executor, row: NewCase): Promise<string> {
      // A case opens when its request for support was received, whenever that is entered.
      const inserted = await db
        .insertInto('hsbCase')
        .values({ ...row, openedAt: row.referralReceivedAt })
        .returning('id')
        .executeTakeFirstOrThrow()
      return inserted.id
    },

    /** Imported cases (SSD import), with the ids the kernel chose, in one statement per 500. */
    async insertCases(db: Executor, rows: readonly (NewCase & { id: string; closedAt: Date | null })[]): Promise<void> {
      for (let at = 0; at < rows.length; at += 500)
        await db
          .insertInto('hsbCase')
          .values(rows.slice(at, at + 500).map((r) => ({ ...r, openedAt: r.referralReceivedAt })))
          .execute()
    },

    /** The imported steps cases already have, as `caseId|sourceKey`. */
    async importedSourceKeys(db: Executor, caseIds: readonly string[]): Promise<Set<string>> {
      if (caseIds.length === 0) return new Set()
      const rows = await db
        .selectFrom('caseEvent')
        .select(['caseId', sql<string>`detail->>'sourceKey'`.as('sourceKey')])
        .where('caseId', 'in', caseIds)
        .where(sql<boolean>`detail ? 'sourceKey'`)
        .execute()
      return new Set(rows.map((r) => `${r.caseId}|${r.sourceKey}`))
    },

    /** The cases a step taken here (not brought in by an import) has moved. */
    async movedHere(db: Executor, caseIds: readonly string[]): Promise<Set<string>> {
      if (caseIds.length === 0) return new Set()
      const rows = await db
        .selectFrom('caseEvent')
        .select('caseId')
        .distinct()
        .where('caseId', 'in', caseIds)
        .where(sql<boolean>`from_status IS DISTINCT FROM to_status AND NOT (detail ? 'sourceKey')`)
        .execute()
      return new Set(rows.map((r) => r.caseId))
    },

    async statusesOf(db: Executor, caseIds: readonly string[]): Promise<Map<string, CaseStatus>> {
      if (caseIds.length === 0) return new Map()
      const rows = await db.selectFrom('hsbCase').select(['id', 'status']).where('id', 'in', caseIds).execute()
      return new Map(rows.map((r) => [r.id, r.status as CaseStatus]))
    },

    /** Many events in one statement per 1,000 (an import's history). */
    async insertEvents(db: Executor, events: readonly CaseEvent[]): Promise<void> {
      for (let at = 0; at < events.length; at += 1000)
        await db
          .insertInto('caseEvent')
          .values(events.slice(at, at + 1000).map((e) => ({ ...e, detail: JSON.stringify(e.detail ?? {}) })))
          .execute()
    },

    /** Imported cases whose steps moved them on (an episode closed since the last import). */
    async setImportedStatuses(db: Executor, rows: readonly { id: string; status: CaseStatus; closedAt: Date | null }[]): Promise<void> {
      for (const r of rows)
        await db
          .updateTable('hsbCase')
          .set((eb) => ({ status: r.status, closedAt: r.closedAt, version: eb('version', '+', 1) }))
          .where('id', '=', r.id)
          .where((eb) => eb.or([eb('status', '<>', r.status), eb('closedAt', 'is distinct from', r.closedAt)]))
          .execute()
    },

    /** Moves the case on only if nobody else has since the caller read it (version check). */
    async updateCase(
      db: Executor,
      caseId: string,
      expectedVersion: number,
      patch: {
        status: CaseStatus
        rating?: Rating | null
        allocatedTeamId?: string | null
        allocatedUserId?: string | null
        closedAt?: Date | null
      },
    ): Promise<boolean> {
      const result = await db
        .updateTable('hsbCase')
        .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
        .where('id', '=', caseId)
        .where('version', '=', expectedVersion)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async insertEvent(db: Executor, event: CaseEvent): Promise<void> {
      await db
        .insertInto('caseEvent')
        .values({ ...event, detail: JSON.stringify(event.detail ?? {}) })
        .execute()
    },

    /**
     * The case page's history (latest to happen first; entered together, latest entered first) and clocks (in the order they started) in one
     * statement, built as JSON and turned back into their types.
     */
    async listHistoryAndClocks(db: Executor, caseId: string): Promise<{ events: CaseEventRow[]; clocks: CaseClockRow[] }> {
      const row = await sql<{ events: JsonEvent[]; clocks: JsonClock[] }>`
        SELECT
          (SELECT coalesce(json_agg(json_build_object(
              'id', e.id::text, 'action', e.action, 'fromStatus', e.from_status, 'toStatus', e.to_status,
              'actorName', u.display_name, 'actorAgency', a.name, 'occurredAt', e.occurred_at, 'recordedAt', e.recorded_at,
              'lateReason', e.late_reason, 'detail', e.detail) ORDER BY e.occurred_at DESC, e.id DESC), '[]'::json)
             FROM case_event e LEFT JOIN app_user u ON u.id = e.actor_id LEFT JOIN agency a ON a.id = u.agency_id
            WHERE e.case_id = ${caseId}) AS events,
          (SELECT coalesce(json_agg(json_build_object(
              'kind', k.kind, 'startedAt', k.started_at, 'dueAt', k.due_at, 'metAt', k.met_at,
              'missedReason', k.missed_reason, 'stopReason', k.stop_reason) ORDER BY k.started_at), '[]'::json)
             FROM case_clock k
            WHERE k.case_id = ${caseId}) AS clocks`.execute(db)
      const { events, clocks } = row.rows[0]!
      return {
        events: events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt), recordedAt: new Date(e.recordedAt) })),
        clocks: clocks.map((c) => ({
          ...c,
          startedAt: new Date(c.startedAt),
          dueAt: new Date(c.dueAt),
          metAt: c.metAt === null ? null : new Date(c.metAt),
        })),
      }
    },

    async startClock(
      db: Executor,
      clock: { partnershipId: string; caseId: string; kind: string; startedAt: Date; dueAt: Date },
    ): Promise<void> {
      await db
        .insertInto('caseClock')
        .values(clock)
        .onConflict((oc) => oc.columns(['caseId', 'kind']).doNothing())
        .execute()
    },

    async stopClocks(db: Executor, caseId: string, kinds: readonly string[], metAt: Date): Promise<void> {
      if (kinds.length === 0) return
      await db
        .updateTable('caseClock')
        .set({ metAt })
        .where('caseId', '=', caseId)
        .where('kind', 'in', [...kinds])
        .where('metAt', 'is', null)
        .execute()
    },

    /** Every clock still running on the case stops at `at`, for `reason` (the case closed). */
    async stopRunningClocks(db: Executor, caseId: string, at: Date, reason: ClockStopReason): Promise<void> {
      await db
        .updateTable('caseClock')
        .set({ metAt: at, stopReason: reason })
        .where('caseId', '=', caseId)
        .where('metAt', 'is', null)
        .execute()
    },

    /** The latest step that moved the case along the pathway (not a note or a case-wide step): what a new step follows. */
    async lastStep(db: Executor, caseId: string): Promise<{ action: string; occurredAt: Date } | undefined> {
      return db
        .selectFrom('caseEvent')
        .select(['action', 'occurredAt'])
        .where('caseId', '=', caseId)
        .where((eb) => eb.or([eb('fromStatus', 'is', null), eb('fromStatus', '<>', eb.ref('toStatus'))]))
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    },

    /** A running clock falls due later; false if it is not running. */
    async extendClock(db: Executor, caseId: string, kind: string, dueAt: Date): Promise<boolean> {
      const result = await db
        .updateTable('caseClock')
        .set({ dueAt })
        .where('caseId', '=', caseId)
        .where('kind', '=', kind)
        .where('metAt', 'is', null)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async recordClockReason(db: Executor, caseId: string, kind: string, reason: string, by: string): Promise<boolean> {
      const result = await db
        .updateTable('caseClock')
        .set({ missedReason: reason, reasonBy: by, reasonAt: new Date() })
        .where('caseId', '=', caseId)
        .where('kind', '=', kind)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** The partnership's changes to its clocks' lengths (a handful of rows; `timescalesAt` picks those in effect). */
    async localTimescales(db: Executor, partnershipId: string): Promise<TimescaleChange[]> {
      return db
        .selectFrom('partnershipTimescale')
        .select(['clockKind', 'length', sql<string>`to_char(effective_from, 'YYYY-MM-DD')`.as('effectiveFrom'), 'changedAt'])
        .where('partnershipId', '=', partnershipId)
        .execute()
    },

    /**
     * Allocation is who works with the child: the previous allocation ends (kept, with its end)
     * and the new team and worker become the child's allocated involvement.
     */
    async allocate(
      db: Executor,
      a: { partnershipId: string; childId: string; agencyId: string; teamId: string; userId: string | null },
    ): Promise<void> {
      await db
        .updateTable('childInvolvement')
        .set({ endedAt: new Date() })
        .where('childId', '=', a.childId)
        .where('kind', '=', 'ALLOCATED')
        .where('endedAt', 'is', null)
        .execute()
      await db.insertInto('childInvolvement').values(involvement(a, 'ALLOCATED')).execute()
    },

    /** Adds a person or team as involved (a referrer, an invited professional) unless already so. */
    async addInvolvement(db: Executor, a: Who): Promise<void> {
      const existing = await db
        .selectFrom('childInvolvement')
        .select('id')
        .where('childId', '=', a.childId)
        .where('agencyId', '=', a.agencyId)
        .where('endedAt', 'is', null)
        .where((eb) => (a.userId ? eb('userId', '=', a.userId) : eb('userId', 'is', null)))
        .where((eb) => (a.teamId ? eb('teamId', '=', a.teamId) : eb('teamId', 'is', null)))
        .executeTakeFirst()
      if (existing) return
      await db.insertInto('childInvolvement').values(involvement(a, 'INVOLVED')).execute()
    },

    /** A new involvement (always a row of its own), for one that will be ended on its own. */
    async insertInvolvement(
      db: Executor,
      i: { partnershipId: string; childId: string; agencyId: string; teamId: string | null; userId: string | null },
    ): Promise<string> {
      const row = await db.insertInto('childInvolvement').values(involvement(i, 'INVOLVED')).returning('id').executeTakeFirstOrThrow()
      return row.id
    },

    async endInvolvements(db: Executor, ids: readonly string[], at: Date): Promise<void> {
      if (ids.length === 0) return
      await db
        .updateTable('childInvolvement')
        .set({ endedAt: at })
        .where('id', 'in', [...ids])
        // Open, or ending later than this (a time-bound involvement ended sooner).
        .where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>', at)]))
        .execute()
    },
  }
}
export type CasesRepository = ReturnType<typeof casesRepository>
