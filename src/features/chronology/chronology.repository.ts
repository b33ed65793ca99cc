import type { Executor } from '../../platform/db/transaction.js'
import type { CuratedDraft } from './chronology.rules.js'

export type HeldMeetingRow = { id: string; kind: string; heldAt: Date; chairName: string }
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
    /** Meetings on the case that have been held (any kind), oldest first. */
    async heldMeetings(db: Executor, caseId: string): Promise<HeldMeetingRow[]> {
      const rows = await db
        .selectFrom('meeting as m')
        .innerJoin('appUser as u', 'u.id', 'm.chairId')
        .select(['m.id', 'm.kind', 'm.heldAt', 'u.displayName as chairName'])
        .where('m.caseId', '=', caseId)
        .where('m.heldAt', 'is not', null)
        .orderBy('m.heldAt')
        .orderBy('m.id')
        .execute()
      return rows.map((r) => ({ ...r, heldAt: r.heldAt! }))
    },

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
      const row = await db
        .insertInto('chronologyEntry')
        .values({
          partnershipId: e.partnershipId,
          caseId: e.caseId,
          occurredOn: e.occurredOn,
          title: e.title,
          text: e.text,
          correctsEntryId: e.correctsEntryId,
          authorId: e.authorId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
  }
}
export type ChronologyRepository = ReturnType<typeof chronologyRepository>
