import type { ColumnType } from 'kysely'

/**
 * Column types every table declaration uses (Kysely's CamelCasePlugin maps the camelCase names
 * to the snake_case SQL). Features declare their tables in `<feature>.tables.ts` with these and
 * add them to `Database` (platform/db/schema.ts) by declaration merging.
 */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** `date` columns come back as Date at midnight UTC from both pg and PGlite. */
export type DateOnly = ColumnType<Date, string, string>
export type OptionalDate = ColumnType<Date | null, string | null | undefined, string | null>
export type Json = ColumnType<Record<string, unknown>, string | undefined, string>
export type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>
/** Written once, never changed. */
export type Never<T> = ColumnType<T, T, never>
