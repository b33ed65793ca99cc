import { readsOnlyThroughBreakGlass } from '../../platform/access/policy.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ALL_CLOCK_KINDS, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { datePartsOf, readDate } from '../../platform/forms/dates.js'
import { field, fieldError, type FormResult } from '../../platform/forms/forms.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { dayOccurredAt } from '../../platform/forms/when.js'
import { ConflictError, NotFoundError } from '../../platform/http/errors.js'
import { formatDate } from '../../platform/http/format.js'
import type { FeatureDeps } from '../feature-module.js'
import type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'
import type { CaseAct } from './kernel.js'
import { actionsFor, type CaseAction } from './pathway.rules.js'

export type CaseView = {
  kase: CaseForAccess
  events: CaseEventRow[]
  clocks: CaseClockRow[]
  actions: CaseAction[]
  /** When the person reads the case only through break-glass (issue 18): when that ends. */
  breakGlassUntil?: Date | null
}

/** The case page and the case-wide commands that belong to no other feature. */
export function casesService({ cases, now = () => new Date() }: Pick<FeatureDeps, 'db' | 'audit' | 'cases' | 'now'>) {
  return {
    /** Three statements, whatever the size of the case: the case with access, its audit row, its history with its clocks. */
    async viewCase(user: CurrentUser, caseId: string, requestId: string): Promise<CaseView> {
      return cases.run(user, caseId, requestId, async (act) => {
        const { events, clocks } = await act.history()
        // Read only through break-glass: no steps offered, and the page says until when (issue 18).
        const readOnly = readsOnlyThroughBreakGlass(user, { kind: 'child', ...act.kase })
        return {
          kase: act.kase,
          events,
          clocks,
          actions: readOnly ? [] : actionsFor(act.kase.status, user.roles),
          breakGlassUntil: readOnly ? act.kase.breakGlassUntil : null,
        }
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
        await stepOnRunningClock(act, CONCLUDING.CFA)
        return { kase: act.kase }
      })
    },

    /**
     * Completes the child and family assessment with its outcome, on the day it was completed (its
     * 45-working-day clock is met or missed by then, not by when it was typed in).
     */
    completeChildAndFamilyAssessment: (user: CurrentUser, caseId: string, body: unknown, requestId: string) =>
      conclude(user, caseId, body, requestId, CONCLUDING.CFA),

    /** The section 47 enquiry's outcome page: whether it can be recorded now (refused, audited, if not). */
    async section47Form(user: CurrentUser, caseId: string, requestId: string): Promise<{ kase: CaseForAccess }> {
      return cases.run(user, caseId, requestId, async (act) => {
        await stepOnRunningClock(act, CONCLUDING.S47)
        return { kase: act.kase }
      })
    },

    /**
     * The section 47 enquiry's outcome (an initial child protection conference held, or not
     * needed) on the day it concluded: the 15-working-day conference clock is met or missed by then.
     */
    recordSection47Outcome: (user: CurrentUser, caseId: string, body: unknown, requestId: string) =>
      conclude(user, caseId, body, requestId, CONCLUDING.S47),
  }

  /** A step that concludes something with its outcome on the day it concluded, stopping its clock (once). */
  async function conclude(
    user: CurrentUser,
    caseId: string,
    body: unknown,
    requestId: string,
    c: Concluding,
  ): Promise<FormResult<null> & { kase?: CaseForAccess }> {
    return cases.run(user, caseId, requestId, async (act) => {
      const clock = await stepOnRunningClock(act, c)
      const at = now()
      const day = readDate(datePartsOf(body, 'completed'), 'completed', c.dateLabel, { required: true })
      const outcome = field(body, 'outcome')
      const errors = [
        day.error ??
          (day.value! > londonDate(at) ? fieldError('completed-day', `${c.dateLabel} must be today or in the past`) : null) ??
          (day.value! < londonDate(clock.startedAt)
            ? fieldError('completed-day', `${c.dateLabel} must be the same as or after ${c.startedWhen} (${formatDate(clock.startedAt)})`)
            : null),
        outcome in c.outcomes ? null : fieldError('outcome', c.outcomeMissing),
      ].filter((e) => e !== null)
      if (errors.length) return { ok: false, errors, kase: act.kase }
      const completedOn = day.value!
      await act.apply(c.step, { occurredAt: dayOccurredAt(completedOn, at) }, { outcome, completedOn })
      return { ok: true, value: null }
    })
  }

  /** The step, and only while its clock runs: a second one is refused (409, audited) rather than recorded twice. */
  async function stepOnRunningClock(act: CaseAct, c: Concluding): Promise<CaseClockRow> {
    act.step(c.step)
    const { clocks } = await act.history()
    const running = clocks.find((k) => k.kind === c.clock && !k.metAt)
    if (running) return running
    return act.refuse(new ConflictError(c.notRunning), {
      action: `case:${c.step}`,
      recordType: 'case',
      recordId: act.kase.id,
      detail: { reason: 'NOT_RUNNING' },
    })
  }
}

/** What a child and family assessment can lead to (the children in need census's outcomes, in words). */
export const CFA_OUTCOMES = {
  NO_FURTHER_ACTION: 'No further action',
  EARLY_HELP: 'Early help',
  CHILD_IN_NEED: 'A child in need plan (section 17)',
  CHILD_PROTECTION: 'An initial child protection conference (section 47)',
} as const

/** How a section 47 enquiry ended (the children in need census's initial conference outcome, in words). */
export const S47_OUTCOMES = {
  ICPC_HELD: 'An initial child protection conference was held',
  ICPC_NOT_REQUIRED: 'No initial child protection conference was needed',
} as const

type Concluding = {
  step: 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT' | 'RECORD_SECTION_47_OUTCOME'
  clock: ClockKind
  outcomes: Readonly<Record<string, string>>
  dateLabel: string
  /** What started its clock, for the message refusing a day before it. */
  startedWhen: string
  outcomeMissing: string
  notRunning: string
}

const CONCLUDING = {
  CFA: {
    step: 'COMPLETE_CHILD_AND_FAMILY_ASSESSMENT',
    clock: 'ASSESSMENT',
    outcomes: CFA_OUTCOMES,
    dateLabel: 'Date the assessment was completed',
    startedWhen: 'the date the request for support was received',
    outcomeMissing: 'Select the outcome of the assessment',
    notRunning: 'The child and family assessment is not running on this case: it is complete, or was never started.',
  },
  S47: {
    step: 'RECORD_SECTION_47_OUTCOME',
    clock: 'INITIAL_CONFERENCE',
    outcomes: S47_OUTCOMES,
    dateLabel: 'Date the enquiry concluded',
    startedWhen: 'the strategy meeting that started it',
    outcomeMissing: 'Select how the section 47 enquiry ended',
    notRunning:
      'No section 47 enquiry is running on this case: its strategy meeting did not start one, or its outcome is already recorded.',
  },
} as const satisfies Record<string, Concluding>
export type CasesService = ReturnType<typeof casesService>
