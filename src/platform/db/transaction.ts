import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.js'
import { connectionHolder } from './pglite-dialect.js'

export type Db = Kysely<Database>
export type Trx = Transaction<Database>
/** Either the root handle or a transaction: repositories accept both. */
export type Executor = Kysely<Database> | Transaction<Database>

/** The partnership whose rows row-level security lets a transaction see; '*' for system jobs only. */
export type Scope = { partnershipId: string } | 'system' | 'none'

/** A partnership id (a uuid), '*' (system) or '' (none): the only values written into the statement itself. */
const INLINE_SCOPE = /^(?:[0-9a-fA-F-]{1,64}|\*|)$/
/** How the scope statement starts; connect.ts sends it in one round trip with BEGIN on PostgreSQL. */
export const SET_SCOPE_SQL = "SELECT set_config('app.partnership_id', "

/**
 * Runs `fn` in one transaction with the row-level-security scope set for its duration.
 * Every read of a child's data and its audit entry go through here together.
 */
export async function transaction<T>(db: Db, scope: Scope, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const value = scope === 'system' ? '*' : scope === 'none' ? '' : scope.partnershipId
  return connectionHolder.run({ holds: false }, () =>
    db.transaction().execute(async (trx) => {
      // Without parameters (the value is checked to be an id, '*' or ''), so that PostgreSQL can
      // take it in the same message as BEGIN; anything else goes as a parameter, as before.
      if (INLINE_SCOPE.test(value)) await sql.raw(`${SET_SCOPE_SQL}'${value}', true)`).execute(trx)
      else await sql`SELECT set_config('app.partnership_id', ${value}, true)`.execute(trx)
      return fn(trx)
    }),
  )
}
