import type { Role } from '../../platform/access/roles.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { ConflictError, ForbiddenError, type HttpError } from '../../platform/http/errors.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import { ACTION_RULES, STATUS_LABELS, decide, type CaseAction, type CaseStatus } from '../cases/pathway.rules.js'
import type { FeatureDeps } from '../feature-module.js'

/** A command refused after the case was loaded: its audit row commits, then the error is shown. */
export class Refusal {
  constructor(readonly error: HttpError) {}
}

const BEFORE_INTERVENTION: readonly CaseStatus[] = ['STRATEGY_MEETING_HELD', 'AIM_STRATEGY_DISCUSSION_DUE', 'AIM_ASSESSMENT', 'REVIEW_MEETING_DUE']
const END_ACTIONS: readonly CaseAction[] = ['SCHEDULE_END_MEETING', 'FINALISE_END_MEETING']

/** A word on why a step is not possible yet, beyond the status table's list. */
export function stepHint(status: CaseStatus, action: CaseAction): string | null {
  if (END_ACTIONS.includes(action) && BEFORE_INTERVENTION.includes(status)) return 'The end meeting comes after the review meeting has agreed an intervention plan.'
  if ((action === 'SCHEDULE_REVIEW_MEETING' || action === 'FINALISE_REVIEW_MEETING') && status === 'AIM_ASSESSMENT') return 'The review meeting comes after both co-assessors have signed the AIM assessment off.'
  if (action === 'REQUEST_HSB_PANEL' && status === 'PANEL_REQUESTED') return 'The HSB panel has already been asked for: its decision is waiting.'
  return null
}

export const hasRole = (user: CurrentUser, action: CaseAction) => (ACTION_RULES[action].roles as readonly Role[]).some((r) => user.roles.includes(r))
/** Whether this person may take this step on the case now. */
export const mayTake = (user: CurrentUser, kase: CaseForAccess, action: CaseAction) => hasRole(user, action) && decide(kase.status, action, user.roles, { route: kase.route }).ok

/** The audit, refusals and running of commands the interventions feature shares. */
export function interventionSteps(deps: FeatureDeps) {
  async function record(trx: Trx, user: CurrentUser, action: string, kase: CaseForAccess, requestId: string, detail: Record<string, string | number | boolean | null> = {}, allowed = true) {
    await deps.audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `intervention:${action}`, recordType: 'case', recordId: kase.id, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail })
  }

  async function refuse(trx: Trx, user: CurrentUser, action: string, kase: CaseForAccess, requestId: string, error: HttpError) {
    await record(trx, user, action, kase, requestId, { status: error.status }, false)
    return new Refusal(error)
  }

  return {
    record,
    refuse,

    /** Runs a command on the case (access checked and audited by the workflow); a Refusal is thrown after commit. */
    async run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
      const out = await deps.workflow.command(user, caseId, requestId, fn)
      if (out instanceof Refusal) throw out.error
      return out
    },

    /**
     * Whether this person may take this step now: the role first (someone who could never take
     * it is refused whatever the status, 403), then the pathway (409 naming what can be done).
     */
    async check(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: CaseAction, requestId: string): Promise<Refusal | null> {
      const label = ACTION_RULES[action].label
      if (!hasRole(user, action)) return refuse(trx, user, action, kase, requestId, new ForbiddenError(`Your role cannot do this: “${label}”.`))
      const decision = decide(kase.status, action, user.roles, { route: kase.route })
      if (decision.ok) return null
      if (decision.reason === 'NOT_YOUR_ROLE') return refuse(trx, user, action, kase, requestId, new ForbiddenError(`Your role cannot do this: “${label}”.`))
      const hint = stepHint(kase.status, action)
      const allowed = decision.allowed.map((a) => `You can: ${ACTION_RULES[a].label}`)
      return refuse(
        trx,
        user,
        action,
        kase,
        requestId,
        new ConflictError(`This case is “${STATUS_LABELS[kase.status]}”, so “${label}” cannot be done now.`, [...(hint ? [hint] : []), ...(allowed.length ? allowed : ['Nothing more can be done on this case.'])]),
      )
    },
  }
}
export type InterventionSteps = ReturnType<typeof interventionSteps>
