import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError } from '../../platform/http/errors.js'
import type { CaseAct, CaseAction, CaseForAccess, CaseKernel, NotNow } from '../cases/index.js'

export type { NotNow } from '../cases/index.js'

/** What a step's page shows: the case, and either its data or why the step cannot be taken now. */
export type StepView<T> = { kase: CaseForAccess; notNow: NotNow | null; data: T | null }

/** The outcome of sending a step's form: done, or the form again with errors (400) or after a change by someone else (409). */
export type StepResult<T> = { ok: true } | { ok: false; status: 400 | 409; errors: FieldError[]; view: StepView<T> }

const STALE_CASE = 'Someone else changed this case while you were working on it. Check what is shown now and send the form again.'

/** The step's form again, with what is wrong (400). */
export const formAgain = <T>(view: StepView<T>, errors: FieldError[]): StepResult<T> => ({ ok: false, status: 400, errors, view })

/** The step's form again after someone else changed the case (409), the message linked to `href`. */
export const staleCase = <T>(view: StepView<T>, href: string): StepResult<T> => ({
  ok: false,
  status: 409,
  errors: [{ href, text: STALE_CASE }],
  view,
})

/** Before anything else: refuses a step the person may not take now, then a form that could not be read at all (400). */
export function beginStep(act: CaseAct, action: CaseAction, parsed: { ok: true } | { ok: false; incomplete: boolean }): void {
  act.step(action)
  if (!parsed.ok && parsed.incomplete) throw new BadRequestError(INCOMPLETE_FORM)
}

/**
 * A step's page (screening, oversight, the green decision, allocation): its data, read by `read`,
 * if the step can be taken now, otherwise why not.
 */
export function stepPage<T>(cases: CaseKernel, action: CaseAction, read: (trx: Trx, kase: CaseForAccess) => Promise<T>) {
  return (user: CurrentUser, caseId: string, requestId: string): Promise<StepView<T>> =>
    cases.run(user, caseId, requestId, async (act) => {
      const blocked = act.stepPage(action)
      return { kase: act.kase, notNow: blocked, data: blocked ? null : await read(act.trx, act.kase) }
    })
}
