import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.js'
import { connectionHolder } from './pglite-dialect.js'

export type Db = Kysely<Database>
export type Trx = Transaction<Database>
/** Either the root handle or a transaction: repositories accept both. */
export type Executor = Kysely<Database> | Transaction<Database>

/** The partnership whose rows row-level security lets a transaction see; '*' for system jobs only. */
export type Scope = { partnershipId: string } | 'system' | 'none'

/**
 * Runs `fn` in one transaction with the row-level-security scope set for its duration.
 * Every read of a child's data and its audit entry go through here together.
 */
export async function transaction<T>(db: Db, scope: Scope, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return connectionHolder.run({ holds: false }, () =>
    db.transaction().execute(async (trx) => {
      const value = scope === 'system' ? '*' : scope === 'none' ? '' : scope.partnershipId
      await sql`SELECT set_config('app.partnership_id', ${value}, true)`.execute(trx)
      return fn(trx)
    }),
  )
}
