import { sql } from 'kysely'
import type { Executor } from '../../platform/db/transaction.js'

export type FactorTypeRow = { code: string; label: string; createdAt: Date; retiredAt: Date | null; createdByName: string | null }
export type CaseFactorRow = {
  id: string
  factorCode: string
  recordedAt: Date
  recordedByName: string | null
  removedAt: Date | null
  removedByName: string | null
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
      const r = await db
        .updateTable('caseFactorType')
        .set({ retiredAt: at })
        .where('partnershipId', '=', partnershipId)
        .where('code', '=', code)
        .where('retiredAt', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** Every factor ever recorded on the case, current ones first, newest first. */
    async forCase(db: Executor, caseId: string): Promise<CaseFactorRow[]> {
      return db
        .selectFrom('caseFactor as f')
        .leftJoin('appUser as r', 'r.id', 'f.recordedBy')
        .leftJoin('appUser as x', 'x.id', 'f.removedBy')
        .select([
          'f.id',
          'f.factorCode',
          'f.recordedAt',
          'r.displayName as recordedByName',
          'f.removedAt',
          'x.displayName as removedByName',
        ])
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
      await db
        .updateTable('caseFactor')
        .set({ removedAt: at, removedBy: by })
        .where('caseId', '=', caseId)
        .where('factorCode', 'in', codes)
        .where('removedAt', 'is', null)
        .execute()
    },
  }
}
export type CaseFactorsRepository = ReturnType<typeof caseFactorsRepository>
