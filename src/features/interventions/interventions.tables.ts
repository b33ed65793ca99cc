import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, Optional, OptionalDate, Timestamp } from '../../platform/db/columns.js'

type Json<T> = ColumnType<T, string, string>

export interface InterventionPlanTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  reviewMeetingId: Optional<string>
  version: ColumnType<number, number | undefined, number>
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface InterventionPlanVersionTable {
  id: Generated<string>
  partnershipId: string
  planId: string
  version: number
  goals: Json<unknown[]>
  changeNote: Optional<string>
  createdBy: string
  createdAt: CreatedAt
}

export interface HsbPanelTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  reason: string
  requestedBy: string
  requestedAt: CreatedAt
  serviceCommissioned: Optional<string>
  provider: Optional<string>
  level: Optional<'TARGETED' | 'SPECIALIST' | 'INTENSIVE'>
  panelDate: OptionalDate
  decisionNotes: Optional<string>
  decidedBy: Optional<string>
  decidedAt: Optional<Date>
}

export interface CaseClosureTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  endMeetingId: Optional<string>
  route: 'END_MEETING' | 'NO_AIM_ASSESSMENT'
  levelOfConcern: Optional<'LOW' | 'MEDIUM' | 'HIGH'>
  reason: string
  openWork: Json<string[]>
  openWorkReason: Optional<string>
  closedBy: string
  closedAt: CreatedAt
}

/** The interventions feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type InterventionsTables = {
  interventionPlan: InterventionPlanTable
  interventionPlanVersion: InterventionPlanVersionTable
  hsbPanel: HsbPanelTable
  caseClosure: CaseClosureTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends InterventionsTables {}
}
