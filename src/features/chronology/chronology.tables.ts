import type { ColumnType, Generated } from 'kysely'

export interface ChronologyEntryTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  /** `date` columns come back as Date at midnight UTC. */
  occurredOn: ColumnType<Date, string, never>
  title: ColumnType<string, string, never>
  text: ColumnType<string, string, never>
  correctsEntryId: ColumnType<string | null, string | null | undefined, never>
  authorId: ColumnType<string, string, never>
  /** Migration 025: marked significant by its author when added (set once, on insert). */
  isSignificant: ColumnType<boolean, boolean | undefined, never>
  createdAt: ColumnType<Date, Date | string | undefined, never>
}

/** The chronology feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type ChronologyTables = { chronologyEntry: ChronologyEntryTable }

declare module '../../platform/db/schema.js' {
  interface Database extends ChronologyTables {}
}
