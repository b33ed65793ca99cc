import { sql } from 'kysely'
import type { Actor } from '../../platform/access/policy.js'
import { canReadChildSql } from '../../platform/access/child-access.sql.js'
import type { Executor } from '../../platform/db/transaction.js'
import type { Count } from './dashboard.figures.js'
import { FACTS, type FactsContext } from './dashboard.sql.js'
import type { Known } from './insight.query.js'

export type FigureId = keyof typeof FACTS
export const isFigureId = (id: string): id is FigureId => Object.hasOwn(FACTS, id)

export type CaseBehindFigure = { caseId: string; childId: string; childName: string; status: string; referralReceivedAt: Date }

/** One figure's aggregate: distinct things counted per row and column, and medians (also run by bench/dashboard.ts). */
export function countsSql(id: FigureId, ctx: FactsContext) {
  return sql<{ rowKey: string; colKey: string; n: number; median: number | null; label: string | null }>`
    SELECT f.row_key, f.col_key, count(DISTINCT f.unit_id)::int AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.value) AS median, min(f.label) AS label
      FROM (${FACTS[id](ctx)}) f
     GROUP BY f.row_key, f.col_key`
}

/** Reads the dashboard's counts: one aggregate statement per figure, all in the database. */
export function dashboardRepository() {
  return {
    /** The counts of one figure. */
    async counts(db: Executor, id: FigureId, ctx: FactsContext): Promise<Count[]> {
      const { rows } = await countsSql(id, ctx).execute(db)
      return rows.map((r) => ({ ...r, n: Number(r.n), median: r.median === null ? null : Number(r.median) }))
    },

    /** The cases behind one cell that this person may open, and how many others there are. */
    async casesBehind(
      db: Executor,
      id: FigureId,
      ctx: FactsContext,
      cell: { rowKey: string | null; colKey: string },
      actor: Actor,
      limit: number,
    ) {
      // rowKey null: the Total row (every row of the column).
      const row = cell.rowKey === null ? sql`true` : sql`f.row_key = ${cell.rowKey}`
      const { rows } = await sql<CaseBehindFigure & { readable: boolean }>`
        WITH behind AS (SELECT DISTINCT f.case_id FROM (${FACTS[id](ctx)}) f WHERE ${row} AND f.col_key = ${cell.colKey})
        SELECT c.id AS case_id, ch.id AS child_id, ch.given_names || ' ' || ch.family_name AS child_name, c.status, c.referral_received_at,
               ${canReadChildSql('ch', actor)} AS readable
          FROM behind JOIN hsb_case c ON c.id = behind.case_id JOIN child ch ON ch.id = c.child_id
         ORDER BY c.referral_received_at DESC, c.id`.execute(db)
      const readable = rows.filter((r) => r.readable)
      return {
        cases: readable.slice(0, limit).map(({ readable: _r, ...rest }) => rest),
        total: rows.length,
        notReadable: rows.length - readable.length,
        truncated: readable.length > limit,
      }
    },

    /** The agencies and teams offered as filters. */
    async known(db: Executor, partnershipId: string): Promise<Known> {
      const agencies = await db
        .selectFrom('agency')
        .select(['id', 'name'])
        .where('partnershipId', '=', partnershipId)
        .orderBy('name')
        .execute()
      const teams = await db
        .selectFrom('team')
        .innerJoin('agency', 'agency.id', 'team.agencyId')
        .select(['team.id', 'team.name'])
        .where('agency.partnershipId', '=', partnershipId)
        .orderBy('team.name')
        .execute()
      return { agencies, teams }
    },

    /** The first financial year with a request for support, for the period list. */
    async firstReferral(db: Executor, partnershipId: string): Promise<Date | null> {
      const row = await db
        .selectFrom('hsbCase')
        .select((eb) => eb.fn.min('referralReceivedAt').as('first'))
        .where('partnershipId', '=', partnershipId)
        .executeTakeFirst()
      return (row?.first as Date | null | undefined) ?? null
    },
  }
}
export type DashboardRepository = ReturnType<typeof dashboardRepository>
