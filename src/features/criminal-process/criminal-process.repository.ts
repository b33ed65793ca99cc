import { sql } from 'kysely'
import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { EntryDraft } from './criminal-process.rules.js'
import type { CriminalProcessKind } from './criminal-process.tables.js'

export type CriminalProcessRow = {
  id: string
  kind: CriminalProcessKind
  occurredOn: IsoDate
  endsOn: IsoDate | null
  policeReference: string | null
  conditions: string | null
  offence: string | null
  court: string | null
  hearingType: string | null
  outcome: string | null
  holdsUpIntervention: boolean
  holdUpNote: string | null
  recordedByName: string
  recordedAt: Date
}

/** A current bail entry whose conditions hold up intervention work. */
export type BailHold = { entryId: string; since: IsoDate; until: IsoDate | null; note: string | null }

/** `date` columns come back as Date at midnight UTC: the calendar date is its ISO day. */
const iso = (d: Date) => d.toISOString().slice(0, 10)

/** SQL only. Every method takes the transaction it runs in. */
export function criminalProcessRepository() {
  return {
    /** The case's entries, in the order they happened (then the order they were recorded). */
    async listForCase(db: Executor, caseId: string): Promise<CriminalProcessRow[]> {
      const rows = await db
        .selectFrom('criminalProcessEntry as e')
        .innerJoin('appUser as u', 'u.id', 'e.recordedBy')
        .select([
          'e.id',
          'e.kind',
          'e.occurredOn',
          'e.endsOn',
          'e.policeReference',
          'e.conditions',
          'e.offence',
          'e.court',
          'e.hearingType',
          'e.outcome',
          'e.holdsUpIntervention',
          'e.holdUpNote',
          'u.displayName as recordedByName',
          'e.recordedAt',
        ])
        .where('e.caseId', '=', caseId)
        .orderBy('e.occurredOn')
        .orderBy('e.recordedAt')
        .orderBy('e.id')
        .execute()
      return rows.map((r) => ({ ...r, occurredOn: iso(r.occurredOn), endsOn: r.endsOn ? iso(r.endsOn) : null }))
    },

    async insert(db: Executor, e: EntryDraft & { partnershipId: string; caseId: string; recordedBy: string }): Promise<string> {
      const row = await db.insertInto('criminalProcessEntry').values(e).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
  }
}
export type CriminalProcessRepository = ReturnType<typeof criminalProcessRepository>

/**
 * Whether current bail conditions hold up intervention work on a case: the current bail
 * entries flagged so (started, and with no end date or one not yet passed, in UK dates), or
 * null. For any feature to call inside its own transaction.
 */
export async function bailHoldsUpIntervention(trx: Executor, caseId: string, now: Date): Promise<BailHold[] | null> {
  const today = londonDate(now)
  const rows = await trx
    .selectFrom('criminalProcessEntry')
    .select(['id', 'occurredOn', 'endsOn', 'holdUpNote'])
    .where('caseId', '=', caseId)
    .where('kind', '=', 'BAIL')
    .where('holdsUpIntervention', '=', true)
    .where(sql<boolean>`occurred_on <= ${today}::date`)
    .where(sql<boolean>`(ends_on IS NULL OR ends_on >= ${today}::date)`)
    .orderBy('occurredOn')
    .execute()
  if (rows.length === 0) return null
  return rows.map((r) => ({ entryId: r.id, since: iso(r.occurredOn), until: r.endsOn ? iso(r.endsOn) : null, note: r.holdUpNote }))
}
