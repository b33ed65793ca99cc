import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseAct, CaseAction, CaseForAccess, CaseKernel, NotNow } from '../cases/index.js'

export type { NotNow } from '../cases/index.js'

/** What a step's page shows: the case, and either its data or why the step cannot be taken now. */
export type StepView<T> = { kase: CaseForAccess; notNow: NotNow | null; data: T | null }

/** The outcome of sending a step's form: done, or the form again with errors (400) or after a change by someone else (409). */
export type StepResult<T> = { ok: true } | { ok: false; status: 400 | 409; errors: FieldError[]; view: StepView<T> }

export const STALE_CASE = 'Someone else changed this case while you were working on it. Check what is shown now and send the form again.'

/** A step's page (screening, oversight, the green decision, allocation): its data if the step can be taken now, otherwise why not. */
export function stepView<T>(
  cases: CaseKernel,
  user: CurrentUser,
  caseId: string,
  action: CaseAction,
  requestId: string,
  read: (act: CaseAct) => Promise<T>,
): Promise<StepView<T>> {
  return cases.run(user, caseId, requestId, async (act) => {
    const blocked = act.stepPage(action)
    return { kase: act.kase, notNow: blocked, data: blocked ? null : await read(act) }
  })
}
