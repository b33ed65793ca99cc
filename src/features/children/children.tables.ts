import type { ColumnType, Generated } from 'kysely'
import type { Timestamp, CreatedAt, DateOnly, Optional } from '../../platform/db/columns.js'

export interface ChildTable {
  id: Generated<string>
  partnershipId: string
  givenNames: string
  familyName: string
  dateOfBirth: DateOnly
  isRestricted: ColumnType<boolean, boolean | undefined, boolean>
  createdAt: CreatedAt
  version: ColumnType<number, number | undefined, number>
  gender: Optional<string>
  ethnicity: Optional<string>
  nhsNumber: Optional<string>
  upn: Optional<string>
  localCaseId: Optional<string>
  sendNeeds: Optional<string>
  createdBy: Optional<string>
  idempotencyKey: Optional<string>
}

export interface ChildLinkTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  linkedChildId: string
  kind: 'HARMED_CHILD' | 'SIBLING' | 'PEER' | 'OTHER'
  createdBy: string | null
  createdAt: CreatedAt
}

export interface ChildInvolvementTable {
  id: Generated<string>
  partnershipId: string
  childId: string
  agencyId: string
  teamId: string | null
  userId: string | null
  kind: 'ALLOCATED' | 'INVOLVED'
  startedAt: ColumnType<Date, Date | string | undefined, Date | string>
  endedAt: Timestamp | null
}

export interface ChildRestrictedAccessTable {
  partnershipId: string
  childId: string
  userId: string
}

export type ChildrenTables = {
  child: ChildTable
  childInvolvement: ChildInvolvementTable
  childRestrictedAccess: ChildRestrictedAccessTable
  childLink: ChildLinkTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends ChildrenTables {}
}
