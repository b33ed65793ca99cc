import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { BadRequestError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseForAccess, CasesRepository } from '../cases/cases.repository.js'
import { STALE_CASE, type CaseSteps, type StepResult, type StepView } from './case-step.js'
import type { Parsed } from './request-for-support.form.js'
import type { ReferralsRepository, ScreeningRow, TeamOption, WorkerOption } from './referrals.repository.js'
import type { AllocationCommand, GreenDecision, GreenDecisionCommand } from './routing.form.js'

type Deps = { repo: ReferralsRepository; cases: CasesRepository; steps: CaseSteps }

export type DecisionData = { screening: ScreeningRow | null }
export type AllocationData = { teams: TeamOption[]; workers: WorkerOption[]; needsInterimMeasures: boolean }

const INCOMPLETE = 'The form was incomplete. Go back, reload the page and try again.'

/** Interim safeguarding measures are asked for when the child is first allocated on a safeguarding concern. */
const needsInterimMeasures = (kase: CaseForAccess) => (kase.rating === 'AMBER' || kase.rating === 'RED') && kase.allocatedTeamId === null

/**
 * Where a confirmed screening goes: green to no further action or early help; amber and red to
 * a team and a social worker (a reallocation ends the previous one, which stays in the history).
 */
export function routingService({ repo, cases, steps }: Deps) {
  async function decisionData(trx: Trx, kase: CaseForAccess): Promise<DecisionData> {
    return { screening: (await repo.latestScreening(trx, kase.id)) ?? null }
  }

  async function allocationData(trx: Trx, kase: CaseForAccess): Promise<AllocationData> {
    const teams = await repo.listTeams(trx, kase.partnershipId)
    const workers = await repo.listSocialWorkers(trx, kase.partnershipId)
    return { teams, workers, needsInterimMeasures: needsInterimMeasures(kase) }
  }

  return {
    async viewDecision(user: CurrentUser, caseId: string, requestId: string): Promise<StepView<DecisionData>> {
      return steps.view(user, caseId, 'CLOSE_NO_FURTHER_ACTION', requestId, decisionData)
    },

    async recordDecision(
      user: CurrentUser,
      caseId: string,
      parsed: Parsed<GreenDecisionCommand> & { decision: GreenDecision | null },
      requestId: string,
    ): Promise<StepResult<DecisionData>> {
      const action = parsed.decision === 'EARLY_HELP' ? 'REQUEST_EARLY_HELP' : 'CLOSE_NO_FURTHER_ACTION'
      return steps.run(user, caseId, action, requestId, async (trx, kase) => {
        await steps.ensureAllowedNow(trx, user, kase, action, requestId)
        if (!parsed.ok && parsed.incomplete) throw new BadRequestError(INCOMPLETE)
        const view = async () => ({ kase, notNow: null, data: await decisionData(trx, kase) })
        if (parsed.ok && parsed.value.version !== kase.version) return { ok: false, status: 409, errors: [{ href: '#decision', text: STALE_CASE }], view: await view() }
        if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, view: await view() }
        const c = parsed.value
        const detail =
          c.decision === 'NO_FURTHER_ACTION'
            ? { decision: c.decision, reason: c.reason }
            : { decision: c.decision, professionals: c.professionals, earlyHelpAssessmentRequested: c.earlyHelpAssessmentRequested }
        await steps.apply(trx, user, kase, action, {}, requestId, detail)
        return { ok: true }
      })
    },

    async viewAllocation(user: CurrentUser, caseId: string, requestId: string): Promise<StepView<AllocationData>> {
      return steps.view(user, caseId, 'ALLOCATE', requestId, allocationData)
    },

    async allocate(user: CurrentUser, caseId: string, parsed: Parsed<AllocationCommand>, requestId: string): Promise<StepResult<AllocationData>> {
      return steps.run(user, caseId, 'ALLOCATE', requestId, async (trx, kase) => {
        await steps.ensureAllowedNow(trx, user, kase, 'ALLOCATE', requestId)
        if (!parsed.ok && parsed.incomplete) throw new BadRequestError(INCOMPLETE)
        const data = await allocationData(trx, kase)
        const view = { kase, notNow: null, data }
        if (parsed.ok && parsed.value.version !== kase.version) return { ok: false, status: 409, errors: [{ href: '#team', text: STALE_CASE }], view }
        const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors]
        const c = parsed.ok ? parsed.value : null
        const team = c && data.teams.find((t) => t.id === c.teamId)
        if (c && !team) errors.push({ href: '#team', text: 'Select a team from the list' })
        if (c && team && !data.workers.some((w) => w.id === c.userId && w.teamId === team.id)) {
          errors.push({ href: '#worker', text: `Select a social worker who is in ${team.name}` })
        }
        if (data.needsInterimMeasures && !c?.interimMeasures) {
          errors.push({ href: '#interim-measures', text: 'Enter the interim safeguarding measures put in place' })
        }
        if (errors.length || !c || !team) return { ok: false, status: 400, errors, view }
        const reallocation = kase.allocatedTeamId !== null
        await steps.apply(trx, user, kase, 'ALLOCATE', { allocatedTeamId: team.id, allocatedUserId: c.userId }, requestId, {
          teamId: team.id,
          userId: c.userId,
          reallocation,
          ...(c.interimMeasures ? { interimMeasures: c.interimMeasures } : {}),
        })
        await cases.allocate(trx, { partnershipId: kase.partnershipId, childId: kase.childId, agencyId: team.agencyId, teamId: team.id, userId: c.userId })
        return { ok: true }
      })
    },
  }
}
export type RoutingService = ReturnType<typeof routingService>
