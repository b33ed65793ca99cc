import { sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import type { BankHolidays } from '../../platform/clocks/bank-holidays.js'
import type { ClockState } from '../../platform/clocks/clocks.rules.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { CaseRoute, CaseStatus, Rating } from '../cases/pathway.rules.js'
import type { Page, Sort } from './queues.rules.js'
import { canReadChildSql, canSeeOwnMeetingSql, caseClocksLateral } from './queues.sql.js'

export type QueueClock = {
  kind: string
  startedAt: Date
  dueAt: Date
  metAt: Date | null
  missedReason: string | null
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

type JsonClock = { kind: string; startedAt: string; dueAt: string; metAt: string | null; missedReason: string | null; state: ClockState }
const toClock = (c: JsonClock): QueueClock => ({ ...c, startedAt: new Date(c.startedAt), dueAt: new Date(c.dueAt), metAt: c.metAt ? new Date(c.metAt) : null })

/** SQL only. Every method takes the transaction it runs in; each list is one statement. */
export function queuesRepository(holidays: BankHolidays) {
  /** The cases a filter holds that this person may read: the shared FROM and WHERE. */
  function casesFor(db: Executor, actor: Actor, filter: CaseFilter) {
    const mine = filter.allocatedToOrInvolving
    const teams = filter.allocatedTeamIds
    return db
      .selectFrom('hsbCase as k')
      .innerJoin('child as c', 'c.id', 'k.childId')
      .where('k.status', 'in', [...filter.statuses])
      .where(canReadChildSql('c', actor))
      .$if(mine !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('k.allocatedUserId', '=', mine!),
            eb.exists(
              eb
                .selectFrom('childInvolvement as i')
                .select('i.id')
                .whereRef('i.childId', '=', 'k.childId')
                .where('i.userId', '=', mine!)
                .where('i.endedAt', 'is', null),
            ),
          ]),
        ),
      )
      .$if(teams !== undefined, (qb) => qb.where('k.allocatedTeamId', 'in', teams!.length ? [...teams!] : [NO_TEAM]))
  }

  return {
    /** One page of a queue's cases, each with its clocks and their states at `now`. One statement. */
    async listCases(db: Executor, actor: Actor, filter: CaseFilter, sort: Sort, page: Page, now: Date): Promise<QueueCaseRow[]> {
      let query = casesFor(db, actor, filter)
        .leftJoin('team as t', 't.id', 'k.allocatedTeamId')
        .leftJoin('appUser as u', 'u.id', 'k.allocatedUserId')
        .leftJoin(caseClocksLateral('k', now, holidays).as('clk'), (join) => join.onTrue())
        .select([
          'k.id as caseId',
          'k.childId',
          childName.as('childName'),
          'k.status',
          'k.rating',
          'k.route',
          'k.referralReceivedAt',
          't.name as allocatedTeamName',
          'u.displayName as allocatedUserName',
          'clk.clocks',
        ])
      if (sort === 'urgency') query = query.orderBy('clk.urgency').orderBy('clk.nextDueAt', (ob) => ob.asc().nullsLast())
      query = query.orderBy('k.referralReceivedAt', sort === 'newest' ? 'desc' : 'asc').orderBy('k.id')
      const rows = await query.limit(page.limit).offset(page.offset).execute()
      return rows.map((r) => ({ ...r, status: r.status as CaseStatus, clocks: (r.clocks as JsonClock[]).map(toClock) }))
    },

    async countCases(db: Executor, actor: Actor, filter: CaseFilter): Promise<number> {
      const row = await casesFor(db, actor, filter).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
      return Number(row.n)
    },

    /** How many of the cases a filter holds are in each status. One statement. */
    async countByStatus(db: Executor, actor: Actor, filter: CaseFilter): Promise<Partial<Record<CaseStatus, number>>> {
      const rows = await casesFor(db, actor, filter).select(['k.status', sql<string>`count(*)`.as('n')]).groupBy('k.status').execute()
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
      const row = await meetingsFor(db, actor).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()
      return Number(row.n)
    },
  }
}
export type QueuesRepository = ReturnType<typeof queuesRepository>

function meetingsFor(db: Executor, actor: Actor) {
  return db
    .selectFrom('meeting as m')
    .innerJoin('hsbCase as k', 'k.id', 'm.caseId')
    .innerJoin('child as c', 'c.id', 'k.childId')
    .where('m.status', '=', 'SCHEDULED')
    .where(canSeeOwnMeetingSql('c', actor))
    .where((eb) =>
      eb.or([
        eb('m.chairId', '=', actor.id),
        eb.exists(eb.selectFrom('meetingInvitation as mi').select('mi.id').whereRef('mi.meetingId', '=', 'm.id').where('mi.userId', '=', actor.id)),
      ]),
    )
}
