import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { ConflictError, ForbiddenError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import { ACTION_RULES, STATUS_LABELS, decide } from '../cases/pathway.rules.js'
import { bailHoldsUpIntervention, criminalProcessRepository, type BailHold, type CriminalProcessRow } from './criminal-process.repository.js'
import { bailHoldingUp, entryFacts, validateEntry, type EntryInput } from './criminal-process.rules.js'

type Deps = { workflow: CaseWorkflow; audit: AuditRepository; now?: () => Date }

/** A refusal decided after the case was loaded: its audit row commits, then the error is shown. */
class Refusal {
  constructor(readonly error: HttpError) {}
}

export type CriminalProcessPage = {
  kase: CaseForAccess
  entries: CriminalProcessRow[]
  /** Current bail whose conditions prevent or delay intervention work. */
  holds: CriminalProcessRow[]
  canRecord: boolean
}

export type RecordResult = { ok: true; entryId: string } | { ok: false; errors: FieldError[]; kase: CaseForAccess }

const ACTION = 'RECORD_CRIMINAL_PROCESS'
const mayRecordByRole = (user: CurrentUser) => (ACTION_RULES[ACTION].roles as readonly string[]).some((r) => user.roles.includes(r as never))

/**
 * The criminal process alongside the pathway. Reading it is audited; recording goes through
 * the case workflow (RECORD_CRIMINAL_PROCESS), so it is audited and in the case's history.
 */
export function criminalProcessService({ workflow, audit, now = () => new Date() }: Deps) {
  const repo = criminalProcessRepository()

  async function run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
    const out = await workflow.command(user, caseId, requestId, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  async function record(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: string, requestId: string, allowed: boolean, extra: Record<string, string | number | boolean | null> = {}) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action, recordType: 'case', recordId: kase.id, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail: { childId: kase.childId, ...extra } })
  }

  /** The role first (someone who could never record is refused whatever the status), then the case's status. */
  async function checkMayRecord(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string): Promise<Refusal | null> {
    if (!mayRecordByRole(user)) {
      await record(trx, user, kase, `case:${ACTION}`, requestId, false, { reason: 'NOT_YOUR_ROLE' })
      return new Refusal(new ForbiddenError('Your role cannot record the criminal process on this case.'))
    }
    const decision = decide(kase.status, ACTION, user.roles, { route: kase.route })
    if (!decision.ok) {
      await record(trx, user, kase, `case:${ACTION}`, requestId, false, { reason: decision.reason })
      return new Refusal(new ConflictError(`This case is “${STATUS_LABELS[kase.status]}”, so the criminal process cannot be recorded now.`, ['It can be recorded from the strategy meeting onwards, while the case is open.']))
    }
    return null
  }

  return {
    async view(user: CurrentUser, caseId: string, requestId: string): Promise<CriminalProcessPage> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const entries = await repo.listForCase(trx, kase.id)
        await record(trx, user, kase, 'criminal-process:read', requestId, true, { entries: entries.length })
        const canRecord = mayRecordByRole(user) && decide(kase.status, ACTION, user.roles).ok
        return { kase, entries, holds: bailHoldingUp(entries, londonDate(now())), canRecord }
      })
    },

    async form(user: CurrentUser, caseId: string, requestId: string): Promise<{ kase: CaseForAccess }> {
      return run(user, caseId, requestId, async (trx, kase) => (await checkMayRecord(trx, user, kase, requestId)) ?? { kase })
    },

    async record(user: CurrentUser, caseId: string, input: EntryInput, requestId: string): Promise<RecordResult> {
      return run(user, caseId, requestId, async (trx, kase): Promise<RecordResult | Refusal> => {
        const refusal = await checkMayRecord(trx, user, kase, requestId)
        if (refusal) return refusal
        const today = londonDate(now())
        const existing = await repo.listForCase(trx, kase.id)
        const checked = validateEntry(input, entryFacts(existing, today))
        if (!checked.ok) return { ok: false, errors: checked.errors, kase }
        const entryId = await repo.insert(trx, { ...checked.value, partnershipId: user.partnershipId, caseId: kase.id, recordedBy: user.id })
        await workflow.apply(trx, user, kase, ACTION, {}, requestId, { entryId, kind: checked.value.kind, holdsUpIntervention: checked.value.holdsUpIntervention })
        return { ok: true, entryId }
      })
    },

    /** For other features, inside their own transaction: current bail holding up intervention work, or null. */
    bailHoldsUpIntervention(trx: Trx, caseId: string, at: Date = now()): Promise<BailHold[] | null> {
      return bailHoldsUpIntervention(trx, caseId, at)
    },
  }
}
export type CriminalProcessService = ReturnType<typeof criminalProcessService>
