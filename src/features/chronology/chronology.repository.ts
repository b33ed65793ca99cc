import type { Executor } from '../../platform/db/transaction.js'
import type { CuratedDraft } from './chronology.rules.js'

export type CuratedRow = {
  id: string
  occurredOn: string
  title: string
  text: string
  correctsEntryId: string | null
  authorName: string
  createdAt: Date
}

const iso = (d: Date) => d.toISOString().slice(0, 10)

/** SQL only. Every method takes the transaction it runs in. */
export function chronologyRepository() {
  return {
    async curated(db: Executor, caseId: string): Promise<CuratedRow[]> {
      const rows = await db
        .selectFrom('chronologyEntry as e')
        .innerJoin('appUser as u', 'u.id', 'e.authorId')
        .select(['e.id', 'e.occurredOn', 'e.title', 'e.text', 'e.correctsEntryId', 'u.displayName as authorName', 'e.createdAt'])
        .where('e.caseId', '=', caseId)
        .orderBy('e.createdAt')
        .orderBy('e.id')
        .execute()
      return rows.map((r) => ({ ...r, occurredOn: iso(r.occurredOn) }))
    },

    async insertCurated(db: Executor, e: CuratedDraft & { partnershipId: string; caseId: string; authorId: string }): Promise<string> {
      const row = await db.insertInto('chronologyEntry').values(e).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
  }
}
export type ChronologyRepository = ReturnType<typeof chronologyRepository>
