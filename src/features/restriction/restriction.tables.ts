import type { ColumnType } from 'kysely'

/** Migration 033: the form a restriction change came from (once per form). */
declare module '../../platform/db/schema.js' {
  interface ChildRestrictionChangeTable {
    formKey: ColumnType<string | null, string | null | undefined, never>
  }
}
export {}
