import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { ForbiddenError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import { ACTION_RULES, decide, type CaseAction, type CaseStatus } from '../cases/pathway.rules.js'

/** Why a step's page cannot be used now: the case's status, and what can be done instead. */
export type NotNow = { status: CaseStatus; action: CaseAction; allowed: readonly CaseAction[] }

/** What a step's page shows: the case, and either its data or why the step cannot be taken now. */
export type StepView<T> = { kase: CaseForAccess; notNow: NotNow | null; data: T | null }

/** The outcome of sending a step's form: done, or the form again with errors (400) or after a change by someone else (409). */
export type StepResult<T> = { ok: true } | { ok: false; status: 400 | 409; errors: FieldError[]; view: StepView<T> }

export const STALE_CASE = 'Someone else changed this case while you were working on it. Check what is shown now and send the form again.'

/**
 * One step on a case (screening, oversight, the green decision, allocation), taken through the
 * workflow: the case is loaded in one transaction with access checked and audited; a role that
 * may never take the step is refused (403, audited) whatever the status; then the step runs.
 */
export function caseSteps({ workflow, audit }: { workflow: CaseWorkflow; audit: AuditRepository }) {
  const roleMay = (user: CurrentUser, action: CaseAction) => (ACTION_RULES[action].roles as readonly string[]).some((r) => (user.roles as readonly string[]).includes(r))

  async function run<T>(user: CurrentUser, caseId: string, action: CaseAction, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T>): Promise<T> {
    const outcome = await workflow.command(user, caseId, requestId, async (trx, kase) => {
      if (!roleMay(user, action)) {
        await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `case:${action}`, recordType: 'case', recordId: kase.id, outcome: 'DENIED', requestId, detail: { reason: 'NOT_YOUR_ROLE' } })
        return { forbidden: true as const }
      }
      return { forbidden: false as const, value: await fn(trx, kase) }
    })
    if (outcome.forbidden) throw new ForbiddenError('Your role cannot take this step on the case.')
    return outcome.value
  }

  function notNow(kase: CaseForAccess, action: CaseAction, user: CurrentUser): NotNow | null {
    const d = decide(kase.status, action, user.roles, { route: kase.route })
    return d.ok || d.reason !== 'NOT_ALLOWED_NOW' ? null : { status: kase.status, action, allowed: d.allowed }
  }

  return {
    run,
    apply: workflow.apply,

    /** A step's page: its data if the step can be taken now, otherwise why not (shown, not refused, so the page can say what to do instead). */
    async view<T>(user: CurrentUser, caseId: string, action: CaseAction, requestId: string, read: (trx: Trx, kase: CaseForAccess) => Promise<T>): Promise<StepView<T>> {
      return run(user, caseId, action, requestId, async (trx, kase) => {
        const blocked = notNow(kase, action, user)
        return { kase, notNow: blocked, data: blocked ? null : await read(trx, kase) }
      })
    },

    /** Refuses a step the pathway does not allow now through the workflow (409 naming the status and the allowed actions, audited). */
    async ensureAllowedNow(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: CaseAction, requestId: string): Promise<void> {
      if (!decide(kase.status, action, user.roles, { route: kase.route }).ok) {
        await workflow.apply(trx, user, kase, action, {}, requestId)
        throw new Error('The workflow allowed a step the pathway refused')
      }
    },
  }
}
export type CaseSteps = ReturnType<typeof caseSteps>
