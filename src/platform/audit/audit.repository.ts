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
const row = (entry: AuditEntry) => ({
  partnershipId: entry.partnershipId,
  userId: entry.userId,
  action: entry.action,
  recordType: entry.recordType,
  recordId: entry.recordId,
  outcome: entry.outcome,
  requestId: entry.requestId,
  detail: JSON.stringify(entry.detail ?? {}),
})

export function auditRepository() {
  return {
    async record(db: Executor, entry: AuditEntry): Promise<void> {
      await db.insertInto('auditLog').values(row(entry)).execute()
    },
    /** Several entries in one statement (a list of children read at once). */
    async recordMany(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
      if (entries.length) await db.insertInto('auditLog').values(entries.map(row)).execute()
    },
  }
}
export type AuditRepository = ReturnType<typeof auditRepository>
