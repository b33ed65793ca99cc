import type { ColumnType, Generated } from 'kysely'
import type { Timestamp, CreatedAt, Optional } from '../../platform/db/columns.js'

export interface MeetingTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  kind: 'STRATEGY_MEETING' | 'STRATEGY_DISCUSSION' | 'REVIEW_STRATEGY_MEETING' | 'HSB_PANEL' | 'END_MEETING'
  scheduledFor: Timestamp
  heldAt: Optional<Date>
  chairId: string
  status: ColumnType<'SCHEDULED' | 'FINALISED', 'SCHEDULED' | 'FINALISED' | undefined, 'SCHEDULED' | 'FINALISED'>
  minutes: ColumnType<Record<string, unknown>, string | undefined, string>
  outcomes: ColumnType<string[], string[] | undefined, string[]>
  version: ColumnType<number, number | undefined, number>
  createdBy: string
  createdAt: CreatedAt
  finalisedBy: Optional<string>
  finalisedAt: Optional<Date>
  /** Migration 006: the hidden key of the form that arranged it, and of the last save of the minutes. */
  idempotencyKey: Optional<string>
  lastSaveKey: Optional<string>
}

export interface MeetingInvitationTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  agencyId: string
  userId: Optional<string>
  attendance: ColumnType<
    'INVITED' | 'PRESENT' | 'APOLOGIES' | 'ABSENT',
    'INVITED' | 'PRESENT' | 'APOLOGIES' | 'ABSENT' | undefined,
    'INVITED' | 'PRESENT' | 'APOLOGIES' | 'ABSENT'
  >
}

export interface MeetingActionTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  text: string
  ownerUserId: Optional<string>
  ownerText: Optional<string>
  dueOn: ColumnType<Date | null, string | null | undefined, string | null>
  createdAt: CreatedAt
}

export interface MeetingAddendumTable {
  id: Generated<string>
  partnershipId: string
  meetingId: string
  text: string
  authorId: string
  createdAt: CreatedAt
  /** Migration 006: a double-clicked submit adds one addendum. */
  idempotencyKey: Optional<string>
}

/** An action of a finalised meeting marked done (the minutes stay locked). */
export interface MeetingActionDoneTable {
  meetingActionId: string
  partnershipId: string
  caseId: string
  doneBy: string
  doneAt: CreatedAt
}

/** The meetings feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type MeetingsTables = {
  meeting: MeetingTable
  meetingInvitation: MeetingInvitationTable
  meetingAction: MeetingActionTable
  meetingAddendum: MeetingAddendumTable
  meetingActionDone: MeetingActionDoneTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends MeetingsTables {}
}
