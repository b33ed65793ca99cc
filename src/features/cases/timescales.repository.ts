import { sql } from 'kysely'
import type { TimescaleUnit } from '../../platform/clocks/clocks.rules.js'
import type { IsoDate } from '../../platform/clocks/london-time.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { TimescaleChange } from './timescales.rules.js'

/** A change as the page's history shows it. */
export type TimescaleChangeRow = TimescaleChange & {
  id: string
  unit: TimescaleUnit
  previousLength: number | null
  reason: string | null
  changedByName: string | null
}

export type NewTimescaleChange = {
  partnershipId: string
  clockKind: string
  unit: TimescaleUnit
  length: number
  effectiveFrom: IsoDate
  previousLength: number
  changedBy: string | null
  reason: string | null
  formKey: string | null
}

/** The partnership's changes to its clocks' lengths (partnership_timescale, one row per change, kept). SQL only. */
export function timescalesRepository() {
  return {
    /** Every change of the partnership, newest recorded first, with who made it: one statement. */
    async changes(db: Executor, partnershipId: string): Promise<TimescaleChangeRow[]> {
      return db
        .selectFrom('partnershipTimescale as t')
        .leftJoin('appUser as u', 'u.id', 't.changedBy')
        .select([
          't.id',
          't.clockKind',
          't.unit',
          't.length',
          sql<string>`to_char(t.effective_from, 'YYYY-MM-DD')`.as('effectiveFrom'),
          't.previousLength',
          't.changedAt',
          't.reason',
          'u.displayName as changedByName',
        ])
        .where('t.partnershipId', '=', partnershipId)
        .orderBy('t.changedAt', 'desc')
        .orderBy('t.effectiveFrom', 'desc')
        .execute()
    },

    /** The change a form already made (the same form sent again), or undefined. */
    async changeByFormKey(
      db: Executor,
      partnershipId: string,
      formKey: string,
    ): Promise<{ clockKind: string; length: number; effectiveFrom: IsoDate } | undefined> {
      return db
        .selectFrom('partnershipTimescale')
        .select(['clockKind', 'length', sql<string>`to_char(effective_from, 'YYYY-MM-DD')`.as('effectiveFrom')])
        .where('partnershipId', '=', partnershipId)
        .where('formKey', '=', formKey)
        .executeTakeFirst()
    },

    /** Records a change once per form: the same form sent again finds the first (null). */
    async insertChange(db: Executor, change: NewTimescaleChange): Promise<string | null> {
      const inserted = await db
        .insertInto('partnershipTimescale')
        .values(change)
        .onConflict((oc) => oc.columns(['partnershipId', 'formKey']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return inserted?.id ?? null
    },
  }
}
export type TimescalesRepository = ReturnType<typeof timescalesRepository>
