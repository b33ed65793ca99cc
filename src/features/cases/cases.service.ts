import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ALL_CLOCK_KINDS, DEFAULT_TIMESCALES, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { transaction } from '../../platform/db/transaction.js'
import { fieldError, type FormResult } from '../../platform/forms/forms.js'
import { NotFoundError } from '../../platform/http/errors.js'
import type { FeatureDeps } from '../feature-module.js'
import type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'
import { casesRepository } from './cases.repository.js'
import { actionsFor, type CaseAction } from './pathway.rules.js'

export type CaseView = { kase: CaseForAccess; events: CaseEventRow[]; clocks: CaseClockRow[]; actions: CaseAction[] }

/** The case page and the case-wide commands that belong to no other feature. */
export function casesService({ db, audit, cases }: Pick<FeatureDeps, 'db' | 'audit' | 'cases'>) {
  const repo = casesRepository()
  return {
    /**
     * A partnership's own length for a clock (local timescales). The unit stays the statutory
     * one: a working-days clock stays in working days. Applies to clocks started from now on.
     */
    async setLocalTimescale(
      by: { system: true; partnershipId: string },
      kind: string,
      length: number,
    ): Promise<{ ok: true } | { ok: false; error: string }> {
      if (!(ALL_CLOCK_KINDS as readonly string[]).includes(kind))
        return { ok: false, error: `Unknown clock: ${kind}. Clocks: ${ALL_CLOCK_KINDS.join(', ')}` }
      if (!Number.isInteger(length) || length < 1 || length > 1000)
        return { ok: false, error: 'The length must be a whole number from 1 to 1000' }
      const unit = DEFAULT_TIMESCALES[kind as ClockKind].unit
      await transaction(db, { partnershipId: by.partnershipId }, async (trx) => {
        await repo.setLocalTimescale(trx, { partnershipId: by.partnershipId, clockKind: kind, unit, length })
        await audit.allowed(
          trx,
          { id: null, partnershipId: by.partnershipId },
          { action: 'timescale:set', recordType: 'partnership', recordId: by.partnershipId, detail: { clock: kind, length, unit } },
          null,
        )
      })
      return { ok: true }
    },

    /** Three statements, whatever the size of the case: the case with access, its audit row, its history with its clocks. */
    async viewCase(user: CurrentUser, caseId: string, requestId: string): Promise<CaseView> {
      return cases.run(user, caseId, requestId, async (act) => {
        const { events, clocks } = await act.history()
        return { kase: act.kase, events, clocks, actions: actionsFor(act.kase.status, user.roles) }
      })
    },

    async recordClockReason(user: CurrentUser, caseId: string, kind: string, reason: string, requestId: string): Promise<FormResult<null>> {
      if (!(ALL_CLOCK_KINDS as readonly string[]).includes(kind)) throw new NotFoundError()
      const trimmed = reason.trim()
      // Access first: someone who may not see the case learns nothing from a validation message.
      return cases.run(user, caseId, requestId, async (act) => {
        if (!trimmed) return { ok: false, errors: [fieldError('reason', 'Enter why the timescale was missed')] }
        if (trimmed.length > 2000) return { ok: false, errors: [fieldError('reason', 'Reason must be 2000 characters or fewer')] }
        await act.apply('RECORD_CLOCK_REASON', {}, { clock: kind })
        if (!(await act.recordClockReason(kind as ClockKind, trimmed))) act.refuse(new NotFoundError())
        return { ok: true, value: null }
      })
    },
  }
}
export type CasesService = ReturnType<typeof casesService>
