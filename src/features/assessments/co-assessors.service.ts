import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { ConflictError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import type { CaseAction } from '../cases/pathway.rules.js'
import type { FeatureDeps } from '../feature-module.js'
import type { AssessmentRow, AssessmentsRepository, CoAssessorRow, PersonOption } from './assessments.repository.js'
import { Refusal } from './refusal.js'
import { ASSESSOR_ROLES, checkCoAssessors, checkReplacement, defaultModel, isModel, type CoAssessorsInput, type Model, type ReplaceInput } from './assessments.rules.js'


type Context = {
  deps: FeatureDeps
  repo: AssessmentsRepository
  run: <T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>) => Promise<T>
  guard: (trx: Trx, user: CurrentUser, kase: CaseForAccess, action: CaseAction, requestId: string) => Promise<Refusal | null>
  refuse: (trx: Trx, user: CurrentUser, action: string, kase: CaseForAccess, recordId: string | null, requestId: string, error: HttpError) => Promise<Refusal>
  record: (trx: Trx, user: CurrentUser, action: string, recordId: string | null, requestId: string, detail: Record<string, string | number | boolean | null>) => Promise<void>
  now: () => Date
}

export type CoAssessorsPage = {
  kase: CaseForAccess
  assessment: AssessmentRow
  candidates: PersonOption[]
  current: CoAssessorRow[]
  model: Model
  defaultModel: Model
  today: string
}

export type CoAssessorsFailure = { ok: false; status: 400; errors: FieldError[]; page: CoAssessorsPage }

/**
 * Naming the two co-assessors (each with current training for the model), and replacing one
 * (who has not signed off) with another. Each co-assessor gets their own involvement with the
 * child for the assessment's duration, and a notification.
 */
export function coAssessorCommands({ deps, repo, run, guard, refuse, record, now }: Context) {
  const { workflow, notifications } = deps

  async function load(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string): Promise<CoAssessorsPage | Refusal> {
    const refusal = await guard(trx, user, kase, 'NAME_CO_ASSESSORS', requestId)
    if (refusal) return refusal
    const assessment = await repo.findByCase(trx, kase.id)
    if (!assessment || assessment.completedAt) return refuse(trx, user, 'co-assessors', kase, null, requestId, new ConflictError('There is no AIM assessment under way on this case.'))
    const today = londonDate(now())
    const byAge = defaultModel(kase.childDateOfBirth.toISOString().slice(0, 10), today)
    const current = (await repo.listCoAssessors(trx, assessment.id)).filter((c) => !c.endedAt)
    return { kase, assessment, candidates: await repo.listPeople(trx, user.partnershipId, ASSESSOR_ROLES), current, model: assessment.model ?? byAge, defaultModel: byAge, today }
  }

  async function appoint(trx: Trx, user: CurrentUser, kase: CaseForAccess, page: CoAssessorsPage, person: PersonOption, model: Model, at: Date): Promise<string> {
    const involvementId = await repo.insertInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, agencyId: person.agencyId, userId: person.id })
    const id = await repo.insertCoAssessor(trx, { partnershipId: user.partnershipId, assessmentId: page.assessment.id, userId: person.id, model, involvementId, namedBy: user.id, namedAt: at })
    await notifications.raise(trx, { partnershipId: user.partnershipId, userId: person.id, kind: 'CO_ASSESSOR_ALLOCATED', caseId: kase.id, dedupeKey: `co-assessor:${id}` })
    return id
  }

  return {
    async coAssessorsForm(user: CurrentUser, caseId: string, requestId: string): Promise<CoAssessorsPage> {
      return run(user, caseId, requestId, (trx, kase) => load(trx, user, kase, requestId))
    },

    /** Exactly two, each trained; a third is refused (replace one instead). */
    async nameCoAssessors(user: CurrentUser, caseId: string, input: CoAssessorsInput, requestId: string): Promise<{ ok: true } | CoAssessorsFailure> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const page = await load(trx, user, kase, requestId)
        if (!('kase' in page)) return page
        const checked = checkCoAssessors(input, { candidates: page.candidates, today: page.today, alreadyNamed: page.current.length })
        if (!checked.ok) {
          await record(trx, user, 'name-co-assessors-refused', page.assessment.id, requestId, { caseId: kase.id, errors: checked.errors.length })
          return { ok: false as const, status: 400 as const, errors: checked.errors, page: { ...page, model: isModel(input.model) ? input.model : page.model } }
        }
        const { userIds, model } = checked.value
        const at = now()
        await repo.setModel(trx, page.assessment.id, model)
        const ids: string[] = []
        for (const userId of userIds) ids.push(await appoint(trx, user, kase, page, page.candidates.find((c) => c.id === userId)!, model, at))
        await workflow.apply(trx, user, kase, 'NAME_CO_ASSESSORS', {}, requestId, { assessmentId: page.assessment.id, model, coAssessorUserIds: userIds })
        await record(trx, user, 'name-co-assessors', page.assessment.id, requestId, { caseId: kase.id, model })
        return { ok: true as const }
      })
    },

    /** One co-assessor leaves: their access for the assessment ends and another trained person takes their place. */
    async replaceCoAssessor(user: CurrentUser, caseId: string, input: ReplaceInput, requestId: string): Promise<{ ok: true } | CoAssessorsFailure> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const page = await load(trx, user, kase, requestId)
        if (!('kase' in page)) return page
        if (page.current.length < 2) return refuse(trx, user, 'replace-co-assessor', kase, page.assessment.id, requestId, new ConflictError('Name two co-assessors first.'))
        const named = page.current.map((c) => ({ id: c.id, userId: c.userId, displayName: c.displayName, signedOffAt: c.signedOffAt }))
        const checked = checkReplacement(input, { named, candidates: page.candidates, model: page.model, today: page.today })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        const at = now()
        const old = page.current.find((c) => c.id === checked.value.coAssessorId)!
        const newId = await appoint(trx, user, kase, page, page.candidates.find((c) => c.id === checked.value.userId)!, page.model, at)
        await repo.endCoAssessor(trx, old.id, { at, replacedBy: newId, reason: checked.value.reason })
        await repo.endInvolvements(trx, [old.involvementId], at)
        await workflow.apply(trx, user, kase, 'NAME_CO_ASSESSORS', {}, requestId, { assessmentId: page.assessment.id, model: page.model, replacedUserId: old.userId, coAssessorUserIds: [checked.value.userId] })
        await record(trx, user, 'replace-co-assessor', page.assessment.id, requestId, { caseId: kase.id })
        return { ok: true as const }
      })
    },
  }
}
