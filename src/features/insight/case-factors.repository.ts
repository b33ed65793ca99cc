import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'
import { AGE_BANDS, type InsightQuery } from './insight.query.js'

export type FactorTypeRow = { code: string; label: string; createdAt: Date; retiredAt: Date | null; createdByName: string | null }
export type CaseFactorRow = { id: string; factorCode: string; recordedAt: Date; recordedByName: string | null; removedAt: Date | null; removedByName: string | null }

/** The cohort's filters as SQL on hsb_case k, child c and the allocated team t. */
function cohortFilters(f: InsightQuery['filters']): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = []
  if (f.rating) where.push(sql`k.rating = ${f.rating}`)
  if (f.teamId) where.push(sql`k.allocated_team_id = ${f.teamId}`)
  if (f.agencyId) where.push(sql`t.agency_id = ${f.agencyId}`)
  if (f.ageBand) {
    const band = AGE_BANDS.find((b) => b.value === f.ageBand)!
    where.push(sql`date_part('year', age((k.referral_received_at AT TIME ZONE 'Europe/London')::date, c.date_of_birth)) BETWEEN ${band.min} AND ${band.max}`)
  }
  if (f.gender) where.push(f.gender === 'NOT_KNOWN' ? sql`(c.gender IS NULL OR c.gender = 'NOT_KNOWN')` : sql`c.gender = ${f.gender}`)
  if (f.ethnicity) where.push(f.ethnicity === 'NOT_KNOWN' ? sql`(c.ethnicity IS NULL OR c.ethnicity = 'NOT_KNOWN')` : sql`c.ethnicity = ${f.ethnicity}`)
  if (f.send === 'yes') where.push(sql`nullif(trim(c.send_needs), '') IS NOT NULL`)
  if (f.send === 'no') where.push(sql`nullif(trim(c.send_needs), '') IS NULL`)
  return where
}

/** Case factors' SQL: the partnership's own factor list, factors on a case (never deleted), and the cohort counts. */
export function caseFactorsRepository() {
  return {
    async types(db: Executor, partnershipId: string): Promise<FactorTypeRow[]> {
      return db
        .selectFrom('caseFactorType as t')
        .leftJoin('appUser as u', 'u.id', 't.createdBy')
        .select(['t.code', 't.label', 't.createdAt', 't.retiredAt', 'u.displayName as createdByName'])
        .where('t.partnershipId', '=', partnershipId)
        .orderBy('t.label')
        .execute()
    },

    async insertType(db: Executor, partnershipId: string, code: string, label: string, by: string): Promise<void> {
      await db.insertInto('caseFactorType').values({ partnershipId, code, label, createdBy: by }).execute()
    },

    async retireType(db: Executor, partnershipId: string, code: string, at: Date): Promise<boolean> {
      const r = await db.updateTable('caseFactorType').set({ retiredAt: at }).where('partnershipId', '=', partnershipId).where('code', '=', code).where('retiredAt', 'is', null).executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** Every factor ever recorded on the case, current ones first, newest first. */
    async forCase(db: Executor, caseId: string): Promise<CaseFactorRow[]> {
      return db
        .selectFrom('caseFactor as f')
        .leftJoin('appUser as r', 'r.id', 'f.recordedBy')
        .leftJoin('appUser as x', 'x.id', 'f.removedBy')
        .select(['f.id', 'f.factorCode', 'f.recordedAt', 'r.displayName as recordedByName', 'f.removedAt', 'x.displayName as removedByName'])
        .where('f.caseId', '=', caseId)
        .orderBy(sql`f.removed_at IS NOT NULL`)
        .orderBy('f.recordedAt', 'desc')
        .orderBy('f.id')
        .execute()
    },

    async add(db: Executor, partnershipId: string, caseId: string, codes: readonly string[], by: string, at: Date): Promise<void> {
      if (codes.length === 0) return
      await db
        .insertInto('caseFactor')
        .values(codes.map((factorCode) => ({ partnershipId, caseId, factorCode, recordedBy: by, recordedAt: at })))
        .onConflict((oc) => oc.column('caseId').column('factorCode').where('removedAt', 'is', null).doNothing())
        .execute()
    },

    async remove(db: Executor, caseId: string, codes: readonly string[], by: string, at: Date): Promise<void> {
      if (codes.length === 0) return
      await db.updateTable('caseFactor').set({ removedAt: at, removedBy: by }).where('caseId', '=', caseId).where('factorCode', 'in', codes).where('removedAt', 'is', null).execute()
    },

    /**
     * The cohort (children with a request for support received in the period, by the as-at day,
     * matching the filters) and, per factor, how many of those children had it recorded on one
     * of their cohort cases as at the end of the as-at day. Two grouped statements.
     */
    async cohortCounts(db: Executor, partnershipId: string, q: InsightQuery): Promise<{ cohort: number; withFactor: { code: string; n: number }[] }> {
      const filters = cohortFilters(q.filters)
      const cohort = sql`
        SELECT k.id AS case_id, k.child_id
        FROM hsb_case k JOIN child c ON c.id = k.child_id LEFT JOIN team t ON t.id = k.allocated_team_id
        WHERE k.partnership_id = ${partnershipId}
          AND k.referral_received_at >= ${q.fromInstant} AND k.referral_received_at < ${q.toInstantExclusive}
          AND k.referral_received_at < ${q.asAtCutoff}
          ${filters.length ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``}`
      const size = await sql<{ n: string }>`SELECT count(DISTINCT child_id) AS n FROM (${cohort}) co`.execute(db)
      const { rows } = await sql<{ code: string; n: string }>`
        SELECT f.factor_code AS code, count(DISTINCT co.child_id) AS n
        FROM (${cohort}) co JOIN case_factor f ON f.case_id = co.case_id
        WHERE f.partnership_id = ${partnershipId} AND f.recorded_at < ${q.asAtCutoff}
          AND (f.removed_at IS NULL OR f.removed_at >= ${q.asAtCutoff})
        GROUP BY f.factor_code`.execute(db)
      return { cohort: Number(size.rows[0]?.n ?? 0), withFactor: rows.map((r) => ({ code: r.code, n: Number(r.n) })) }
    },
  }
}
export type CaseFactorsRepository = ReturnType<typeof caseFactorsRepository>
