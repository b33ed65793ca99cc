import type { Executor } from '../../platform/db/transaction.js'
import type { CatalogueRow } from './catalogue.rules.js'

export type CatalogueItem = { id: string; behaviour: string; rating: string }
export type CatalogueSummaryRow = { toolVersion: string; ageBand: string; rating: string; count: number; loadedAt: Date }

/** A partnership's behaviour catalogue. Every method takes the executor. */
export function catalogueRepository() {
  return {
    /** Replaces the partnership's catalogue for each tool version in `rows`; returns how many were removed. */
    async replace(trx: Executor, partnershipId: string, loadedBy: string | null, rows: CatalogueRow[]): Promise<number> {
      const versions = [...new Set(rows.map((r) => r.toolVersion))]
      const removed = await trx
        .deleteFrom('screeningCatalogueItem')
        .where('partnershipId', '=', partnershipId)
        .where('toolVersion', 'in', versions)
        .executeTakeFirst()
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('screeningCatalogueItem')
          .values(
            rows
              .slice(i, i + 500)
              .map((r) => ({
                partnershipId,
                toolVersion: r.toolVersion,
                ageBand: r.ageBand,
                rating: r.rating,
                behaviour: r.behaviour,
                loadedBy,
              })),
          )
          .execute()
      }
      return Number(removed.numDeletedRows)
    },

    async summary(trx: Executor, partnershipId: string): Promise<CatalogueSummaryRow[]> {
      const rows = await trx
        .selectFrom('screeningCatalogueItem')
        .select((eb) => ['toolVersion', 'ageBand', 'rating', eb.fn.countAll<string>().as('count'), eb.fn.max('loadedAt').as('loadedAt')])
        .where('partnershipId', '=', partnershipId)
        .groupBy(['toolVersion', 'ageBand', 'rating'])
        .orderBy('toolVersion')
        .orderBy('ageBand')
        .orderBy('rating')
        .execute()
      return rows.map((r) => ({ ...r, count: Number(r.count) }))
    },

    /** One band's behaviours, most serious first, for the screening form. */
    async forBand(trx: Executor, partnershipId: string, toolVersion: string, ageBand: string): Promise<CatalogueItem[]> {
      return trx
        .selectFrom('screeningCatalogueItem')
        .select(['id', 'behaviour', 'rating'])
        .where('partnershipId', '=', partnershipId)
        .where('toolVersion', '=', toolVersion)
        .where('ageBand', '=', ageBand)
        .orderBy('behaviour')
        .execute()
    },

    async findMany(trx: Executor, partnershipId: string, ids: string[]): Promise<(CatalogueItem & { toolVersion: string })[]> {
      if (ids.length === 0) return []
      return trx
        .selectFrom('screeningCatalogueItem')
        .select(['id', 'behaviour', 'rating', 'toolVersion'])
        .where('partnershipId', '=', partnershipId)
        .where('id', 'in', ids)
        .execute()
    },
  }
}
export type CatalogueRepository = ReturnType<typeof catalogueRepository>
