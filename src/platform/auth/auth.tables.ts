import type { ColumnType } from 'kysely'
import type { Optional } from '../db/columns.js'

/** Wrong security codes in a row for one account, and its lock (migration 018). State, not history. */
export interface SecurityCodeLockTable {
  userId: string
  partnershipId: string
  wrongCodes: ColumnType<number, number | undefined, number>
  lastWrongAt: Optional<Date>
  lockedAt: Optional<Date>
  lockedUntil: Optional<Date>
}

/** Sign-in's own tables, for the Kysely Database type (src/platform/db/schema.ts). */
export type AuthTables = { securityCodeLock: SecurityCodeLockTable }

declare module '../db/schema.js' {
  interface Database extends AuthTables {}
}
