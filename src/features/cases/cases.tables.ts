import type { ColumnType, Generated } from 'kysely'
import type { ClockStopReason } from '../../platform/clocks/clocks.rules.js'
import type { Timestamp, CreatedAt, Json, Optional } from '../../platform/db/columns.js'

export interface HsbCaseTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  route: 'NEW' | 'OPEN_CASE'
  status: string
  rating: Optional<'GREEN' | 'AMBER' | 'RED'>
  allocatedTeamId: Optional<string>
  allocatedUserId: Optional<string>
  referralReceivedAt: Timestamp
  openedAt: CreatedAt
  closedAt: Optional<Date>
  version: ColumnType<number, number | undefined, number>
}

export interface CaseEventTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  action: string
  fromStatus: string | null
  toStatus: string
  actorId: string | null
  /** When it happened: now unless the step says when. */
  occurredAt: Timestamp
  /** When it was recorded: always now. */
  recordedAt: CreatedAt
  lateReason: Optional<string>
  detail: Json
}

export interface CaseClockTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  kind: string
  startedAt: Timestamp
  dueAt: Timestamp
  metAt: Optional<Date>
  missedReason: Optional<string>
  stopReason: Optional<ClockStopReason>
  reasonBy: Optional<string>
  reasonAt: Optional<Date>
}

/** One change to a clock's length, kept (migration 031): in effect from `effectiveFrom` (a UK calendar date). */
export interface PartnershipTimescaleTable {
  id: Generated<string>
  partnershipId: string
  clockKind: string
  unit: 'hours' | 'working-days' | 'weeks'
  length: number
  effectiveFrom: ColumnType<Date, string | undefined, never>
  /** The length in effect on `effectiveFrom` before this change (null before migration 031). */
  previousLength: Optional<number>
  /** Null: the command line (the system itself). */
  changedBy: Optional<string>
  changedAt: CreatedAt
  reason: Optional<string>
  formKey: Optional<string>
}

export type CasesTables = {
  hsbCase: HsbCaseTable
  caseEvent: CaseEventTable
  caseClock: CaseClockTable
  partnershipTimescale: PartnershipTimescaleTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends CasesTables {}
}
