import type { ColumnType, Generated } from 'kysely'

type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** `date` columns come back as Date at midnight UTC. */
type DateOnly = ColumnType<Date, string, string>

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
