import { sql, type Insertable } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import type { BoardActionStatus, BoardActionTable } from './board.tables.js'

const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

export type MeetingRow = { id: string; meetingDate: string; title: string; items: number; actions: number }
export type AgendaItemRow = {
  id: string
  position: number
  title: string
  reviewId: string | null
  reviewName: string | null
  minutes: string | null
  minutesByName: string | null
  minutesAt: Date | null
  version: number
}
export type ActionRow = {
  id: string
  number: number
  meetingId: string
  meetingDate: string
  meetingTitle: string
  agendaItemTitle: string | null
  text: string
  ownerUserId: string | null
  ownerName: string | null
  ownerText: string | null
  dueOn: string | null
  status: BoardActionStatus
  version: number
}
export type UpdateRow = {
  id: string
  status: BoardActionStatus
  statusFrom: BoardActionStatus | null
  note: string
  authorName: string | null
  createdAt: Date
}

/** The board's tables. Row-level security keeps every query inside the transaction's partnership. */
export function boardRepository() {
  const actionsQuery = (db: Executor) =>
    db
      .selectFrom('boardAction as a')
      .innerJoin('boardMeeting as m', 'm.id', 'a.meetingId')
      .leftJoin('boardAgendaItem as i', 'i.id', 'a.agendaItemId')
      .leftJoin('appUser as u', 'u.id', 'a.ownerUserId')
      .select([
        'a.id',
        'a.number',
        'a.meetingId',
        'm.meetingDate',
        'm.title as meetingTitle',
        'i.title as agendaItemTitle',
        'a.text',
        'a.ownerUserId',
        'u.displayName as ownerName',
        'a.ownerText',
        'a.dueOn',
        'a.status',
        'a.version',
      ])
  const toAction = (r: Awaited<ReturnType<ReturnType<typeof actionsQuery>['execute']>>[number]): ActionRow => ({
    ...r,
    meetingDate: iso(r.meetingDate)!,
    dueOn: iso(r.dueOn),
  })

  return {
    async listMeetings(db: Executor): Promise<MeetingRow[]> {
      const rows = await db
        .selectFrom('boardMeeting as m')
        .select((eb) => [
          'm.id',
          'm.meetingDate',
          'm.title',
          eb.selectFrom('boardAgendaItem').select(eb.fn.countAll<number>().as('n')).whereRef('meetingId', '=', 'm.id').as('items'),
          eb.selectFrom('boardAction').select(eb.fn.countAll<number>().as('n')).whereRef('meetingId', '=', 'm.id').as('actions'),
        ])
        .orderBy('m.meetingDate', 'desc')
        .orderBy('m.createdAt', 'desc')
        .execute()
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        meetingDate: iso(r.meetingDate)!,
        items: Number(r.items ?? 0),
        actions: Number(r.actions ?? 0),
      }))
    },

    async insertMeeting(
      db: Executor,
      v: { partnershipId: string; meetingDate: string; title: string; createdBy: string },
    ): Promise<string> {
      return (await db.insertInto('boardMeeting').values(v).returning('id').executeTakeFirstOrThrow()).id
    },

    async findMeeting(db: Executor, id: string) {
      const row = await db.selectFrom('boardMeeting').select(['id', 'meetingDate', 'title']).where('id', '=', id).executeTakeFirst()
      return row ? { ...row, meetingDate: iso(row.meetingDate)! } : undefined
    },

    async agendaItems(db: Executor, meetingId: string): Promise<AgendaItemRow[]> {
      return db
        .selectFrom('boardAgendaItem as i')
        .leftJoin('review as r', 'r.id', 'i.reviewId')
        .leftJoin('appUser as u', 'u.id', 'i.minutesBy')
        .select([
          'i.id',
          'i.position',
          'i.title',
          'i.reviewId',
          'r.name as reviewName',
          'i.minutes',
          'u.displayName as minutesByName',
          'i.minutesAt',
          'i.version',
        ])
        .where('i.meetingId', '=', meetingId)
        .orderBy('i.position')
        .execute()
    },

    async insertAgendaItem(
      db: Executor,
      v: { partnershipId: string; meetingId: string; title: string; reviewId: string | null },
    ): Promise<string> {
      const last = await db
        .selectFrom('boardAgendaItem')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('meetingId', '=', v.meetingId)
        .executeTakeFirst()
      return (
        await db
          .insertInto('boardAgendaItem')
          .values({ ...v, position: Number(last?.p ?? 0) + 1 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    },

    /** Saves the minutes if nobody else has since the form was opened; false when they have. */
    async saveMinutes(db: Executor, v: { id: string; version: number; minutes: string; by: string; at: Date }): Promise<boolean> {
      const result = await db
        .updateTable('boardAgendaItem')
        .set({ minutes: v.minutes, minutesBy: v.by, minutesAt: v.at, version: v.version + 1 })
        .where('id', '=', v.id)
        .where('version', '=', v.version)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    /** The next number in the partnership, taken under a lock so two people never get the same one. */
    async nextActionNumber(db: Executor, partnershipId: string): Promise<number> {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`board_action:${partnershipId}`}))`.execute(db)
      const row = await db
        .selectFrom('boardAction')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('partnershipId', '=', partnershipId)
        .executeTakeFirst()
      return Number(row?.n ?? 0) + 1
    },

    async insertAction(db: Executor, v: Insertable<BoardActionTable>): Promise<string> {
      return (await db.insertInto('boardAction').values(v).returning('id').executeTakeFirstOrThrow()).id
    },

    async actionsOfMeeting(db: Executor, meetingId: string): Promise<ActionRow[]> {
      return (await actionsQuery(db).where('a.meetingId', '=', meetingId).orderBy('a.number').execute()).map(toAction)
    },

    async allActions(db: Executor, openOnly: boolean): Promise<ActionRow[]> {
      let q = actionsQuery(db)
      if (openOnly) q = q.where('a.status', '!=', 'DONE')
      return (await q.orderBy('a.number').execute()).map(toAction)
    },

    async findAction(db: Executor, id: string): Promise<ActionRow | undefined> {
      const row = await actionsQuery(db).where('a.id', '=', id).executeTakeFirst()
      return row ? toAction(row) : undefined
    },

    async updates(db: Executor, actionId: string): Promise<UpdateRow[]> {
      return db
        .selectFrom('boardActionUpdate as up')
        .leftJoin('appUser as u', 'u.id', 'up.authorId')
        .select(['up.id', 'up.status', 'up.statusFrom', 'up.note', 'u.displayName as authorName', 'up.createdAt'])
        .where('up.actionId', '=', actionId)
        .orderBy('up.id', 'desc')
        .execute()
    },

    /** A progress update: the new status on the action (if its version is still the one seen) and the update kept for good. */
    async addUpdate(
      db: Executor,
      v: { partnershipId: string; action: ActionRow; version: number; status: BoardActionStatus; note: string; by: string },
    ): Promise<boolean> {
      const result = await db
        .updateTable('boardAction')
        .set({ status: v.status, version: v.version + 1 })
        .where('id', '=', v.action.id)
        .where('version', '=', v.version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) return false
      await db
        .insertInto('boardActionUpdate')
        .values({
          partnershipId: v.partnershipId,
          actionId: v.action.id,
          status: v.status,
          statusFrom: v.action.status,
          note: v.note,
          authorId: v.by,
        })
        .execute()
      return true
    },
  }
}
export type BoardRepository = ReturnType<typeof boardRepository>
