import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt } from '../../platform/db/columns.js'

/** An uploaded plan kept between its preview and its confirmation; deleted when imported or expired. */
export interface ActionPlanUploadTable {
  id: Generated<string>
  partnershipId: string
  reviewId: string
  uploadedBy: string
  fileKind: 'CSV' | 'XLSX'
  sizeBytes: number
  sha256: string
  content: ColumnType<Uint8Array, Buffer | Uint8Array, never>
  createdAt: CreatedAt
  expiresAt: ColumnType<Date, Date | string, never>
}

/** The plan-import feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type PlanImportTables = { actionPlanUpload: ActionPlanUploadTable }

declare module '../../platform/db/schema.js' {
  interface Database extends PlanImportTables {}
}
