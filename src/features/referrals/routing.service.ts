import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { fieldError, type FieldError } from '../../platform/forms/forms.js'
import { directory, type TeamOption } from '../../platform/organisation/directory.js'
import type { CaseAct, CaseForAccess, CaseKernel } from '../cases/index.js'
import { beginStep, formAgain, staleCase, stepPage, type StepResult } from './case-step.js'
import type { Parsed } from './request-for-support.form.js'
import type { ReferralsRepository, ScreeningRow, WorkerOption } from './referrals.repository.js'
import type { AllocationCommand, GreenDecision, GreenDecisionCommand, WithWhen } from './routing.form.js'

/** `frontDoorAccessDays`: how long the front door keeps access to the child after closing a request itself. */
type Deps = { repo: ReferralsRepository; cases: CaseKernel; frontDoorAccessDays: number; tellReferrer: (act: CaseAct) => Promise<void> }

const DAY_MS = 24 * 60 * 60 * 1000

export type DecisionData = { screening: ScreeningRow | null }
export type AllocationData = { teams: TeamOption[]; workers: WorkerOption[]; needsInterimMeasures: boolean }

/** Interim safeguarding measures are asked for when the child is first allocated on a safeguarding concern. */
const needsInterimMeasures = (kase: CaseForAccess) => (kase.rating === 'AMBER' || kase.rating === 'RED') && kase.allocatedTeamId === null

/**
 * Where a confirmed screening goes: green to no further action or early help; amber and red to
 * a team and a social worker (a reallocation ends the previous one, which stays in the history).
 * Allocation ends the screeners' (the front door's) involvement with the child, kept with its end;
 * closing the request at the front door (no further action, early help) ends it after the days the
 * partnership sets (FRONT_DOOR_ACCESS_DAYS_AFTER_CLOSURE), so a new concern soon after is screened
 * with what the front door knew, and then their access ends on its own.
 */
export function routingService({ repo, cases, frontDoorAccessDays, tellReferrer }: Deps) {
  const organisation = directory()

  async function decisionData(trx: Trx, kase: CaseForAccess): Promise<DecisionData> {
    return { screening: (await repo.latestScreening(trx, kase.id)) ?? null }
  }

  async function allocationData(trx: Trx, kase: CaseForAccess): Promise<AllocationData> {
    const teams = await organisation.teams(trx, kase.partnershipId)
    const workers = await repo.listSocialWorkers(trx, kase.partnershipId)
    return { teams, workers, needsInterimMeasures: needsInterimMeasures(kase) }
  }

  return {
    viewDecision: stepPage(cases, 'CLOSE_NO_FURTHER_ACTION', decisionData),

    async recordDecision(
      user: CurrentUser,
      caseId: string,
      parsed: Parsed<GreenDecisionCommand> & { decision: GreenDecision | null } & WithWhen,
      requestId: string,
    ): Promise<StepResult<DecisionData>> {
      const action = parsed.decision === 'EARLY_HELP' ? 'REQUEST_EARLY_HELP' : 'CLOSE_NO_FURTHER_ACTION'
      return cases.run(user, caseId, requestId, async (act) => {
        const { trx, kase } = act
        beginStep(act, action, parsed)
        const view = async () => ({ kase, notNow: null, data: await decisionData(trx, kase) })
        if (parsed.ok && parsed.value.version !== kase.version) return staleCase(await view(), '#decision')
        const when = await act.when(parsed.when)
        if (!parsed.ok || !when.ok) return formAgain(await view(), [...(parsed.ok ? [] : parsed.errors), ...(when.ok ? [] : when.errors)])
        const c = parsed.value
        const detail =
          c.decision === 'NO_FURTHER_ACTION'
            ? { decision: c.decision, reason: c.reason }
            : { decision: c.decision, professionals: c.professionals, earlyHelpAssessmentRequested: c.earlyHelpAssessmentRequested }
        await act.apply(action, { when: when.value }, detail)
        const accessEnds = new Date(Date.now() + frontDoorAccessDays * DAY_MS)
        await act.endInvolvements(await repo.screeningInvolvementsToEnd(trx, kase.id), accessEnds)
        await tellReferrer(act)
        return { ok: true }
      })
    },

    viewAllocation: stepPage(cases, 'ALLOCATE', allocationData),

    async allocate(
      user: CurrentUser,
      caseId: string,
      parsed: Parsed<AllocationCommand> & WithWhen,
      requestId: string,
    ): Promise<StepResult<AllocationData>> {
      return cases.run(user, caseId, requestId, async (act) => {
        const { trx, kase } = act
        beginStep(act, 'ALLOCATE', parsed)
        const data = await allocationData(trx, kase)
        const view = { kase, notNow: null, data }
        if (parsed.ok && parsed.value.version !== kase.version) return staleCase(view, '#team')
        const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors]
        const c = parsed.ok ? parsed.value : null
        const team = c && data.teams.find((t) => t.id === c.teamId)
        if (c && !team) errors.push(fieldError('team', 'Select a team from the list'))
        if (c && team && !data.workers.some((w) => w.id === c.userId && w.teamId === team.id)) {
          errors.push(fieldError('worker', `Select a social worker who is in ${team.name}`))
        }
        if (data.needsInterimMeasures && !c?.interimMeasures) {
          errors.push(fieldError('interim-measures', 'Enter the interim safeguarding measures put in place'))
        }
        const when = await act.when(parsed.when)
        if (!when.ok) errors.push(...when.errors)
        if (errors.length || !c || !team || !when.ok) return formAgain(view, errors)
        const reallocation = kase.allocatedTeamId !== null
        await act.apply(
          'ALLOCATE',
          { allocatedTeamId: team.id, allocatedUserId: c.userId, when: when.value },
          { teamId: team.id, userId: c.userId, reallocation, ...(c.interimMeasures ? { interimMeasures: c.interimMeasures } : {}) },
        )
        await act.allocate({ agencyId: team.agencyId, teamId: team.id, userId: c.userId })
        // Who screened (the front door) was involved until now; a new request for support involves them again.
        await act.endInvolvements(await repo.screeningInvolvementsToEnd(trx, kase.id), new Date())
        return { ok: true }
      })
    },
  }
}
export type RoutingService = ReturnType<typeof routingService>
