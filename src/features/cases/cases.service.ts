import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import { ALL_CLOCK_KINDS, DEFAULT_TIMESCALES, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { transaction, type Db } from '../../platform/db/transaction.js'
import { NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/http/forms.js'
import type { CaseWorkflow } from './case-workflow.js'
import type { CaseClockRow, CaseEventRow, CaseForAccess, CasesRepository } from './cases.repository.js'
import { actionsFor, type CaseAction } from './pathway.rules.js'

type Deps = { db: Db; audit: AuditRepository; repo: CasesRepository; workflow: CaseWorkflow }

export type CaseView = {
  kase: CaseForAccess
  events: CaseEventRow[]
  clocks: CaseClockRow[]
  actions: CaseAction[]
}

/** The case page and the case-wide commands that belong to no other feature. */
export function casesService({ db, audit, repo, workflow }: Deps) {
  return {
    /**
     * A partnership's own length for a clock (local timescales). The unit stays the statutory
     * one: a working-days clock stays in working days. Applies to clocks started from now on.
     */
    async setLocalTimescale(by: { system: true; partnershipId: string }, kind: string, length: number): Promise<{ ok: true } | { ok: false; error: string }> {
      if (!(ALL_CLOCK_KINDS as readonly string[]).includes(kind)) return { ok: false, error: `Unknown clock: ${kind}. Clocks: ${ALL_CLOCK_KINDS.join(', ')}` }
      if (!Number.isInteger(length) || length < 1 || length > 1000) return { ok: false, error: 'The length must be a whole number from 1 to 1000' }
      const unit = DEFAULT_TIMESCALES[kind as ClockKind].unit
      await transaction(db, { partnershipId: by.partnershipId }, async (trx) => {
        await repo.setLocalTimescale(trx, { partnershipId: by.partnershipId, clockKind: kind, unit, length })
        await audit.record(trx, { partnershipId: by.partnershipId, userId: null, action: 'timescale:set', recordType: 'partnership', recordId: by.partnershipId, outcome: 'ALLOWED', requestId: null, detail: { clock: kind, length, unit } })
      })
      return { ok: true }
    },

    /** Three statements, whatever the size of the case: the case with access, its audit row, its history with its clocks. */
    async viewCase(user: CurrentUser, caseId: string, requestId: string): Promise<CaseView> {
      return workflow.command(user, caseId, requestId, async (trx, kase) => {
        const { events, clocks } = await repo.listHistoryAndClocks(trx, kase.id)
        return { kase, events, clocks, actions: actionsFor(kase.status, user.roles) }
      })
    },

    async recordClockReason(
      user: CurrentUser,
      caseId: string,
      kind: string,
      reason: string,
      requestId: string,
    ): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
      if (!(ALL_CLOCK_KINDS as readonly string[]).includes(kind)) throw new NotFoundError()
      const trimmed = reason.trim()
      // Access first: someone who may not see the case learns nothing from a validation message.
      return workflow.command(user, caseId, requestId, async (trx, kase) => {
        if (!trimmed) return { ok: false as const, errors: [{ href: '#reason', text: 'Enter why the timescale was missed' }] }
        if (trimmed.length > 2000) return { ok: false as const, errors: [{ href: '#reason', text: 'Reason must be 2000 characters or fewer' }] }
        const updated = await workflow.apply(trx, user, kase, 'RECORD_CLOCK_REASON', {}, requestId, { clock: kind as ClockKind })
        if (!(await repo.recordClockReason(trx, updated.id, kind, trimmed, user.id))) throw new NotFoundError()
        return { ok: true as const }
      })
    },
  }
}
export type CasesService = ReturnType<typeof casesService>
