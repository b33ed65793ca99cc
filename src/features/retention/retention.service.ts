import type { Act } from '../../platform/access/authorise.js'
import { auditEntry, type AuditDetail, type AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { transaction } from '../../platform/db/transaction.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, ForbiddenError } from '../../platform/http/errors.js'
import { directory } from '../../platform/organisation/directory.js'
import type { FeatureDeps } from '../feature-module.js'
import {
  refusalOf,
  retentionRepository,
  type RefusalCode,
  type Candidate,
  type DeletionRow,
  type HoldRow,
  type ScheduleRow,
  type TombstoneRow,
} from './retention.repository.js'
import {
  RECORD_KINDS,
  dueDate,
  isDue,
  mayDecide,
  scheduleInForce,
  validateReason,
  validateSchedule,
  type Due,
  type RecordKind,
  type ScheduleInput,
} from './retention.rules.js'

type Deps = Pick<FeatureDeps, 'db' | 'audit' | 'access' | 'notifications' | 'now'>

/** Who runs the erasures: a person from the page, or the command line (a named person, or the system). */
export type Runner = { partnershipId: string; userId: string | null; requestId: string | null }

export type DueChild = Candidate & { due: Due; scheduleId: string; reference: string; name: string }
export type Overview = {
  today: IsoDate
  schedules: ScheduleRow[]
  inForce: Record<RecordKind, ScheduleRow | null>
  due: DueChild[]
  holds: HoldRow[]
  waiting: DeletionRow[]
  approved: DeletionRow[]
  tombstones: TombstoneRow[]
  userId: string
  mayApprove: boolean
}
export type HoldTarget = { childId: string; reference: string; name: string }
/** A proposal the run did not carry out (other than a held one): ids, the reason's code and its plain words. */
export type RunFailure = { deletionId: string; childId: string; reference: string; reason: RefusalCode; says: string }
export type RunResult = { erased: number; held: number; failed: number; failures: RunFailure[] }

/** Why an approved erasure did not run, in plain words (the page and the command line say it). */
export const REFUSAL_WORDS: Record<RefusalCode, string> = {
  HELD: 'the record is under a legal hold.',
  HARMED_IN_ANOTHER_RECORD:
    'the child is named as the harmed child in interview material on another child’s case. That material is part of the other child’s record and is not erased with this one, so this record cannot be erased yet.',
  CASE_OPEN: 'the child has a case open again since the erasure was approved, so the record is not due.',
  NOT_DUE: 'the record is no longer due under the schedule in force (a case or the schedule changed since the erasure was approved).',
  ERROR: 'the erasure could not finish this time. Nothing was erased; it stays approved: run again.',
}

/** How the review list, the audit and the pages name a child: the council's case id, or the start of ours; never a name for a restricted record. */
const referenceOf = (c: { childId?: string; id?: string; localCaseId: string | null }) =>
  c.localCaseId ?? (c.childId ?? c.id ?? '').slice(0, 8)
const nameOf = (c: { isRestricted: boolean; givenNames: string; familyName: string }) =>
  c.isRestricted ? 'Restricted record' : `${c.givenNames} ${c.familyName}`

const HELD =
  'This child’s record is under a legal hold: it cannot be erased while the hold is in force. Lift the hold, with its reason, if it no longer applies.'
const APPROVERS = ['HEAD_OF_SERVICE', 'PRIVACY_OFFICER'] as const

const subject = (action: string, childId: string | null, detail: AuditDetail = {}): AuditSubject => ({
  action: `retention:${action}`,
  recordType: 'child',
  recordId: childId,
  detail,
})

/**
 * Retention of children's records (issue 18, part 7; ADR 0012): the partnership's schedule per
 * kind of record (its decision, recorded with a note, never a default of ours), the review list of
 * records due, legal holds, proposals to erase a record decided by a second person, and the run
 * that erases approved records one child per transaction through the database's
 * `hsb_retention_erase`, which leaves a tombstone and refuses a record under a legal hold.
 */
export function retentionService({ db, audit, access, notifications, now = () => new Date() }: Deps) {
  const repo = retentionRepository()
  const organisation = directory()

  async function dueList(act: Act, today: IsoDate) {
    const schedules = await repo.schedules(act.trx, act.user.partnershipId)
    const due: DueChild[] = []
    for (const c of await repo.candidates(act.trx, act.user.partnershipId)) {
      const schedule = scheduleInForce(schedules, c.kind, today)
      if (!schedule) continue
      const d = dueDate({ dateOfBirth: c.dateOfBirth, lastContact: c.lastContact, hasOpenCase: false, kind: c.kind }, schedule)
      if (isDue(d, today)) due.push({ ...c, due: d, scheduleId: schedule.id, reference: referenceOf(c), name: nameOf(c) })
    }
    return { schedules, due }
  }

  async function proposalFor(act: Act, deletionId: string, action: string): Promise<DeletionRow> {
    const d = act.found(await repo.deletion(act.trx, act.user.partnershipId, deletionId))
    if (!mayDecide(act.user.id, d))
      act.refuse(
        new ForbiddenError(
          'You proposed this erasure, so you cannot decide it. Another head of service or privacy officer must decide it.',
        ),
        subject(action, d.childId, { deletionId: d.id, own: true }),
      )
    if (d.status !== 'PROPOSED') act.refuse(new ConflictError('This proposal has already been decided.'))
    return d
  }

  return {
    async overview(user: CurrentUser, requestId: string): Promise<Overview> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', subject('review', null))
        const today = londonDate(now())
        const { schedules, due } = await dueList(act, today)
        const [holds, waiting, approved, tombstones] = await Promise.all([
          repo.holds(act.trx, user.partnershipId, { active: true }),
          repo.deletions(act.trx, user.partnershipId, ['PROPOSED']),
          repo.deletions(act.trx, user.partnershipId, ['APPROVED']),
          repo.tombstones(act.trx, user.partnershipId),
        ])
        // Every child the page names is a read of that child: one entry each.
        const named = new Set([
          ...due.map((d) => d.childId),
          ...holds.map((h) => h.childId),
          ...waiting.map((w) => w.childId),
          ...approved.map((w) => w.childId),
        ])
        await act.recordAll([subject('review', null, { due: due.length }), ...[...named].map((id) => subject('list', id))])
        const inForce = Object.fromEntries(RECORD_KINDS.map((k) => [k, scheduleInForce(schedules, k, today)])) as Overview['inForce']
        // The front-door kind shows only its own decision; the page says it follows the child's record's otherwise.
        if (inForce.FRONT_DOOR_NFA?.kind !== 'FRONT_DOOR_NFA') inForce.FRONT_DOOR_NFA = null
        return {
          today,
          schedules,
          inForce: inForce as Record<RecordKind, ScheduleRow | null>,
          due,
          holds,
          waiting,
          approved,
          tombstones,
          userId: user.id,
          mayApprove: act.user.roles.some((r) => (APPROVERS as readonly string[]).includes(r)),
        }
      })
    },

    async setSchedule(
      user: CurrentUser,
      input: ScheduleInput,
      key: string | null,
      requestId: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', { action: 'retention:schedule', recordType: 'retention_schedule', recordId: null })
        if (!key) act.refuse(new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
        const checked = validateSchedule(input)
        if (!checked.ok) return checked
        const v = checked.value
        const id = await repo.insertSchedule(act.trx, {
          partnershipId: user.partnershipId,
          kind: v.kind,
          yearsAfterLastContact: v.yearsAfterLastContact,
          untilBirthday: v.untilBirthday,
          effectiveFrom: v.effectiveFrom,
          decisionNote: v.note,
          decidedBy: user.id,
          idempotencyKey: key!,
        })
        if (id)
          await act.record({
            action: 'retention:schedule',
            recordType: 'retention_schedule',
            recordId: id,
            detail: {
              kind: v.kind,
              yearsAfterLastContact: v.yearsAfterLastContact,
              untilBirthday: v.untilBirthday,
              effectiveFrom: v.effectiveFrom,
            },
          })
        return { ok: true as const }
      })
    },

    /** The child a hold is to be placed on (any record of the partnership, due or not). */
    async holdTarget(user: CurrentUser, childId: string, requestId: string): Promise<HoldTarget> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', subject('hold', childId))
        const child = act.found(await repo.child(act.trx, user.partnershipId, childId))
        await act.record(subject('hold-form', child.id))
        return { childId: child.id, reference: referenceOf(child), name: nameOf(child) }
      })
    },

    async placeHold(
      user: CurrentUser,
      childId: string,
      reason: string,
      requestId: string,
    ): Promise<{ ok: true; already: boolean } | { ok: false; errors: FieldError[]; target: HoldTarget }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', subject('hold', childId))
        const child = act.found(await repo.child(act.trx, user.partnershipId, childId))
        const checked = validateReason(reason, 'reason', 'Enter the reason for the legal hold')
        if (!checked.ok)
          return { ok: false as const, errors: checked.errors, target: { childId, reference: referenceOf(child), name: nameOf(child) } }
        const holdId = await repo.placeHold(act.trx, {
          partnershipId: user.partnershipId,
          childId,
          reason: checked.value,
          placedBy: user.id,
        })
        if (holdId) await act.record(subject('hold', childId, { holdId }))
        return { ok: true as const, already: holdId === null }
      })
    },

    async liftTarget(user: CurrentUser, holdId: string, requestId: string): Promise<HoldTarget & { holdId: string }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', subject('lift-hold', null, { holdId }))
        const hold = act.found(await repo.hold(act.trx, user.partnershipId, holdId))
        if (hold.liftedAt) act.refuse(new ConflictError('This legal hold has already been lifted.'))
        const child = act.found(await repo.child(act.trx, user.partnershipId, hold.childId))
        await act.record(subject('lift-hold-form', child.id, { holdId }))
        return { holdId, childId: child.id, reference: referenceOf(child), name: nameOf(child) }
      })
    },

    async liftHold(
      user: CurrentUser,
      holdId: string,
      reason: string,
      requestId: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldError[]; target: HoldTarget & { holdId: string } }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', subject('lift-hold', null, { holdId }))
        const hold = act.found(await repo.hold(act.trx, user.partnershipId, holdId))
        const child = act.found(await repo.child(act.trx, user.partnershipId, hold.childId))
        const checked = validateReason(reason, 'reason', 'Enter the reason for lifting the legal hold')
        if (!checked.ok)
          return {
            ok: false as const,
            errors: checked.errors,
            target: { holdId, childId: child.id, reference: referenceOf(child), name: nameOf(child) },
          }
        if (!(await repo.liftHold(act.trx, holdId, user.id, checked.value, now())))
          act.refuse(new ConflictError('This legal hold has already been lifted.'))
        await act.record(subject('lift-hold', child.id, { holdId }))
        return { ok: true as const }
      })
    },

    /** Proposes erasing a child's record that is due; a record under a legal hold is refused (audited). */
    async propose(user: CurrentUser, childId: string, requestId: string): Promise<{ deletionId: string | null }> {
      return access.run(user, requestId, async (act) => {
        act.authorise('retention:manage', subject('propose', childId))
        const today = londonDate(now())
        if (await repo.activeHold(act.trx, childId)) act.refuse(new ConflictError(HELD), subject('propose', childId, { held: true }))
        const { due } = await dueList(act, today)
        const child = due.find((d) => d.childId === childId)
        if (!child) {
          act.found(await repo.child(act.trx, user.partnershipId, childId))
          return act.refuse(
            new ConflictError('This child’s record is not due for erasure under the partnership’s schedule, so it cannot be proposed.'),
            subject('propose', childId, { due: false }),
          )
        }
        const deletionId = await repo.propose(act.trx, {
          partnershipId: user.partnershipId,
          childId,
          kind: child.kind,
          scheduleId: child.scheduleId,
          basis: child.due.basis,
          dueOn: child.due.dueOn,
          proposedBy: user.id,
        })
        if (!deletionId) return { deletionId: null }
        await act.record(subject('propose', childId, { deletionId, scheduleId: child.scheduleId }))
        const approvers = (await organisation.holdersOf(act.trx, user.partnershipId, APPROVERS)).filter((id) => id !== user.id)
        await notifications.raiseToEach(act.trx, approvers, {
          partnershipId: user.partnershipId,
          kind: 'RETENTION_APPROVAL_REQUESTED',
          dedupeKey: `retention-proposal:${deletionId}`,
        })
        return { deletionId }
      })
    },

    /** Approves or declines a proposal: a second person only (their own refused, audited); a held record is not approved. */
    async decide(user: CurrentUser, deletionId: string, approve: boolean, requestId: string): Promise<DeletionRow> {
      return access.run(user, requestId, async (act) => {
        const action = approve ? 'approve' : 'decline'
        act.authorise('retention:approve', subject(action, null, { deletionId }))
        const d = await proposalFor(act, deletionId, action)
        if (approve && d.held) act.refuse(new ConflictError(HELD), subject(action, d.childId, { deletionId, held: true }))
        if (
          !(await repo.decide(act.trx, d.id, {
            status: approve ? 'APPROVED' : 'DECLINED',
            decidedBy: user.id,
            decisionNote: null,
            at: now(),
          }))
        )
          act.refuse(new ConflictError('This proposal has already been decided.'))
        await act.record(subject(action, d.childId, { deletionId: d.id, proposedBy: d.proposedBy }))
        await notifications.raise(act.trx, {
          partnershipId: user.partnershipId,
          userId: d.proposedBy,
          kind: 'RETENTION_DECIDED',
          dedupeKey: `retention-decided:${d.id}`,
        })
        return d
      })
    },

    /**
     * Erases every approved record, one child per transaction: the database function erases the
     * child across every table and writes the tombstone, or refuses a record under a legal hold
     * (the hold is checked here first, and again there). Each approval is checked again as it
     * runs: the record must still be due under the schedule in force (here) with no case open (here
     * and there, HR005), and no other child's interview material may name the child as harmed
     * (there, HR004). Each one not erased is audited as refused (ids and the reason's code) and
     * listed with its reason in plain words; it stays approved. A kill part-way leaves each child
     * whole or tombstoned; what was not reached stays approved for the next run.
     * `withinEach` runs inside each child's transaction after the erasure, before it commits.
     */
    async runApproved(runner: Runner, options: { withinEach?: (childId: string) => Promise<void> } = {}): Promise<RunResult> {
      const actor = { id: runner.userId, partnershipId: runner.partnershipId }
      const result: RunResult = { erased: 0, held: 0, failed: 0, failures: [] }
      const scope = { partnershipId: runner.partnershipId }
      const approved = await transaction(db, scope, (trx) => repo.approvedIds(trx, runner.partnershipId))
      for (const { id, childId, reference } of approved) {
        try {
          await transaction(db, scope, async (trx) => {
            if (await repo.activeHold(trx, childId)) throw Object.assign(new Error('under a legal hold'), { code: 'HR001' })
            // Checked again now: a case opened, or the schedule changed, since the approval.
            const today = londonDate(now())
            const child = await repo.candidate(trx, runner.partnershipId, childId)
            const schedule = child ? scheduleInForce(await repo.schedules(trx, runner.partnershipId), child.kind, today) : null
            const due =
              child && schedule
                ? dueDate(
                    { dateOfBirth: child.dateOfBirth, lastContact: child.lastContact, hasOpenCase: false, kind: child.kind },
                    schedule,
                  )
                : null
            if (!isDue(due, today)) throw Object.assign(new Error('no longer due'), { code: 'NOT_DUE' })
            const tombstoneId = await repo.erase(trx, id)
            await audit.record(trx, auditEntry(actor, subject('erase', childId, { deletionId: id, tombstoneId }), true, runner.requestId))
            // Progress, inside the child's transaction before it commits (the fault drill kills the run here).
            await options.withinEach?.(childId)
          })
          result.erased++
        } catch (err) {
          const reason = refusalOf(err)
          if (reason === 'HELD') result.held++
          else {
            result.failed++
            result.failures.push({ deletionId: id, childId, reference, reason, says: REFUSAL_WORDS[reason] })
          }
          // Ids and the reason's code only: never the error's text.
          const detail: AuditDetail = reason === 'HELD' ? { deletionId: id, held: true, reason } : { deletionId: id, reason }
          await transaction(db, scope, (trx) =>
            audit.record(trx, auditEntry(actor, subject('erase', childId, detail), false, runner.requestId)),
          )
        }
      }
      return result
    },
  }
}
export type RetentionService = ReturnType<typeof retentionService>
