import type { Executor } from '../db/transaction.js'

export type AuditOutcome = 'ALLOWED' | 'DENIED'

/** Ids and codes only: never names or case text. */
export type AuditDetail = Record<string, string | number | boolean | null>

export type AuditEntry = {
  partnershipId: string | null
  userId: string | null
  action: string
  recordType: string
  recordId: string | null
  outcome: AuditOutcome
  requestId: string | null
  detail?: AuditDetail
}

/** What was done (or tried) to which record: an audit entry without who, when and the outcome. */
export type AuditSubject = { action: string; recordType: string; recordId: string | null; detail?: AuditDetail }

/** Who acted: a signed-in person, or the system (`id: null`) for a partnership or none. */
export type AuditActor = { id: string | null; partnershipId: string | null }

export type RecordHistoryRow = {
  id: string
  occurredAt: Date
  action: string
  outcome: AuditOutcome
  userId: string | null
  displayName: string | null
  agencyName: string | null
}

/** The one place an audit entry is made from who acted, what they did, and whether it was allowed. */
export function auditEntry(actor: AuditActor, subject: AuditSubject, allowed: boolean, requestId: string | null): AuditEntry {
  return {
    partnershipId: actor.partnershipId,
    userId: actor.id,
    action: subject.action,
    recordType: subject.recordType,
    recordId: subject.recordId,
    outcome: allowed ? 'ALLOWED' : 'DENIED',
    requestId,
    ...(subject.detail ? { detail: subject.detail } : {}),
  }
}

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

/** Append-only: this module inserts and reads; the database role cannot do anything else. */
export function auditRepository() {
  const audit = {
    async record(db: Executor, entry: AuditEntry): Promise<void> {
      await db.insertInto('auditLog').values(row(entry)).execute()
    },
    /** Several entries in one statement (a list of children read at once). */
    async recordMany(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
      if (entries.length) await db.insertInto('auditLog').values(entries.map(row)).execute()
    },
    /** An allowed or refused action, in the caller's transaction. */
    async write(db: Executor, actor: AuditActor, subject: AuditSubject, allowed: boolean, requestId: string | null): Promise<void> {
      await audit.record(db, auditEntry(actor, subject, allowed, requestId))
    },
    allowed: (db: Executor, actor: AuditActor, subject: AuditSubject, requestId: string | null) =>
      audit.write(db, actor, subject, true, requestId),
    denied: (db: Executor, actor: AuditActor, subject: AuditSubject, requestId: string | null) =>
      audit.write(db, actor, subject, false, requestId),
  }
  return audit
}
export type AuditRepository = ReturnType<typeof auditRepository>
