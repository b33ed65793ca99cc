import { can } from '../../platform/access/policy.js'
import type { AuditEntry, AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, type BankHolidays } from '../../platform/clocks/bank-holidays.js'
import { ALL_CLOCK_KINDS, dueAt, withLocalLengths, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { ConflictError, ForbiddenError, NotFoundError, type HttpError } from '../../platform/http/errors.js'
import type { CaseForAccess, CasesRepository } from './cases.repository.js'
import { ACTION_RULES, STATUS_LABELS, decide, type CaseAction, type CaseRoute, type TransitionContext } from './pathway.rules.js'

type Deps = { db: Db; repo: CasesRepository; audit: AuditRepository; holidays?: BankHolidays; now?: () => Date }

/** A refused step: its DENIED audit row is written after the step's transaction rolls back. */
class CaseRefusal extends Error {
  constructor(
    readonly httpError: HttpError,
    readonly entry: AuditEntry,
  ) {
    super(httpError.message)
  }
}

export type CaseChanges = {
  rating?: TransitionContext['rating']
  allocatedTeamId?: string | null
  allocatedUserId?: string | null
  /** When the step happened, for its clocks, if not now (a meeting is held before its minutes are finalised). */
  clocksAt?: Date
}

/**
 * The one way a case moves: other features (referrals, meetings) call these inside their own
 * transaction, so the record they write, the case's new status, its history event, its clocks
 * and the audit row commit together or not at all.
 */
export function caseWorkflow({ db, repo, audit, holidays = ENGLAND_AND_WALES_BANK_HOLIDAYS, now = () => new Date() }: Deps) {
  async function timescales(trx: Trx, partnershipId: string) {
    const local = await repo.localTimescales(trx, partnershipId)
    const lengths: Partial<Record<ClockKind, number>> = {}
    for (const l of local) if ((ALL_CLOCK_KINDS as readonly string[]).includes(l.clockKind)) lengths[l.clockKind as ClockKind] = l.length
    return withLocalLengths(lengths)
  }

  async function startClocks(trx: Trx, partnershipId: string, caseId: string, kinds: readonly ClockKind[], startedAt: Date) {
    if (kinds.length === 0) return
    const t = await timescales(trx, partnershipId)
    for (const kind of kinds) {
      await repo.startClock(trx, { partnershipId, caseId, kind, startedAt, dueAt: dueAt(kind, startedAt, t, holidays) })
    }
  }

  const workflow = {
    /** Loads a case for someone, refusing (and auditing the refusal) if they may not see the child. */
    async load(trx: Trx, user: CurrentUser, caseId: string, requestId: string): Promise<CaseForAccess | { denied: true }> {
      const found = await repo.findForAccess(trx, caseId, user)
      if (!found) throw new NotFoundError()
      const allowed = can(user, 'child:read', { kind: 'child', ...found })
      await audit.record(trx, {
        partnershipId: user.partnershipId,
        userId: user.id,
        action: 'case:read',
        recordType: 'case',
        recordId: found.id,
        outcome: allowed ? 'ALLOWED' : 'DENIED',
        requestId,
        detail: { childId: found.childId, relationship: found.relationship },
      })
      return allowed ? found : { denied: true }
    },

    /** Opens a case at the front door (status REFERRED) and starts the referral decision clock. */
    async open(
      trx: Trx,
      user: CurrentUser,
      c: { childId: string; route: CaseRoute; referralReceivedAt: Date },
      requestId: string,
    ): Promise<string> {
      const caseId = await repo.insertCase(trx, { partnershipId: user.partnershipId, childId: c.childId, route: c.route, status: 'REFERRED', referralReceivedAt: c.referralReceivedAt })
      await repo.insertEvent(trx, { partnershipId: user.partnershipId, caseId, action: 'OPEN', fromStatus: null, toStatus: 'REFERRED', actorId: user.id, detail: { route: c.route } })
      await startClocks(trx, user.partnershipId, caseId, ['REFERRAL_DECISION'], c.referralReceivedAt)
      await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'case:OPEN', recordType: 'case', recordId: caseId, outcome: 'ALLOWED', requestId, detail: { childId: c.childId } })
      return caseId
    },

    /**
     * Applies one action to a case the caller has loaded: refused with 409 (naming the status
     * and the allowed actions) if the pathway does not allow it now, 403 if the role may not,
     * and 409 if someone else moved the case since it was loaded.
     */
    async apply(
      trx: Trx,
      user: CurrentUser,
      kase: CaseForAccess,
      action: CaseAction,
      ctx: TransitionContext & CaseChanges,
      requestId: string,
      detail: Record<string, unknown> = {},
    ) {
      const decision = decide(kase.status, action, user.roles, { route: kase.route, ...ctx })
      if (!decision.ok) {
        const entry: AuditEntry = { partnershipId: user.partnershipId, userId: user.id, action: `case:${action}`, recordType: 'case', recordId: kase.id, outcome: 'DENIED', requestId, detail: { reason: decision.reason } }
        if (decision.reason === 'NOT_YOUR_ROLE') throw new CaseRefusal(new ForbiddenError('Your role cannot take this step on the case.'), entry)
        throw new CaseRefusal(
          new ConflictError(
            `This case is “${STATUS_LABELS[kase.status]}”, so “${ACTION_RULES[action].label}” cannot be done now.`,
            decision.allowed.length ? decision.allowed.map((a) => `You can: ${ACTION_RULES[a].label}`) : ['Nothing more can be done on this case.'],
          ),
          entry,
        )
      }
      const at = now()
      const moved = await repo.updateCase(trx, kase.id, kase.version, {
        status: decision.to,
        ...(ctx.rating !== undefined ? { rating: ctx.rating } : {}),
        ...(ctx.allocatedTeamId !== undefined ? { allocatedTeamId: ctx.allocatedTeamId } : {}),
        ...(ctx.allocatedUserId !== undefined ? { allocatedUserId: ctx.allocatedUserId } : {}),
        ...(decision.to === 'CLOSED' || decision.to === 'EARLY_HELP' ? { closedAt: at } : {}),
      })
      if (!moved) throw new ConflictError('Someone else changed this case while you were working on it. Check the case and try again.')
      await repo.insertEvent(trx, { partnershipId: user.partnershipId, caseId: kase.id, action, fromStatus: kase.status, toStatus: decision.to, actorId: user.id, detail })
      const clocksAt = ctx.clocksAt ?? at
      await repo.stopClocks(trx, kase.id, decision.stops, clocksAt)
      await startClocks(trx, user.partnershipId, kase.id, decision.starts.filter((k) => k !== 'ASSESSMENT'), clocksAt)
      // The child and family assessment runs from the referral, not from the screening.
      if (decision.starts.includes('ASSESSMENT')) await startClocks(trx, user.partnershipId, kase.id, ['ASSESSMENT'], kase.referralReceivedAt)
      await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `case:${action}`, recordType: 'case', recordId: kase.id, outcome: 'ALLOWED', requestId, detail: { to: decision.to } })
      return { ...kase, status: decision.to, version: kase.version + 1 }
    },

    /**
     * Runs one command on a case for a person: one transaction that loads the case, checks they
     * may see the child (auditing either way), and runs `fn`. A refusal's audit row survives
     * the rollback of the refused command.
     */
    async command<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T>): Promise<T> {
      try {
        const outcome = await transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
          const kase = await workflow.load(trx, user, caseId, requestId)
          if ('denied' in kase) return { denied: true as const }
          return { denied: false as const, value: await fn(trx, kase) }
        })
        if (outcome.denied) throw new ForbiddenError('You do not have access to this child’s record.')
        return outcome.value
      } catch (err) {
        if (!(err instanceof CaseRefusal)) throw err
        await transaction(db, { partnershipId: user.partnershipId }, (trx) => audit.record(trx, err.entry))
        throw err.httpError
      }
    },
  }
  return workflow
}
export type CaseWorkflow = ReturnType<typeof caseWorkflow>
