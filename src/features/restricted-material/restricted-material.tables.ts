import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Optional } from '../../platform/db/columns.js'

/** `date` columns come back as Date at midnight UTC. */

export type AbeRequestStatus = 'PENDING' | 'APPROVED' | 'REFUSED' | 'REVOKED'

export interface AbeMaterialTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  harmedChildId: string
  reference: string
  interviewedOn: DateOnly
  heldByAgencyId: string
  summary: Optional<string>
  recordedBy: string
  recordedAt: CreatedAt
}

export interface AbeAccessRequestTable {
  id: Generated<string>
  partnershipId: string
  materialId: string
  caseId: string
  requestedBy: string
  reason: string
  requestedAt: ColumnType<Date, Date | string | undefined, never>
  status: ColumnType<AbeRequestStatus, AbeRequestStatus | undefined, AbeRequestStatus>
  decidedBy: Optional<string>
  decidedAt: Optional<Date>
  decisionNote: Optional<string>
  expiresAt: Optional<Date>
  revokedBy: Optional<string>
  revokedAt: Optional<Date>
}

/** The restricted-material feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type RestrictedMaterialTables = { abeMaterial: AbeMaterialTable; abeAccessRequest: AbeAccessRequestTable }

declare module '../../platform/db/schema.js' {
  interface Database extends RestrictedMaterialTables {}
}
