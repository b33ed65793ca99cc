import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, DateOnly, Never } from '../../platform/db/columns.js'

/** `date` columns come back as Date at midnight UTC. */

export type LevelOfConcern = 'LOW' | 'MEDIUM' | 'HIGH'
export type ReportSection = 'WHERE_WERE_WE' | 'WHAT_HAVE_WE_DONE' | 'WHAT_ELSE' | 'WHAT_DIFFERENCE'

export interface InsightSettingTable {
  partnershipId: string
  suppressionThreshold: number
  /** Suppress the zeros of a breakdown whose only non-zero count is suppressed (migration 028). */
  hideLoneCategory: ColumnType<boolean, boolean | undefined, boolean>
  updatedBy: string | null
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ProvisionTable {
  id: Generated<string>
  partnershipId: string
  service: string
  provider: string
  levels: LevelOfConcern[]
  capacity: number | null
  notes: string | null
  endedOn: ColumnType<Date | null, string | null | undefined, string | null>
  version: ColumnType<number, number | undefined, number>
  createdBy: Never<string | null>
  createdAt: CreatedAt
  updatedBy: string | null
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ProvisionVersionTable {
  id: Generated<string>
  partnershipId: Never<string>
  provisionId: Never<string>
  version: Never<number>
  entry: ColumnType<unknown, string, never>
  createdBy: Never<string | null>
  createdAt: CreatedAt
}

export interface CaseFactorTypeTable {
  partnershipId: string
  code: string
  label: string
  createdBy: string | null
  createdAt: CreatedAt
  retiredAt: Date | null
}

export interface CaseFactorTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  factorCode: string
  recordedBy: string | null
  recordedAt: CreatedAt
  removedBy: string | null
  removedAt: Date | null
}

export interface BoardReportTable {
  id: Generated<string>
  partnershipId: string
  title: string
  periodFrom: DateOnly
  periodTo: DateOnly
  createdBy: string | null
  createdAt: CreatedAt
}

export interface BoardReportSectionTable {
  id: Generated<string>
  partnershipId: Never<string>
  reportId: Never<string>
  section: Never<ReportSection>
  version: Never<number>
  body: Never<string>
  createdBy: Never<string | null>
  createdAt: CreatedAt
}

/** The insight feature's tables, merged into the Database type (schema.ts). */
export interface InsightTables {
  insightSetting: InsightSettingTable
  provision: ProvisionTable
  provisionVersion: ProvisionVersionTable
  caseFactorType: CaseFactorTypeTable
  caseFactor: CaseFactorTable
  boardReport: BoardReportTable
  boardReportSection: BoardReportSectionTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends InsightTables {}
}
