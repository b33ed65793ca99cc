import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import type { FeatureDeps } from '../feature-module.js'
import { interventionMeetingsService } from './intervention-meetings.service.js'
import { interventionSteps, mayTake, Refusal } from './intervention-steps.js'
import { interventionsRepository } from './interventions.repository.js'
import { readGoals, validateClosure, validateGoals, validatePanelDecision, validatePanelRequest, MAX_TEXT, type ClosureInput, type GoalInput, type PanelDecisionInput } from './interventions.rules.js'

export type { InterventionMeetingPage, MeetingType } from './intervention-meetings.service.js'

/**
 * The intervention plan (versioned), actions marked done, the HSB panel and closing a case
 * with no AIM assessment. Every read goes through the workflow (access checked, audited);
 * every change is audited and is an event in the case's history.
 */
export function interventionsService(deps: FeatureDeps) {
  const now = deps.now ?? (() => new Date())
  const repo = interventionsRepository()
  const steps = interventionSteps(deps)
  const meetings = interventionMeetingsService(deps)

  async function loadPlanPage(trx: Trx, user: CurrentUser, kase: CaseForAccess) {
    const plan = (await repo.findPlan(trx, kase.id)) ?? null
    const versions = plan ? await repo.listPlanVersions(trx, plan.id) : []
    const actions = await repo.listCaseActions(trx, kase.id)
    const canUpdate = !!plan && mayTake(user, kase, 'UPDATE_INTERVENTION_PLAN')
    return {
      kase,
      plan,
      goals: readGoals(versions[0]?.goals),
      versions: versions.map((v) => ({ ...v, goals: readGoals(v.goals) })),
      actions,
      meetings: await repo.listMeetings(trx, kase.id),
      panels: await repo.listPanels(trx, kase.id),
      closure: (await repo.findClosure(trx, kase.id)) ?? null,
      access: { canUpdate, canMarkDone: mayTake(user, kase, 'UPDATE_INTERVENTION_PLAN') },
    }
  }
  type PlanPage = Awaited<ReturnType<typeof loadPlanPage>>

  async function loadPanelPage(trx: Trx, user: CurrentUser, kase: CaseForAccess) {
    const panels = await repo.listPanels(trx, kase.id)
    const open = panels.find((p) => !p.decidedAt) ?? null
    return {
      kase,
      panels,
      open,
      assessmentComplete: await repo.hasCompletedAssessment(trx, kase.id),
      access: { canRequest: mayTake(user, kase, 'REQUEST_HSB_PANEL'), canDecide: !!open && mayTake(user, kase, 'RECORD_PANEL_DECISION') },
    }
  }
  type PanelPage = Awaited<ReturnType<typeof loadPanelPage>>

  async function loadClosurePage(trx: Trx, user: CurrentUser, kase: CaseForAccess) {
    return {
      kase,
      openWork: await meetings.openWorkOf(trx, kase.id, await repo.findPlan(trx, kase.id)),
      closure: (await repo.findClosure(trx, kase.id)) ?? null,
      access: { canClose: mayTake(user, kase, 'CLOSE_CASE') },
    }
  }
  type ClosurePage = Awaited<ReturnType<typeof loadClosurePage>>

  type Failure<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P; conflict?: boolean }

  return {
    ...meetings,

    /** The plan page: linked from every case, so a case without a plan shows that, not an error. */
    async viewPlan(user: CurrentUser, caseId: string, requestId: string): Promise<PlanPage> {
      return steps.run(user, caseId, requestId, (trx, kase) => loadPlanPage(trx, user, kase))
    },

    /** A new version of the plan; the one it replaces is kept. Stale version: 409 with the typed goals kept. */
    async updatePlan(
      user: CurrentUser,
      caseId: string,
      form: { input: { goals: GoalInput[]; changeNote: string }; version: number | null },
      requestId: string,
    ): Promise<{ ok: true } | Failure<PlanPage>> {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await steps.check(trx, user, kase, 'UPDATE_INTERVENTION_PLAN', requestId)
        if (refusal) return refusal
        const plan = await repo.findPlan(trx, kase.id)
        if (!plan) return steps.refuse(trx, user, 'UPDATE_INTERVENTION_PLAN', kase, requestId, new ConflictError('This case has no intervention plan yet.', ['The plan is agreed at the review meeting.']))
        if (form.version === null) return steps.refuse(trx, user, 'UPDATE_INTERVENTION_PLAN', kase, requestId, new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
        const page = await loadPlanPage(trx, user, kase)
        const checked = validateGoals(form.input.goals)
        const errors = checked.ok ? [] : [...checked.errors]
        if (!form.input.changeNote.trim()) errors.push({ href: '#change-note', text: 'Enter what changed and why' })
        else if (form.input.changeNote.length > MAX_TEXT) errors.push({ href: '#change-note', text: `What changed must be ${MAX_TEXT} characters or fewer` })
        if (!checked.ok || errors.length) return { ok: false as const, status: 400 as const, errors, page }
        const stale: Failure<PlanPage> = {
          ok: false,
          status: 409,
          conflict: true,
          page,
          errors: [{ href: '#conflict', text: 'Someone else changed the intervention plan after you opened it. Your changes are kept below: check the plan as it is now, then save again.' }],
        }
        if (plan.version !== form.version) return stale
        const saved = await repo.addPlanVersion(trx, { partnershipId: user.partnershipId, planId: plan.id, expectedVersion: form.version, goals: checked.value, changeNote: form.input.changeNote.trim(), createdBy: user.id, at: now() })
        if (!saved) return stale
        await deps.workflow.apply(trx, user, kase, 'UPDATE_INTERVENTION_PLAN', {}, requestId, { planVersion: form.version + 1 })
        await steps.record(trx, user, 'UPDATE_INTERVENTION_PLAN', kase, requestId, { planVersion: form.version + 1, goals: checked.value.length })
        return { ok: true as const }
      })
    },

    /** Marks an action of a finalised meeting done (the minutes stay locked). */
    async markActionDone(user: CurrentUser, caseId: string, actionId: string | null, requestId: string) {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await steps.check(trx, user, kase, 'UPDATE_INTERVENTION_PLAN', requestId)
        if (refusal) return refusal
        const action = (await repo.listCaseActions(trx, kase.id)).find((a) => a.id === actionId)
        if (!action) return steps.refuse(trx, user, 'action-done', kase, requestId, new NotFoundError())
        if (action.doneAt) return { ok: true as const }
        await repo.markActionDone(trx, { partnershipId: user.partnershipId, caseId: kase.id, actionId: action.id, doneBy: user.id })
        await deps.workflow.apply(trx, user, kase, 'UPDATE_INTERVENTION_PLAN', {}, requestId, { actionDone: action.id })
        await steps.record(trx, user, 'action-done', kase, requestId, { actionId: action.id })
        return { ok: true as const }
      })
    },

    async viewPanel(user: CurrentUser, caseId: string, requestId: string): Promise<PanelPage> {
      return steps.run(user, caseId, requestId, (trx, kase) => loadPanelPage(trx, user, kase))
    },

    /** SQR asks the head of service to convene the panel: only once the AIM assessment is complete. */
    async requestPanel(user: CurrentUser, caseId: string, form: { reason: string }, requestId: string): Promise<{ ok: true } | Failure<PanelPage>> {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await steps.check(trx, user, kase, 'REQUEST_HSB_PANEL', requestId)
        if (refusal) return refusal
        const page = await loadPanelPage(trx, user, kase)
        if (!page.assessmentComplete) {
          await steps.record(trx, user, 'REQUEST_HSB_PANEL', kase, requestId, { reason: 'NO_COMPLETED_ASSESSMENT' }, false)
          const text = 'The HSB panel can only be asked for once the AIM assessment is complete, and this case has no completed AIM assessment.'
          return { ok: false as const, status: 409 as const, errors: [{ href: '#reason', text }], page }
        }
        const checked = validatePanelRequest(form.reason)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const panelId = await repo.insertPanelRequest(trx, { partnershipId: user.partnershipId, caseId: kase.id, reason: checked.value, requestedBy: user.id })
        await deps.workflow.apply(trx, user, kase, 'REQUEST_HSB_PANEL', {}, requestId, { panelId })
        const heads = await repo.headsOfService(trx, user.partnershipId)
        for (const userId of heads) await deps.notifications.raise(trx, { partnershipId: user.partnershipId, userId, kind: 'HSB_PANEL_REQUESTED', caseId: kase.id, dedupeKey: `hsb-panel:${panelId}` })
        await steps.record(trx, user, 'REQUEST_HSB_PANEL', kase, requestId, { panelId, notified: heads.length })
        return { ok: true as const }
      })
    },

    /** The panel's decision, by the head of service or HSB lead: the case goes back to intervention. */
    async decidePanel(user: CurrentUser, caseId: string, form: PanelDecisionInput, requestId: string): Promise<{ ok: true } | Failure<PanelPage>> {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await steps.check(trx, user, kase, 'RECORD_PANEL_DECISION', requestId)
        if (refusal) return refusal
        const page = await loadPanelPage(trx, user, kase)
        if (!page.open) return steps.refuse(trx, user, 'RECORD_PANEL_DECISION', kase, requestId, new ConflictError('There is no request for the HSB panel waiting for a decision.'))
        const checked = validatePanelDecision(form, { requestedOn: londonDate(page.open.requestedAt), today: londonDate(now()) })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        if (!(await repo.recordPanelDecision(trx, page.open.id, { ...checked.value, decidedBy: user.id, decidedAt: now() }))) {
          return steps.refuse(trx, user, 'RECORD_PANEL_DECISION', kase, requestId, new ConflictError('Someone else recorded the panel’s decision first.'))
        }
        await deps.workflow.apply(trx, user, kase, 'RECORD_PANEL_DECISION', {}, requestId, { panelId: page.open.id, level: checked.value.level })
        await steps.record(trx, user, 'RECORD_PANEL_DECISION', kase, requestId, { panelId: page.open.id, level: checked.value.level })
        return { ok: true as const }
      })
    },

    async viewClosure(user: CurrentUser, caseId: string, requestId: string): Promise<ClosurePage> {
      return steps.run(user, caseId, requestId, (trx, kase) => loadClosurePage(trx, user, kase))
    },

    /** Closes a case where no AIM assessment was decided; open work needs its own reason. */
    async close(user: CurrentUser, caseId: string, form: ClosureInput, requestId: string): Promise<{ ok: true } | Failure<ClosurePage>> {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await steps.check(trx, user, kase, 'CLOSE_CASE', requestId)
        if (refusal) return refusal
        const page = await loadClosurePage(trx, user, kase)
        const checked = validateClosure(form, page.openWork)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const { reason, openWorkReason } = checked.value
        await repo.insertClosure(trx, { partnershipId: user.partnershipId, caseId: kase.id, endMeetingId: null, route: 'NO_AIM_ASSESSMENT', levelOfConcern: null, reason, openWork: page.openWork, openWorkReason: page.openWork.length ? openWorkReason : null, closedBy: user.id })
        await deps.workflow.apply(trx, user, kase, 'CLOSE_CASE', {}, requestId, { openWork: page.openWork.length })
        await steps.record(trx, user, 'CLOSE_CASE', kase, requestId, { openWork: page.openWork.length })
        return { ok: true as const }
      })
    },
  }
}
export type InterventionsService = ReturnType<typeof interventionsService>
export { Refusal }
