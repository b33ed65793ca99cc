import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, Json, Optional } from '../../platform/db/columns.js'

/** Migration 029: one run of an SSD import (staged, then applied or discarded). */
export interface SsdImportTable {
  id: Generated<string>
  partnershipId: string
  runBy: string | null
  sourceName: string
  status: ColumnType<'STAGED' | 'APPLIED' | 'DISCARDED', 'STAGED' | 'APPLIED' | 'DISCARDED' | undefined, 'STAGED' | 'APPLIED' | 'DISCARDED'>
  selection: Json
  reading: Json
  summary: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  createdAt: CreatedAt
  appliedAt: Optional<Date>
}

/** The extract's rows as read, values normalised, until the run is applied or discarded. */
export interface SsdStagedRowTable {
  importId: string
  partnershipId: string
  tableName: string
  rowNo: number
  rowKey: string
  personId: string | null
  data: ColumnType<Record<string, string | null>, string, string>
}

/** What each source row became (a second import creates nothing; a changed row updates). */
export interface SsdRecordTable {
  partnershipId: string
  tableName: string
  sourceKey: string
  targetId: string
  rowHash: string
  importId: string
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

/** Every version of a source row received (append-only). */
export interface SsdRecordVersionTable {
  id: Generated<string>
  partnershipId: string
  tableName: string
  sourceKey: string
  importId: string
  rowHash: string
  data: ColumnType<Record<string, string | null>, string, never>
  receivedAt: CreatedAt
}

export type SsdImportTables = {
  ssdImport: SsdImportTable
  ssdStagedRow: SsdStagedRowTable
  ssdRecord: SsdRecordTable
  ssdRecordVersion: SsdRecordVersionTable
}

declare module '../../platform/db/schema.js' {
  interface Database extends SsdImportTables {}
}
