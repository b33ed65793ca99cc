import { auditEntry, type AuditRepository, type AuditSubject } from '../audit/audit.repository.js'
import type { CurrentUser } from '../auth/current-user.js'
import { transaction, type Db, type Trx } from '../db/transaction.js'
import { ForbiddenError, NotFoundError, type HttpError } from '../http/errors.js'
import { canInPartnership, type PartnershipAction } from './policy.js'
import { Refusal } from './refusal.js'

export { Refusal } from './refusal.js'

/**
 * One command or read by one person, in one transaction scoped to their partnership. Features
 * get one of these from `access.run` / `access.open` (or the case kernel, which adds the case),
 * and never open a transaction of their own for a person.
 */
export type Act = {
  readonly trx: Trx
  readonly user: CurrentUser
  readonly requestId: string
  /**
   * Writes the audit entry of something done, in this transaction. `allowed: false` is for a part
   * of a request refused while the rest goes on (a form shown again): it commits with the form.
   */
  record(subject: AuditSubject, allowed?: boolean): Promise<void>
  /** Several allowed entries in one statement (each child a list discloses). */
  recordAll(subjects: readonly AuditSubject[]): Promise<void>
  /**
   * Refuses: the transaction rolls back, the subject's DENIED entry is written on its own (so it
   * survives the rollback) and the error is shown. Without a subject nothing is audited: keep
   * that for what reveals nothing (a form that could not be read, a record that does not exist).
   */
  refuse(error: HttpError, subject?: AuditSubject): never
  /** The record, or a refusal with 404 (unaudited: there was nothing to see). */
  found<T>(value: T | null | undefined): T
  /**
   * Refuses (403, audited) unless a partnership permission of the person's roles, or a rule
   * about this record the caller has decided, allows it. Allowed, it writes nothing: the caller
   * records what was done.
   */
  authorise(permission: PartnershipAction | boolean, subject: AuditSubject, message?: string): void
}

/** What `access.open` needs to know about a record whose access depends on the record itself. */
export type OpenTarget<R> = {
  find: (trx: Trx) => Promise<R | undefined>
  /** Whether this person may open this record (the access policy, or more). */
  allowed: (record: R, trx: Trx) => boolean | Promise<boolean>
  /** The read's audit entry, written allowed or denied. */
  subject: (record: R) => AuditSubject
  /** Shown to someone refused. */
  denied: string
}

export type AccessDeps = { db: Db; audit: AuditRepository }

/** Runs `work`; a Refusal thrown from it (after its transaction rolled back) has its entry written alone, then its error is thrown. */
export async function refusable<T>({ db, audit }: AccessDeps, partnershipId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (!(err instanceof Refusal)) throw err
    const entry = err.entry
    if (entry) await transaction(db, { partnershipId }, (trx) => audit.record(trx, entry))
    throw err.error
  }
}

/** An Act for one transaction. */
export function actFor(audit: AuditRepository, trx: Trx, user: CurrentUser, requestId: string): Act {
  const act: Act = {
    trx,
    user,
    requestId,
    record: (subject, allowed = true) => audit.write(trx, user, subject, allowed, requestId),
    recordAll: (subjects) =>
      audit.recordMany(
        trx,
        subjects.map((subject) => auditEntry(user, subject, true, requestId)),
      ),
    refuse(error, subject) {
      throw new Refusal(error, subject ? auditEntry(user, subject, false, requestId) : null)
    },
    found(value) {
      if (value === null || value === undefined) act.refuse(new NotFoundError())
      return value
    },
    authorise(permission, subject, message) {
      const allowed = typeof permission === 'boolean' ? permission : canInPartnership(user, permission)
      if (!allowed) act.refuse(new ForbiddenError(message), subject)
    },
  }
  return act
}

/**
 * Access to records that are not cases (reviews, the board, case audits, insight, admin) and to a
 * child's record: the same audit semantics as the case kernel. `run` for commands authorised by
 * role or by rules the feature decides; `open` for a record whose access depends on the record.
 */
export function accessGuard(deps: AccessDeps) {
  const { db, audit } = deps
  const guard = {
    async run<T>(user: CurrentUser, requestId: string, fn: (act: Act) => Promise<T>): Promise<T> {
      return refusable(deps, user.partnershipId, () =>
        transaction(db, { partnershipId: user.partnershipId }, (trx) => fn(actFor(audit, trx, user, requestId))),
      )
    },

    /**
     * The one way to read a record that access depends on: find it, decide, write the audit entry
     * (allowed in the same transaction as the read; denied on its own after the rollback), and
     * only then run `fn`. A record that does not exist (or is another partnership's) is a 404.
     */
    async open<R, T>(user: CurrentUser, requestId: string, target: OpenTarget<R>, fn: (act: Act, record: R) => Promise<T>): Promise<T> {
      return guard.run(user, requestId, async (act) => {
        const record = await target.find(act.trx)
        if (!record) return act.refuse(new NotFoundError())
        const allowed = await target.allowed(record, act.trx)
        // The subject after the decision: deciding may find what the audit entry names (a meeting).
        const subject = target.subject(record)
        act.authorise(allowed, subject, target.denied)
        await act.record(subject)
        return fn(act, record)
      })
    },
  }
  return guard
}
export type AccessGuard = ReturnType<typeof accessGuard>
