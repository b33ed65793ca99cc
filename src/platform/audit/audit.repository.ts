import { sql } from 'kysely'
import type { Executor } from '../db/transaction.js'

export type AuditOutcome = 'ALLOWED' | 'DENIED'

export type AuditEntry = {
  partnershipId: string | null
  userId: string | null
  action: string
  recordType: string
  recordId: string | null
  outcome: AuditOutcome
  requestId: string | null
  /** Ids and codes only: never names or case text. */
  detail?: Record<string, string | number | boolean | null>
}

export type RecordHistoryRow = {
  id: string
  occurredAt: Date
  action: string
  outcome: AuditOutcome
  userId: string | null
  displayName: string | null
  agencyName: string | null
}

/** Append-only: this module inserts and reads; the database role cannot do anything else. */
export function auditRepository() {
  return {
    async record(db: Executor, entry: AuditEntry): Promise<void> {
      await db
        .insertInto('auditLog')
        .values({
          partnershipId: entry.partnershipId,
          userId: entry.userId,
          action: entry.action,
          recordType: entry.recordType,
          recordId: entry.recordId,
          outcome: entry.outcome,
          requestId: entry.requestId,
          detail: JSON.stringify(entry.detail ?? {}),
        })
        .execute()
    },

    /** Who has seen or changed one record, newest first, with a page limit. */
    async listForRecord(db: Executor, recordType: string, recordId: string, limit = 200): Promise<RecordHistoryRow[]> {
      return db
        .selectFrom('auditLog as a')
        .leftJoin('appUser as u', 'u.id', 'a.userId')
        .leftJoin('agency as g', 'g.id', 'u.agencyId')
        .select([
          'a.id',
          'a.occurredAt',
          'a.action',
          'a.outcome',
          'a.userId',
          'u.displayName',
          'g.name as agencyName',
        ])
        .where('a.recordType', '=', recordType)
        .where('a.recordId', '=', recordId)
        .orderBy('a.id', 'desc')
        .limit(limit)
        .execute()
    },

    async countForRecord(db: Executor, recordType: string, recordId: string): Promise<number> {
      const row = await db
        .selectFrom('auditLog')
        .select(sql<string>`count(*)`.as('n'))
        .where('recordType', '=', recordType)
        .where('recordId', '=', recordId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
  }
}
export type AuditRepository = ReturnType<typeof auditRepository>
