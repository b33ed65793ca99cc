import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ALL_CLOCK_KINDS, DEFAULT_TIMESCALES, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { transaction } from '../../platform/db/transaction.js'
import { datePartsOf, readDate } from '../../platform/forms/dates.js'
import { field, fieldError, type FormResult } from '../../platform/forms/forms.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { dayOccurredAt } from '../../platform/forms/when.js'
import { ConflictError, NotFoundError } from '../../platform/http/errors.js'
import type { FeatureDeps } from '../feature-module.js'
import type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'
import type { CaseAct } from './kernel.js'
import { casesRepository } from './cases.repository.js'
import { actionsFor, type CaseAction } from './pathway.rules.js'

export type CaseView = { kase: CaseForAccess; events: CaseEventRow[]; clocks: CaseClockRow[]; actions: CaseAction[] }

/** The case page and the case-wide commands that belong to no other feature. */
export function casesService({ db, audit, cases, now = () => new Date() }: Pick<FeatureDeps, 'db' | 'audit' | 'cases' | 'now'>) {
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

    /** The child and family assessment's page: whether it can be completed now (refused, audited, if not). */
    async childAndFamilyAssessmentForm(user: CurrentUser, caseId: string, requestId: string): Promise<{ kase: CaseForAccess }> {
      return cases.run(user, caseId, requestId, async (act) => {
        await stepOnRunningAssessment(act)
        return { kase: act.kase }
      })
    },

    /**
     * Completes the child and family assessment with its outcome, on the day it was completed (its
     * 45-working-day clock is met or missed by then, not by when it was typed in).
     */
    async completeChildAndFamilyAssessment(
      user: CurrentUser,
      caseId: string,
      body: unknown,
      requestId: string,
    ): Promise<FormResult<null> & { kase?: CaseForAccess }> {
      return cases.run(user, caseId, requestId, async (act) => {
        await stepOnRunningAssessment(act)
        const at = now()
        const completed = readDate(datePartsOf(body, 'completed'), 'completed', 'Date the assessment was completed', { required: true })
        const outcome = field(body, 'outcome')
        const errors = [
          completed.error ??
            (completed.value! > londonDate(at)
              ? fieldError('completed-day', 'Date the assessment was completed must be today or in the past')
              : null) ??
            (completed.value! < londonDate(act.kase.referralReceivedAt)
              ? fieldError(
                  'completed-day',
                  'Date the assessment was completed must be the same as or after the date the request for support was received',
                )
              : null),
          outcome in CFA_OUTCOMES ? null : fieldError('outcome', 'Select the outcome of the assessment'),
        ].filter((e) => e !== null)
        if (errors.length) return { ok: false, errors, kase: act.kase }
        const completedOn = completed.value!
        await act.apply('COMPLETE_CHILD_AND_FAMILY_ASSESSMENT', { occurredAt: dayOccurredAt(completedOn, at) }, { outcome, completedOn })
        return { ok: true, value: null }
      })
    },
  }

  /** The step, and only once: a second completion is refused (409, audited) rather than recorded twice. */
  async function stepOnRunningAssessment(act: CaseAct): Promise<void> {
    act.step('COMPLETE_CHILD_AND_FAMILY_ASSESSMENT')
    const { clocks } = await act.history()
    if (!clocks.some((c) => c.kind === 'ASSESSMENT' && !c.metAt)) {
      act.refuse(new ConflictError('The child and family assessment is not running on this case: it is complete, or was never started.'), {
        action: 'case:COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
        recordType: 'case',
        recordId: act.kase.id,
        detail: { reason: 'NOT_RUNNING' },
      })
    }
  }
}

/** What a child and family assessment can lead to (the children in need census's outcomes, in words). */
export const CFA_OUTCOMES = {
  NO_FURTHER_ACTION: 'No further action',
  EARLY_HELP: 'Early help',
  CHILD_IN_NEED: 'A child in need plan (section 17)',
  CHILD_PROTECTION: 'An initial child protection conference (section 47)',
} as const
export type CasesService = ReturnType<typeof casesService>
