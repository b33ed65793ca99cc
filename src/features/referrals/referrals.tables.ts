import type { ColumnType, Generated } from 'kysely'
import type { Timestamp, CreatedAt, Optional } from '../../platform/db/columns.js'

export interface RequestForSupportTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  referrerId: string | null
  referrerAgencyId: string
  receivedAt: Timestamp
  whatHappened: string
  contexts: string[]
  otherChildren: string | null
  sharingBasis: string
  consentSought: boolean
  sharingNote: string | null
  idempotencyKey: string
  createdAt: CreatedAt
  /** Migration 029: where the request came from as the council's system says (SSD import: the CIN referral source code). */
  referralSource: Optional<string>
}

export interface ScreeningTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  tool: string
  toolVersion: string
  ageBand: string
  behaviours: ColumnType<unknown[], string, string>
  overallRating: 'GREEN' | 'AMBER' | 'RED'
  rationale: string
  screenedBy: string
  screenedAt: ColumnType<Date, Date | string | undefined, Date | string>
  oversightBy: Optional<string>
  oversightAt: Optional<Date>
  oversightNote: Optional<string>
  /** Migration 005. */
  oversightOutcome: Optional<'CONFIRMED' | 'RETURNED'>
}

/** Migration 007: a partnership's own behaviour catalogue for a screening tool, loaded from its file. */
export interface ScreeningCatalogueItemTable {
  id: Generated<string>
  partnershipId: string
  toolVersion: string
  ageBand: string
  rating: string
  behaviour: string
  loadedBy: string | null
  loadedAt: CreatedAt
}

/** Migration 020: the involvements that let a case's screeners (the front door) work with the child until it is allocated. */
export interface ScreeningInvolvementTable {
  partnershipId: string
  caseId: string
  involvementId: string
}

/** Migration 022: what the partnership shares back with the person who raised a request, kept as written. */
export interface RequestUpdateTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  requestId: string
  title: string
  body: string
  sharedBy: string
  sharedAt: CreatedAt
  idempotencyKey: string
}

export type ReferralsTables = {
  requestUpdate: RequestUpdateTable
  requestForSupport: RequestForSupportTable
  screening: ScreeningTable
  screeningCatalogueItem: ScreeningCatalogueItemTable
  screeningInvolvement: ScreeningInvolvementTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends ReferralsTables {}
}
