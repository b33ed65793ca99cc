import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { ConflictError } from '../../platform/http/errors.js'
import { rolesFor, type CaseAct, type CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, type PageFailure } from '../../platform/http/case-pages.js'
import { assessmentSubject, refuseOn, stepOn } from './assessment-act.js'
import type { AssessmentRow, AssessmentsRepository, CoAssessorRow, PersonOption } from './assessments.repository.js'
import {
  checkCoAssessors,
  checkReplacement,
  defaultModel,
  isModel,
  type CoAssessorsInput,
  type Model,
  type ReplaceInput,
} from './assessments.rules.js'

type Context = Pick<FeatureDeps, 'cases' | 'notifications'> & { repo: AssessmentsRepository; now: () => Date }

export type CoAssessorsPage = {
  kase: CaseForAccess
  assessment: AssessmentRow
  candidates: PersonOption[]
  current: CoAssessorRow[]
  model: Model
  defaultModel: Model
  today: string
}

export type CoAssessorsFailure = PageFailure<CoAssessorsPage>

/**
 * Naming the two co-assessors (each with current training for the model), and replacing one
 * (who has not signed off) with another. Each co-assessor gets their own involvement with the
 * child for the assessment's duration, and a notification.
 */
export function coAssessorCommands({ cases, notifications, repo, now }: Context) {
  async function load(act: CaseAct): Promise<CoAssessorsPage> {
    stepOn(act, 'NAME_CO_ASSESSORS')
    const { trx, user, kase } = act
    const assessment = await repo.findByCase(trx, kase.id)
    if (!assessment || assessment.completedAt)
      return refuseOn(act, 'co-assessors', new ConflictError('There is no AIM assessment under way on this case.'))
    const today = londonDate(now())
    const byAge = defaultModel(kase.childDateOfBirth.toISOString().slice(0, 10), today)
    const current = (await repo.listCoAssessors(trx, assessment.id)).filter((c) => !c.endedAt)
    return {
      kase,
      assessment,
      candidates: await repo.listPeople(trx, user.partnershipId, rolesFor('RECORD_ASSESSMENT_WORK')),
      current,
      model: assessment.model ?? byAge,
      defaultModel: byAge,
      today,
    }
  }

  /** A co-assessor named: their own involvement with the child (ended with the assessment), and a notification. */
  async function appoint(act: CaseAct, page: CoAssessorsPage, person: PersonOption, model: Model, at: Date): Promise<string> {
    const { trx, user } = act
    const involvementId = await act.startInvolvement({ agencyId: person.agencyId, userId: person.id })
    const id = await repo.insertCoAssessor(trx, {
      partnershipId: user.partnershipId,
      assessmentId: page.assessment.id,
      userId: person.id,
      model,
      involvementId,
      namedBy: user.id,
      namedAt: at,
    })
    await notifications.raise(trx, {
      partnershipId: user.partnershipId,
      userId: person.id,
      kind: 'CO_ASSESSOR_ALLOCATED',
      caseId: act.kase.id,
      dedupeKey: `co-assessor:${id}`,
    })
    return id
  }

  return {
    async coAssessorsForm(user: CurrentUser, caseId: string, requestId: string): Promise<CoAssessorsPage> {
      return cases.run(user, caseId, requestId, load)
    },

    /** Exactly two, each trained; a third is refused (replace one instead). */
    async nameCoAssessors(
      user: CurrentUser,
      caseId: string,
      input: CoAssessorsInput,
      requestId: string,
    ): Promise<{ ok: true } | CoAssessorsFailure> {
      return cases.run(user, caseId, requestId, async (act): Promise<{ ok: true } | CoAssessorsFailure> => {
        const page = await load(act)
        const checked = checkCoAssessors(input, { candidates: page.candidates, today: page.today, alreadyNamed: page.current.length })
        if (!checked.ok) {
          await act.record(assessmentSubject(act, 'name-co-assessors-refused', page.assessment.id, { errors: checked.errors.length }))
          return invalid(checked.errors, { ...page, model: isModel(input.model) ? input.model : page.model })
        }
        const { userIds, model } = checked.value
        const at = now()
        await repo.setModel(act.trx, page.assessment.id, model)
        for (const userId of userIds)
          await appoint(
            act,
            page,
            page.candidates.find((c) => c.id === userId)!,
            model,
            at,
          )
        await act.apply('NAME_CO_ASSESSORS', {}, { assessmentId: page.assessment.id, model, coAssessorUserIds: userIds })
        await act.record(assessmentSubject(act, 'name-co-assessors', page.assessment.id, { model }))
        return { ok: true }
      })
    },

    /** One co-assessor leaves: their access for the assessment ends and another trained person takes their place. */
    async replaceCoAssessor(
      user: CurrentUser,
      caseId: string,
      input: ReplaceInput,
      requestId: string,
    ): Promise<{ ok: true } | CoAssessorsFailure> {
      return cases.run(user, caseId, requestId, async (act): Promise<{ ok: true } | CoAssessorsFailure> => {
        const page = await load(act)
        if (page.current.length < 2)
          return refuseOn(act, 'replace-co-assessor', new ConflictError('Name two co-assessors first.'), page.assessment.id)
        const named = page.current.map((c) => ({ id: c.id, userId: c.userId, displayName: c.displayName, signedOffAt: c.signedOffAt }))
        const checked = checkReplacement(input, { named, candidates: page.candidates, model: page.model, today: page.today })
        if (!checked.ok) return invalid(checked.errors, page)
        const at = now()
        const old = page.current.find((c) => c.id === checked.value.coAssessorId)!
        const newId = await appoint(
          act,
          page,
          page.candidates.find((c) => c.id === checked.value.userId)!,
          page.model,
          at,
        )
        await repo.endCoAssessor(act.trx, old.id, { at, replacedBy: newId, reason: checked.value.reason })
        await act.endInvolvements([old.involvementId], at)
        await act.apply(
          'NAME_CO_ASSESSORS',
          {},
          { assessmentId: page.assessment.id, model: page.model, replacedUserId: old.userId, coAssessorUserIds: [checked.value.userId] },
        )
        await act.record(assessmentSubject(act, 'replace-co-assessor', page.assessment.id))
        return { ok: true }
      })
    },
  }
}
