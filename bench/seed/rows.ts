import { CompiledQuery } from 'kysely'
import type { Trx } from '../../src/platform/db/transaction.js'

/**
 * Bulk loading without COPY: the rows of one table are sent as one array per column and
 * inserted with `INSERT ... SELECT FROM unnest($1::uuid[], $2::text[], ...)`: one statement and
 * one round trip per batch, on PostgreSQL and PGlite alike. (node-postgres has no COPY FROM
 * STDIN without pg-copy-streams, which the project does not depend on; unnest batches load at
 * a similar rate and keep one code path for both databases.)
 */
export type ColumnType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'boolean' | 'integer' | 'bigint' | 'jsonb' | 'text[]'
export type TableSpec = { table: string; columns: readonly (readonly [name: string, type: ColumnType])[] }

/** A value as sent: Dates as ISO text, jsonb as JSON text, text[] as an array literal. */
function encode(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString()
  if (type === 'jsonb') return JSON.stringify(value)
  if (type === 'text[]') {
    const items = value as string[]
    return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`
  }
  return value
}

/** Arrays of arrays do not unnest row by row, so jsonb and text[] travel as text and are cast per row. */
const sentAs = (type: ColumnType) => (type === 'jsonb' || type === 'text[]' ? 'text' : type)

export function insertSql(spec: TableSpec): string {
  const names = spec.columns.map(([n]) => `"${n}"`)
  const selects = spec.columns.map(([n, t]) => (sentAs(t) === t ? `u."${n}"` : `u."${n}"::${t}`))
  const params = spec.columns.map(([, t], i) => `$${i + 1}::${sentAs(t)}[]`)
  return `INSERT INTO ${spec.table} (${names.join(', ')}) SELECT ${selects.join(', ')} FROM unnest(${params.join(', ')}) AS u(${names.join(', ')})`
}

/** Rows for one table, column by column, ready to send. */
export class RowBuffer {
  readonly columns: unknown[][]
  count = 0
  constructor(readonly spec: TableSpec) {
    this.columns = spec.columns.map(() => [])
  }
  push(row: readonly unknown[]): void {
    if (row.length !== this.spec.columns.length)
      throw new Error(`${this.spec.table}: expected ${this.spec.columns.length} values, got ${row.length}`)
    for (let i = 0; i < row.length; i++) this.columns[i]!.push(encode(row[i], this.spec.columns[i]![1]))
    this.count++
  }
  async flush(trx: Trx, maxRows = 20_000): Promise<number> {
    const text = insertSql(this.spec)
    const total = this.count
    for (let start = 0; start < total; start += maxRows) {
      const params = this.columns.map((c) => c.slice(start, start + maxRows))
      await trx.executeQuery(CompiledQuery.raw(text, params))
    }
    for (const c of this.columns) c.length = 0
    this.count = 0
    return total
  }
}
