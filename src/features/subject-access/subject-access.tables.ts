import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Never, Optional } from '../../platform/db/columns.js'
import type { ItemField, ReasonCode, RedactionPart, RequestStatus, SubjectKind } from './subject-access.rules.js'

/** Migration 035: a subject access request (UK GDPR Article 15), its state and who took each step. */
export interface SubjectAccessRequestTable {
  id: Generated<string>
  partnershipId: string
  reference: string
  subjectKind: SubjectKind
  childId: string
  requesterName: string | null
  requesterRelationship: string | null
  receivedOn: DateOnly
  dueOn: DateOnly
  identityChecked: boolean
  identityHow: string | null
  status: ColumnType<RequestStatus, RequestStatus | undefined, RequestStatus>
  recordedBy: string
  recordedAt: CreatedAt
  gatheredBy: Optional<string>
  gatheredAt: Optional<Date>
  submittedBy: Optional<string>
  submittedAt: Optional<Date>
  decidedBy: Optional<string>
  decidedAt: Optional<Date>
  declineReason: Optional<string>
  releasedBy: Optional<string>
  releasedAt: Optional<Date>
  idempotencyKey: string
  version: ColumnType<number, number | undefined, number>
}

/** One item gathered, as it was when gathered (append-only). */
export interface SubjectAccessItemTable {
  id: Generated<string>
  partnershipId: Never<string>
  requestId: Never<string>
  source: Never<string>
  sourceId: Never<string>
  title: Never<string>
  occurredAt: Never<Date | null>
  fields: ColumnType<ItemField[], string, never>
  gatheredBy: Never<string>
  gatheredAt: CreatedAt
}

/** A redaction of an item, a field or some words, with its reason (append-only). */
export interface SubjectAccessRedactionTable {
  id: Generated<string>
  partnershipId: Never<string>
  requestId: Never<string>
  itemId: Never<string>
  part: Never<RedactionPart>
  fieldKey: Never<string | null>
  words: Never<string | null>
  reasonCode: Never<ReasonCode>
  reasonText: Never<string | null>
  preMarked: ColumnType<boolean, boolean | undefined, never>
  redactedBy: Never<string>
  redactedAt: CreatedAt
  idempotencyKey: ColumnType<string | null, string | null | undefined, never>
}

/** Every decision on a submitted bundle (append-only). */
export interface SubjectAccessDecisionTable {
  id: Generated<string>
  partnershipId: Never<string>
  requestId: Never<string>
  submittedBy: Never<string>
  submittedAt: Never<Date>
  outcome: Never<'APPROVED' | 'DECLINED'>
  reason: Never<string | null>
  decidedBy: Never<string>
  decidedAt: CreatedAt
}

export type SubjectAccessTables = {
  subjectAccessRequest: SubjectAccessRequestTable
  subjectAccessItem: SubjectAccessItemTable
  subjectAccessRedaction: SubjectAccessRedactionTable
  subjectAccessDecision: SubjectAccessDecisionTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends SubjectAccessTables {}
}
