import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, Never, OptionalDate, Timestamp } from '../../platform/db/columns.js'

/** `date` columns come back as Date at midnight UTC. */
type Json = ColumnType<Record<string, unknown>, string, never>

export interface ReviewTable {
  id: Generated<string>
  partnershipId: string
  kind: string
  name: string
  reviewDate: OptionalDate
  createdBy: string | null
  createdAt: CreatedAt
}

export interface ReviewRagKeyTable {
  partnershipId: string
  key: string
  label: string
  colour: string
  meaning: string
  updatedBy: string | null
  updatedAt: Timestamp
}

export interface ReviewFindingTable {
  id: Generated<string>
  partnershipId: string
  reviewId: string
  number: string
  title: string
  narrative: string | null
  createdAt: CreatedAt
}

export interface ReviewQuestionTable {
  id: Generated<string>
  partnershipId: string
  reviewId: string
  findingId: string
  code: string
  text: string
  createdAt: CreatedAt
}

export interface ReviewResponseTable {
  id: Generated<string>
  partnershipId: string
  reviewId: string
  questionId: string
  agencyId: string
  response: string
  createdAt: CreatedAt
}

/** Append-only. */
export interface ReviewItemVersionTable {
  id: Generated<string>
  partnershipId: Never<string>
  reviewId: Never<string>
  itemType: Never<'FINDING' | 'QUESTION' | 'RESPONSE'>
  itemId: Never<string>
  parentId: Never<string | null>
  data: Json
  recordedBy: Never<string | null>
  recordedAt: CreatedAt
}

export interface ReviewActionTable {
  id: Generated<string>
  partnershipId: string
  reviewId: string
  responseId: string
  agencyId: string
  position: number
  text: string
  textKey: string
  rag: string | null
  constraints: string | null
  targetDate: OptionalDate
  targetText: string | null
  evidence: string | null
  leadUserId: string | null
  leadText: string | null
  desiredOutcome: string | null
  version: ColumnType<number, number | undefined, number>
  createdAt: CreatedAt
  updatedAt: Timestamp
}

/** Append-only: every state of every action. */
export interface ReviewActionVersionTable {
  id: Generated<string>
  partnershipId: Never<string>
  reviewId: Never<string>
  actionId: Never<string>
  responseId: Never<string>
  version: Never<number>
  change: Never<'CREATED' | 'EDITED' | 'PROGRESS' | 'IMPORTED'>
  progressNote: Never<string | null>
  ragFrom: Never<string | null>
  text: Never<string>
  rag: Never<string | null>
  constraints: Never<string | null>
  targetDate: ColumnType<Date | null, string | null, never>
  targetText: Never<string | null>
  evidence: Never<string | null>
  leadUserId: Never<string | null>
  leadText: Never<string | null>
  desiredOutcome: Never<string | null>
  position: Never<number>
  recordedBy: Never<string | null>
  recordedAt: CreatedAt
  /** When the change happened (a progress update may be dated earlier than it was recorded). */
  occurredAt: CreatedAt
  /** Why it was entered more than the partnership's days after it happened; null otherwise. */
  lateReason: ColumnType<string | null, string | null | undefined, never>
}

/** Append-only. */
export interface ReviewEvidenceDocumentTable {
  id: Generated<string>
  partnershipId: Never<string>
  reviewId: Never<string>
  actionId: Never<string>
  fileName: Never<string>
  fileType: Never<string>
  contentType: Never<string>
  sizeBytes: Never<number>
  sha256: Never<string>
  content: ColumnType<Buffer | null, Buffer | null, never>
  storagePath: Never<string | null>
  uploadedBy: Never<string | null>
  uploadedAt: CreatedAt
}

/** The reviews feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type ReviewsTables = {
  review: ReviewTable
  reviewRagKey: ReviewRagKeyTable
  reviewFinding: ReviewFindingTable
  reviewQuestion: ReviewQuestionTable
  reviewResponse: ReviewResponseTable
  reviewItemVersion: ReviewItemVersionTable
  reviewAction: ReviewActionTable
  reviewActionVersion: ReviewActionVersionTable
  reviewEvidenceDocument: ReviewEvidenceDocumentTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends ReviewsTables {}
}
