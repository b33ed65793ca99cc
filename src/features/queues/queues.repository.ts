import { expressionBuilder, sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import { involvementOpen } from '../../platform/access/relationship.sql.js'
import type { BankHolidays } from '../../platform/clocks/bank-holidays.js'
import type { ClockState, ClockStopReason } from '../../platform/clocks/clocks.rules.js'
import type { Database } from '../../platform/db/schema.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { CaseRoute, CaseStatus, Rating } from '../cases/index.js'
import { URGENCY, type Page, type Sort } from './queues.rules.js'
import { canReadChildSql, canSeeOwnMeetingSql, caseClocksLateral } from './queues.sql.js'

export type QueueClock = {
  kind: string
  startedAt: Date
  dueAt: Date
  metAt: Date | null
  missedReason: string | null
  stopReason: ClockStopReason | null
  state: ClockState
}

export type QueueCaseRow = {
  caseId: string
  childId: string
  childName: string
  status: CaseStatus
  rating: Rating | null
  route: CaseRoute
  referralReceivedAt: Date
  allocatedTeamName: string | null
  allocatedUserName: string | null
  /** Most urgent first. */
  clocks: QueueClock[]
}

export type QueueMeetingRow = {
  meetingId: string
  caseId: string
  childId: string
  childName: string
  kind: string
  scheduledFor: Date
  isChair: boolean
  /** False when the person sees the meeting through their invitation only, not the child's case. */
  canReadCase: boolean
}

/** Which cases a queue holds (always also: only children the person may read). */
export type CaseFilter = {
  statuses: readonly CaseStatus[]
  /** Allocated to this person, or this person is involved with the child. */
  allocatedToOrInvolving?: string
  /** Allocated to one of these teams. */
  allocatedTeamIds?: readonly string[]
}

const NO_TEAM = '00000000-0000-0000-0000-000000000000'
const childName = sql<string>`c.given_names || ' ' || c.family_name`
const ratingOrder = sql<number>`CASE k.rating WHEN 'RED' THEN 0 WHEN 'AMBER' THEN 1 ELSE 2 END`

type JsonClock = Omit<QueueClock, 'startedAt' | 'dueAt' | 'metAt'> & { startedAt: string; dueAt: string; metAt: string | null }
const toClock = (c: JsonClock): QueueClock => ({
  ...c,
  startedAt: new Date(c.startedAt),
  dueAt: new Date(c.dueAt),
  metAt: c.metAt ? new Date(c.metAt) : null,
})

/** Builds a subquery: it becomes part of the statement that selects from it (one statement). */
const nested = expressionBuilder<Database, never>()

/** SQL only. Every method takes the transaction it runs in; each list is one statement. */
export function queuesRepository(holidays: BankHolidays) {
  /**
   * The cases a filter holds that this person may read: the shared FROM and WHERE. The
   * partnership is named here as well as by row-level security (whose check cannot use an
   * index), so the queue index is used from its first column; "my work" starts from the
   * person's own cases (allocated to them, or a child they are involved with, by their
   * indexes) rather than from every open case; the access check, the dearest condition, is
   * left to the rows the cheap ones keep.
   */
  function casesFor(db: Executor | typeof nested, actor: Actor, filter: CaseFilter) {
    const mine = filter.allocatedToOrInvolving
    const teams = filter.allocatedTeamIds
    return db
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .where('k.partnershipId', '=', actor.partnershipId)
      .where('k.status', 'in', [...filter.statuses])
      .$if(mine !== undefined, (qb) =>
        qb.where('k.id', 'in', (eb) =>
          eb
            .selectFrom('hsbCase as own')
            .select('own.id')
            .where('own.allocatedUserId', '=', mine!)
            .union(
              eb
                .selectFrom('childInvolvement as i')
                .innerJoin('hsbCase as ik', 'ik.childId', 'i.childId')
                .select('ik.id')
                .where('i.userId', '=', mine!)
                .where(involvementOpen('i')),
            ),
        ),
      )
      .$if(teams !== undefined, (qb) => qb.where('k.allocatedTeamId', 'in', teams!.length ? [...teams!] : [NO_TEAM]))
      .where(canReadChildSql('c', actor))
  }

  return {
    /** One page of a queue's cases, each with its clocks and their states at `now`. One statement. */
    async listCases(db: Executor, actor: Actor, filter: CaseFilter, sort: Sort, page: Page, now: Date): Promise<QueueCaseRow[]> {
      const columns = [
        'k.id as caseId',
        'k.childId',
        childName.as('childName'),
        'k.status',
        'k.rating',
        'k.route',
        'k.referralReceivedAt',
        't.name as allocatedTeamName',
        'u.displayName as allocatedUserName',
      ] as const
      const withNames = (source: Executor | typeof nested) =>
        casesFor(source, actor, filter)
          .leftJoin('team as t', 't.id', 'k.allocatedTeamId')
          .leftJoin('appUser as u', 'u.id', 'k.allocatedUserId')
      let rows: (Omit<QueueCaseRow, 'status' | 'clocks'> & { status: string; clocks: unknown })[]
      if (sort === 'urgency') {
        // The order needs every case's clocks: work them out for the cases the filter holds.
        rows = await withNames(db)
          .leftJoin(caseClocksLateral('k', now, holidays).as('clk'), (join) => join.onTrue())
          .select([...columns, 'clk.clocks'])
          .orderBy('clk.urgency')
          // Overdue work on a red case before overdue amber, then the rest; then the nearest due.
          .orderBy(sql`CASE WHEN clk.urgency = ${URGENCY.OVERDUE} THEN ${ratingOrder} ELSE 0 END`)
          .orderBy('clk.nextDueAt', (ob) => ob.asc().nullsLast())
          .orderBy('k.referralReceivedAt')
          .orderBy('k.id')
          .limit(page.limit)
          .offset(page.offset)
          .execute()
      } else {
        // Oldest or newest first: take the page, then work out the clocks of its cases only.
        const direction = sort === 'newest' ? 'desc' : 'asc'
        const paged = withNames(nested)
          .select(columns)
          .orderBy('k.referralReceivedAt', direction)
          .orderBy('k.id')
          .limit(page.limit)
          .offset(page.offset)
        rows = await db
          .selectFrom(paged.as('p'))
          .leftJoin(caseClocksLateral('p', now, holidays, 'case_id').as('clk'), (join) => join.onTrue())
          .selectAll('p')
          .select('clk.clocks')
          .orderBy('p.referralReceivedAt', direction)
          .orderBy('p.caseId')
          .execute()
      }
      return rows.map((r) => ({ ...r, status: r.status as CaseStatus, clocks: (r.clocks as JsonClock[]).map(toClock) }))
    },

    async countCases(db: Executor, actor: Actor, filter: CaseFilter): Promise<number> {
      const row = await casesFor(db, actor, filter)
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },

    /** How many of the cases a filter holds are in each status. One statement. */
    async countByStatus(db: Executor, actor: Actor, filter: CaseFilter): Promise<Partial<Record<CaseStatus, number>>> {
      const rows = await casesFor(db, actor, filter)
        .select(['k.status', sql<string>`count(*)`.as('n')])
        .groupBy('k.status')
        .execute()
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
    },

    /**
     * Meetings, not yet finalised, that the person chairs or is invited to by name, and may see:
     * upcoming first (soonest first), then past ones waiting for their minutes.
     */
    async listMeetings(db: Executor, actor: Actor, page: Page, now: Date): Promise<QueueMeetingRow[]> {
      return meetingsFor(db, actor)
        .select([
          'm.id as meetingId',
          'm.caseId',
          'k.childId',
          childName.as('childName'),
          'm.kind',
          'm.scheduledFor',
          sql<boolean>`m.chair_id = ${actor.id}`.as('isChair'),
          canReadChildSql('c', actor).as('canReadCase'),
        ])
        .orderBy(sql`m.scheduled_for < ${now}::timestamptz`)
        .orderBy(sql`CASE WHEN m.scheduled_for >= ${now}::timestamptz THEN m.scheduled_for END`)
        .orderBy('m.scheduledFor', 'desc')
        .orderBy('m.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute()
    },

    async countMeetings(db: Executor, actor: Actor): Promise<number> {
      const row = await meetingsFor(db, actor)
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
  }
}
export type QueuesRepository = ReturnType<typeof queuesRepository>

/**
 * Scheduled meetings the person chairs or is invited to by name, and may see: driven from their
 * own chair and invitation rows (by their indexes), not from every meeting in the partnership;
 * the visibility check runs on those rows only.
 */
function meetingsFor(db: Executor, actor: Actor) {
  return db
    .selectFrom('meeting as m')
    .innerJoin('hsbCase as k', 'k.id', 'm.caseId')
    .innerJoin('child as c', 'c.id', 'k.childId')
    .where('m.id', 'in', (eb) =>
      eb
        .selectFrom('meeting as chaired')
        .select('chaired.id')
        .where('chaired.chairId', '=', actor.id)
        .union(eb.selectFrom('meetingInvitation as mi').select('mi.meetingId as id').where('mi.userId', '=', actor.id)),
    )
    .where('m.partnershipId', '=', actor.partnershipId)
    .where('m.status', '=', 'SCHEDULED')
    .where(canSeeOwnMeetingSql('c', actor))
}
