import type { ColumnType, Generated } from 'kysely'
import type { DateOnly, Optional } from '../../platform/db/columns.js'

/** `date` columns come back as Date at midnight UTC. */

export type CriminalProcessKind = 'INVESTIGATION' | 'BAIL' | 'RELEASED_UNDER_INVESTIGATION' | 'CHARGE' | 'COURT_HEARING' | 'OUTCOME'

export interface CriminalProcessEntryTable {
  id: Generated<string>
  partnershipId: string
  caseId: string
  kind: CriminalProcessKind
  occurredOn: DateOnly
  endsOn: ColumnType<Date | null, string | null | undefined, string | null>
  policeReference: Optional<string>
  conditions: Optional<string>
  offence: Optional<string>
  court: Optional<string>
  hearingType: Optional<string>
  outcome: Optional<string>
  holdsUpIntervention: ColumnType<boolean, boolean | undefined, boolean>
  holdUpNote: Optional<string>
  recordedBy: string
  recordedAt: ColumnType<Date, Date | string | undefined, never>
}

/** The criminal-process feature's tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type CriminalProcessTables = { criminalProcessEntry: CriminalProcessEntryTable }

declare module '../../platform/db/schema.js' {
  interface Database extends CriminalProcessTables {}
}
