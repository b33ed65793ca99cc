import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Json, Optional, Timestamp } from '../../platform/db/columns.js'

export interface AimAssessmentTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  childId: string
  decision: 'ASSESS' | 'NO_ASSESSMENT'
  decisionReasons: string
  route: 'WELFARE' | 'CRIMINAL' | null
  decidedBy: string
  decidedAt: Timestamp
  policeContactId: Optional<string>
  leadAgencyId: Optional<string>
  administeringAgencyId: Optional<string>
  discussionHeldOn: ColumnType<Date | null, string | null | undefined, string | null>
  discussionAgencyIds: ColumnType<string[], string[] | undefined, string[]>
  discussionNotes: Optional<string>
  discussionRecordedBy: Optional<string>
  startedAt: Optional<Date>
  model: Optional<'AIM2' | 'AIM3' | 'AIM_UNDER_12S'>
  record: Json
  recordVersion: ColumnType<number, number | undefined, number>
  completedAt: Optional<Date>
  createdAt: CreatedAt
}

export interface AimCoAssessorTable {
  id: Generated<string>
  partnershipId: string
  assessmentId: string
  userId: string
  model: 'AIM2' | 'AIM3' | 'AIM_UNDER_12S'
  involvementId: string
  namedBy: string
  namedAt: Timestamp
  signedOffAt: Optional<Date>
  signedRecordVersion: Optional<number>
  endedAt: Optional<Date>
  replacedBy: Optional<string>
  replacementReason: Optional<string>
}

export interface AimInformationTable {
  id: Generated<string>
  partnershipId: string
  assessmentId: string
  sourceAgencyId: string | null
  source: string
  summary: string
  datedOn: DateOnly
  recordedBy: string
  idempotencyKey: string
  createdAt: CreatedAt
}

export interface AimInterviewTable {
  id: Generated<string>
  partnershipId: string
  assessmentId: string
  heldOn: DateOnly
  interviewee: 'CHILD' | 'PARENT_CARER' | 'OTHER'
  intervieweeDetail: string | null
  place: string
  notes: string | null
  recordedBy: string
  idempotencyKey: string
  createdAt: CreatedAt
}

export interface AimExtensionTable {
  id: Generated<string>
  partnershipId: string
  assessmentId: string
  previousDueAt: Timestamp
  newDueAt: Timestamp
  reason: string
  extendedBy: string
  createdAt: CreatedAt
}

/** The assessments feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type AssessmentsTables = {
  aimAssessment: AimAssessmentTable
  aimCoAssessor: AimCoAssessorTable
  aimInformation: AimInformationTable
  aimInterview: AimInterviewTable
  aimExtension: AimExtensionTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends AssessmentsTables {}
}
