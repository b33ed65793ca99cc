import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Optional, OptionalDate } from '../../platform/db/columns.js'

/** Kysely types for migrations 015 and 027 (camelCase; the CamelCasePlugin maps them to snake_case). */
type Json<T> = ColumnType<T, string, string>

export type AuditScaleItem = { key: string; label: string }
export type AuditQuestion = { code: string; text: string }
export type AuditSection = { title: string; questions: AuditQuestion[] }
export type AuditToolDefinition = { scale: AuditScaleItem[]; sections: AuditSection[]; freeText: boolean }
export type CohortFilter = { openOn: string; ratings: string[]; statuses: string[]; agencyId: string | null }
export type SummaryAnswers = { grades: Record<string, string>; notes: Record<string, string> }

export interface CaseAuditToolTable {
  id: Generated<string>
  partnershipId: string
  name: string
  source: 'BUILT_IN' | 'JSON' | 'CSV' | 'FORM'
  definition: Json<AuditToolDefinition>
  createdBy: Optional<string>
  createdAt: CreatedAt
}

export interface CaseAuditTable {
  id: Generated<string>
  partnershipId: string
  theme: string
  panelDate: DateOnly
  toolId: string
  purpose: Optional<string>
  parentAuditId: Optional<string>
  status: ColumnType<'OPEN' | 'CLOSED', 'OPEN' | 'CLOSED' | undefined, 'OPEN' | 'CLOSED'>
  cohortFilter: ColumnType<CohortFilter | null, string | null | undefined, string | null>
  cohortCaseIds: Optional<string[]>
  sampleSize: Optional<number>
  /** int8: a string from both drivers. */
  seed: ColumnType<string | null, number | string | null | undefined, number | string | null>
  sampledAt: Optional<Date>
  sampledBy: Optional<string>
  panelNotes: Optional<string>
  /** When the panel met (migration 027); `panelDate` is the date it was planned for at set-up. */
  panelHeldAt: Optional<Date>
  /** Why the panel was recorded long after it met. */
  panelLateReason: Optional<string>
  /** When the panel's record was saved. */
  panelRecordedAt: Optional<Date>
  reviewId: Optional<string>
  createdBy: string
  createdAt: CreatedAt
  closedBy: Optional<string>
  closedAt: Optional<Date>
}

export interface CaseAuditAgencyTable {
  id: Generated<string>
  partnershipId: string
  auditId: string
  agencyId: string
  participation: 'TAKING_PART' | 'UNABLE'
  leadAuditorId: Optional<string>
  reason: Optional<string>
  createdAt: CreatedAt
}

export type ConsentState = 'NOT_SOUGHT' | 'SOUGHT' | 'GIVEN' | 'REFUSED'

export interface CaseAuditSampleTable {
  id: Generated<string>
  partnershipId: string
  auditId: string
  caseId: string
  drawNumber: number
  replacesSampleId: Optional<string>
  consent: ColumnType<ConsentState, ConsentState | undefined, ConsentState>
  consentBy: Optional<string>
  consentOn: OptionalDate
  consentHow: Optional<string>
  consentRecordedBy: Optional<string>
  consentRecordedAt: Optional<Date>
  discussedAtPanel: ColumnType<boolean, boolean | undefined, boolean>
  createdAt: CreatedAt
}

export interface CaseAuditSummaryTable {
  id: Generated<string>
  partnershipId: string
  auditId: string
  sampleId: string
  agencyId: string
  auditorId: string
  answers: Json<SummaryAnswers>
  overallGrade: Optional<string>
  summary: Optional<string>
  feedbackGiven: ColumnType<boolean, boolean | undefined, boolean>
  feedback: Optional<string>
  savedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface CaseAuditFindingTable {
  id: Generated<string>
  partnershipId: string
  auditId: string
  kind: 'GOOD_PRACTICE' | 'LEARNING' | 'CONCLUSION'
  text: string
  tags: ColumnType<string[], string[] | undefined, string[]>
  /** When the finding was agreed (migration 027). */
  occurredAt: ColumnType<Date, Date | undefined, Date>
  /** Why it was entered long after it was agreed. */
  lateReason: Optional<string>
  createdBy: Optional<string>
  /** When it was recorded. */
  createdAt: CreatedAt
}

export interface CaseAuditRecommendationTable {
  id: Generated<string>
  partnershipId: string
  auditId: string
  text: string
  ownerAgencyId: Optional<string>
  allAgencies: ColumnType<boolean, boolean | undefined, boolean>
  ownerText: Optional<string>
  dueOn: DateOnly
  createdBy: Optional<string>
  createdAt: CreatedAt
  sentToPlanAt: Optional<Date>
}

/** The case audits feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type CaseAuditsTables = {
  caseAuditTool: CaseAuditToolTable
  caseAudit: CaseAuditTable
  caseAuditAgency: CaseAuditAgencyTable
  caseAuditSample: CaseAuditSampleTable
  caseAuditSummary: CaseAuditSummaryTable
  caseAuditFinding: CaseAuditFindingTable
  caseAuditRecommendation: CaseAuditRecommendationTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends CaseAuditsTables {}
}
