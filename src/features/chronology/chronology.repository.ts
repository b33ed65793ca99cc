import type { Executor } from '../../platform/db/transaction.js'
import { isUuid } from '../../platform/http/errors.js'
import type { CuratedDraft, CuratedFact, Names } from './chronology.rules.js'

export type CuratedRow = CuratedFact

const iso = (d: Date) => d.toISOString().slice(0, 10)

/** SQL only. Every method takes the transaction it runs in. */
export function chronologyRepository() {
  return {
    async curated(db: Executor, caseId: string): Promise<CuratedRow[]> {
      const rows = await db
        .selectFrom('chronologyEntry as e')
        .innerJoin('appUser as u', 'u.id', 'e.authorId')
        .leftJoin('agency as a', 'a.id', 'u.agencyId')
        .select([
          'e.id',
          'e.occurredOn',
          'e.title',
          'e.text',
          'e.correctsEntryId',
          'u.displayName as authorName',
          'a.name as authorAgency',
          'e.createdAt',
          'e.isSignificant',
        ])
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

    /** The names of the agencies, teams and people steps refer to by id (the partnership's own, as the transaction sees them). */
    async names(db: Executor, ids: { agencyIds: string[]; teamIds: string[]; userIds: string[] }): Promise<Names> {
      const [agencyIds, teamIds, userIds] = [ids.agencyIds.filter(isUuid), ids.teamIds.filter(isUuid), ids.userIds.filter(isUuid)]
      const pairs = (rows: { id: string; name: string }[]) => new Map(rows.map((r) => [r.id, r.name]))
      const agencies = agencyIds.length ? await db.selectFrom('agency').select(['id', 'name']).where('id', 'in', agencyIds).execute() : []
      const teams = teamIds.length ? await db.selectFrom('team').select(['id', 'name']).where('id', 'in', teamIds).execute() : []
      const users = userIds.length
        ? await db.selectFrom('appUser').select(['id', 'displayName as name']).where('id', 'in', userIds).execute()
        : []
      return { agencies: pairs(agencies), teams: pairs(teams), users: pairs(users) }
    },
  }
}
export type ChronologyRepository = ReturnType<typeof chronologyRepository>
