import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Never } from '../../platform/db/columns.js'

/** `date` columns come back as Date at midnight UTC. */

export type BoardActionStatus = 'OPEN' | 'IN_PROGRESS' | 'DONE'

export interface BoardMeetingTable {
  id: Generated<string>
  partnershipId: string
  meetingDate: DateOnly
  title: string
  createdBy: string | null
  createdAt: CreatedAt
}

export interface BoardAgendaItemTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  position: number
  title: string
  reviewId: string | null
  minutes: string | null
  minutesBy: string | null
  minutesAt: Date | null
  version: ColumnType<number, number | undefined, number>
  createdAt: CreatedAt
}

export interface BoardActionTable {
  id: Generated<string>
  partnershipId: string
  number: number
  meetingId: string
  agendaItemId: string | null
  text: string
  ownerUserId: string | null
  ownerText: string | null
  dueOn: ColumnType<Date | null, string | null, string | null>
  status: ColumnType<BoardActionStatus, BoardActionStatus | undefined, BoardActionStatus>
  version: ColumnType<number, number | undefined, number>
  createdBy: string | null
  createdAt: CreatedAt
}

/** Append-only: every progress update on a board action. */
export interface BoardActionUpdateTable {
  id: Generated<string>
  partnershipId: Never<string>
  actionId: Never<string>
  status: Never<BoardActionStatus>
  statusFrom: Never<BoardActionStatus | null>
  note: Never<string>
  authorId: Never<string | null>
  createdAt: CreatedAt
}

/** The board feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type BoardTables = {
  boardMeeting: BoardMeetingTable
  boardAgendaItem: BoardAgendaItemTable
  boardAction: BoardActionTable
  boardActionUpdate: BoardActionUpdateTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends BoardTables {}
}
