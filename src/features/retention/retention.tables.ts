import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Json, Optional } from '../../platform/db/columns.js'
import type { RecordKind } from './retention.rules.js'

/** Migration 036: the partnership's schedule per kind of record, every version kept (append-only). */
export interface RetentionScheduleTable {
  id: Generated<string>
  partnershipId: string
  kind: RecordKind
  yearsAfterLastContact: number | null
  untilBirthday: number | null
  effectiveFrom: DateOnly
  decisionNote: string
  decidedBy: string
  decidedAt: CreatedAt
  idempotencyKey: string
}

/** A legal hold on a child's record: never erased while it is in force. */
export interface LegalHoldTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  reason: string
  placedBy: string
  placedAt: CreatedAt
  liftedBy: Optional<string>
  liftedAt: Optional<Date>
  liftReason: Optional<string>
}

export type DeletionStatus = 'PROPOSED' | 'APPROVED' | 'DECLINED' | 'EXECUTED'

/** A proposal to erase one child's record, and what became of it. */
export interface RetentionDeletionTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  kind: RecordKind
  scheduleId: string
  basis: string
  dueOn: DateOnly
  status: ColumnType<DeletionStatus, DeletionStatus | undefined, DeletionStatus>
  proposedBy: string
  proposedAt: CreatedAt
  decidedBy: Optional<string>
  decidedAt: Optional<Date>
  decisionNote: Optional<string>
  executedAt: Optional<Date>
}

/** What is left of an erased record: ids, the kind, when, and what authorised it (written by hsb_retention_erase only). */
export interface RetentionTombstoneTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  kind: RecordKind
  erasedAt: CreatedAt
  deletionId: string
  scheduleId: string
  proposedBy: string
  approvedBy: string
  erasedRows: Json
}

export type RetentionTables = {
  retentionSchedule: RetentionScheduleTable
  legalHold: LegalHoldTable
  retentionDeletion: RetentionDeletionTable
  retentionTombstone: RetentionTombstoneTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends RetentionTables {}
}
