import type { CurrentUser } from '../../platform/auth/current-user.js'
import { endOfLondonDay, londonDate } from '../../platform/clocks/london-time.js'
import { INCOMPLETE_FORM, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { CaseAct, CaseAction, CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { assessmentSubject, refuseOn, stepOn } from './assessment-act.js'
import { loadWorkspace, type WorkspacePage } from './assessment-page.js'
import { assessmentsRepository, type AgencyOption, type AssessmentRow, type PersonOption } from './assessments.repository.js'
import {
  checkDecision,
  checkDiscussion,
  checkExtension,
  checkInformation,
  checkInterview,
  checkRecord,
  decideSignOff,
  type DecisionInput,
  type DiscussionInput,
  type ExtensionInput,
  type InformationInput,
  type InterviewInput,
  type RecordInput,
} from './assessments.rules.js'
import { coAssessorCommands } from './co-assessors.service.js'

export type { WorkspacePage } from './assessment-page.js'

export type Failure<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P; conflict?: boolean }
export type Outcome<P> = { ok: true } | Failure<P>
export type DecisionOptions = { kase: CaseForAccess; agencies: AgencyOption[]; police: PersonOption[] }
export type DiscussionOptions = { kase: CaseForAccess; assessment: AssessmentRow; agencies: AgencyOption[] }

/** The steps a named co-assessor (or, to extend, a manager) takes on the assessment under way. */
type WorkStep = Extract<CaseAction, 'RECORD_ASSESSMENT_WORK' | 'EXTEND_AIM_ASSESSMENT'>

/**
 * The AIM assessment: the decision to assess (or not) and its route, the AIM strategy discussion
 * on the criminal route, co-assessors (co-assessors.service.ts), information, interviews, the
 * record with its versioned drafts, court extensions and sign-off by both co-assessors. Every
 * step is a case step through the case kernel, and every read and refusal is audited.
 */
export function assessmentsService(deps: Pick<FeatureDeps, 'cases' | 'notifications' | 'now'>) {
  const { cases, notifications } = deps
  const now = deps.now ?? (() => new Date())
  const repo = assessmentsRepository()

  /** The assessment under way, for a named co-assessor's work on it (or a manager's extension). */
  async function forWork(act: CaseAct, step: WorkStep): Promise<{ assessment: AssessmentRow; page: WorkspacePage }> {
    stepOn(act, step)
    const page = await loadWorkspace(act, repo, now())
    if (!page.assessment || page.assessment.completedAt)
      return refuseOn(act, step, new ConflictError('There is no AIM assessment under way on this case.'))
    const mayWork = step === 'EXTEND_AIM_ASSESSMENT' ? page.access.canExtend : page.access.canRecord
    if (!mayWork)
      return refuseOn(act, step, new ForbiddenError('Only the named co-assessors can work on this assessment.'), page.assessment.id)
    return { assessment: page.assessment, page }
  }

  /** A form without the hidden field its page put there (a stale or altered page). */
  const incomplete = (act: CaseAct, what: string): never => refuseOn(act, what, new BadRequestError(INCOMPLETE_FORM))

  const decisionOptions = async (act: CaseAct): Promise<DecisionOptions> => ({
    kase: act.kase,
    agencies: await repo.listAgencies(act.trx, act.user.partnershipId),
    police: await repo.listPeople(act.trx, act.user.partnershipId, ['POLICE_OFFICER']),
  })

  /** The decision to assess, for the AIM strategy discussion that follows it on the criminal route. */
  async function discussionOptions(act: CaseAct): Promise<DiscussionOptions> {
    stepOn(act, 'HOLD_AIM_STRATEGY_DISCUSSION')
    const assessment = await repo.findByCase(act.trx, act.kase.id)
    if (!assessment) return refuseOn(act, 'discussion', new ConflictError('There is no decision to assess on this case.'))
    return { kase: act.kase, assessment, agencies: await repo.listAgencies(act.trx, act.user.partnershipId) }
  }

  const decidedOn = (a: AssessmentRow) => londonDate(a.decidedAt)
  /** The lead and administering agencies work with the child from now on. */
  async function involveAgencies(act: CaseAct, agencyIds: readonly (string | null | undefined)[]) {
    for (const agencyId of new Set(agencyIds.filter((x): x is string => !!x))) await act.involve({ agencyId })
  }

  return {
    ...coAssessorCommands({ cases, notifications, repo, now }),

    /** The workspace: a sensible page whatever the case's status, for anyone who can read the child. */
    async workspace(user: CurrentUser, caseId: string, requestId: string): Promise<WorkspacePage> {
      return cases.run(user, caseId, requestId, async (act) => {
        const page = await loadWorkspace(act, repo, now())
        await act.record(assessmentSubject(act, 'read', page.assessment?.id ?? null))
        return page
      })
    },

    /** The printable record: only once there is an assessment. */
    async report(user: CurrentUser, caseId: string, requestId: string): Promise<WorkspacePage> {
      return cases.run(user, caseId, requestId, async (act) => {
        const page = await loadWorkspace(act, repo, now())
        if (!page.assessment || page.assessment.decision !== 'ASSESS') return refuseOn(act, 'read-report', new NotFoundError())
        await act.record(assessmentSubject(act, 'read-report', page.assessment.id))
        return page
      })
    },

    async decisionForm(user: CurrentUser, caseId: string, requestId: string): Promise<DecisionOptions> {
      return cases.run(user, caseId, requestId, async (act) => {
        stepOn(act, 'DECIDE_AIM_ASSESSMENT')
        return decisionOptions(act)
      })
    },

    /** Assess (welfare or criminal) or not, with reasons; the SQR service (HSB leads) is told either way. */
    async decide(user: CurrentUser, caseId: string, input: DecisionInput, requestId: string) {
      return cases.run(user, caseId, requestId, async (act) => {
        stepOn(act, 'DECIDE_AIM_ASSESSMENT')
        const { trx, kase } = act
        const options = await decisionOptions(act)
        const checked = checkDecision(input, { agencyIds: options.agencies.map((a) => a.id), policeIds: options.police.map((p) => p.id) })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: options }
        const d = checked.value
        const at = now()
        const welfare = d.decision === 'ASSESS' && d.route === 'WELFARE' ? d : null
        const criminal = d.decision === 'ASSESS' && d.route === 'CRIMINAL' ? d : null
        const assessmentId = await repo.insertAssessment(trx, {
          partnershipId: user.partnershipId,
          caseId: kase.id,
          childId: kase.childId,
          decision: d.decision,
          decisionReasons: d.reasons,
          route: d.decision === 'ASSESS' ? d.route : null,
          decidedBy: user.id,
          decidedAt: at,
          policeContactId: criminal?.policeContactId ?? null,
          leadAgencyId: welfare?.leadAgencyId ?? null,
          administeringAgencyId: welfare?.administeringAgencyId ?? null,
          startedAt: welfare ? at : null,
        })
        const route = d.decision === 'ASSESS' ? d.route : null
        await act.apply(route ? 'DECIDE_AIM_ASSESSMENT' : 'DECIDE_NO_AIM_ASSESSMENT', route ? { assessmentRoute: route } : {}, {
          assessmentId,
          route,
          leadAgencyId: welfare?.leadAgencyId ?? null,
          administeringAgencyId: welfare?.administeringAgencyId ?? null,
        })
        // The police officer asked to arrange the discussion works with the child from now on too.
        await involveAgencies(act, [welfare?.leadAgencyId, welfare?.administeringAgencyId])
        const police = criminal?.policeContactId ? options.police.find((p) => p.id === criminal.policeContactId) : undefined
        if (police) await act.involve({ agencyId: police.agencyId, userId: police.id })
        await notifications.raiseToEach(trx, await repo.hsbLeads(trx, user.partnershipId), {
          partnershipId: user.partnershipId,
          kind: 'ASSESSMENT_DECISION',
          caseId: kase.id,
          dedupeKey: `assessment-decision:${kase.id}:${d.decision}`,
        })
        await act.record(assessmentSubject(act, 'decide', assessmentId, { decision: d.decision, route }))
        return { ok: true as const, decision: d.decision, route }
      })
    },

    async discussionForm(user: CurrentUser, caseId: string, requestId: string): Promise<DiscussionOptions> {
      return cases.run(user, caseId, requestId, discussionOptions)
    },

    /** Criminal route: the AIM strategy discussion names the lead agency (usually YOS) and who administers; the clocks start. */
    async holdDiscussion(user: CurrentUser, caseId: string, input: DiscussionInput, requestId: string) {
      return cases.run(user, caseId, requestId, async (act) => {
        const page = await discussionOptions(act)
        const { assessment, agencies } = page
        const checked = checkDiscussion(input, {
          agencyIds: agencies.map((a) => a.id),
          decidedOn: decidedOn(assessment),
          today: londonDate(now()),
        })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        await repo.recordDiscussion(act.trx, assessment.id, checked.value, user.id, now())
        await act.apply(
          'HOLD_AIM_STRATEGY_DISCUSSION',
          {},
          {
            assessmentId: assessment.id,
            leadAgencyId: checked.value.leadAgencyId,
            administeringAgencyId: checked.value.administeringAgencyId,
            agencyIds: checked.value.agencyIds,
          },
        )
        await involveAgencies(act, [checked.value.leadAgencyId, checked.value.administeringAgencyId])
        await act.record(assessmentSubject(act, 'discussion', assessment.id))
        return { ok: true as const }
      })
    },

    async addInformation(
      user: CurrentUser,
      caseId: string,
      form: { input: InformationInput; key: string | null },
      requestId: string,
    ): Promise<Outcome<WorkspacePage>> {
      return cases.run(user, caseId, requestId, async (act): Promise<Outcome<WorkspacePage>> => {
        const work = await forWork(act, 'RECORD_ASSESSMENT_WORK')
        if (!form.key) return incomplete(act, 'information')
        const checked = checkInformation(form.input, { agencyIds: work.page.agencies.map((a) => a.id), today: work.page.today })
        if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, page: work.page }
        const id = await repo.insertInformation(act.trx, {
          ...checked.value,
          partnershipId: user.partnershipId,
          assessmentId: work.assessment.id,
          recordedBy: user.id,
          idempotencyKey: form.key,
        })
        if (!id) return { ok: true }
        await act.apply(
          'RECORD_ASSESSMENT_WORK',
          {},
          { assessmentId: work.assessment.id, work: 'INFORMATION', informationId: id, sourceAgencyId: checked.value.sourceAgencyId },
        )
        await act.record(assessmentSubject(act, 'information', work.assessment.id))
        return { ok: true }
      })
    },

    async addInterview(
      user: CurrentUser,
      caseId: string,
      form: { input: InterviewInput; key: string | null },
      requestId: string,
    ): Promise<Outcome<WorkspacePage>> {
      return cases.run(user, caseId, requestId, async (act): Promise<Outcome<WorkspacePage>> => {
        const work = await forWork(act, 'RECORD_ASSESSMENT_WORK')
        if (!form.key) return incomplete(act, 'interview')
        const checked = checkInterview(form.input, { decidedOn: decidedOn(work.assessment), today: work.page.today })
        if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, page: work.page }
        const id = await repo.insertInterview(act.trx, {
          ...checked.value,
          partnershipId: user.partnershipId,
          assessmentId: work.assessment.id,
          recordedBy: user.id,
          idempotencyKey: form.key,
        })
        if (!id) return { ok: true }
        await act.apply(
          'RECORD_ASSESSMENT_WORK',
          {},
          {
            assessmentId: work.assessment.id,
            work: 'INTERVIEW',
            interviewId: id,
            interviewee: checked.value.interviewee,
            heldOn: checked.value.heldOn,
          },
        )
        await act.record(assessmentSubject(act, 'interview', work.assessment.id))
        return { ok: true }
      })
    },

    /** A draft of the record, saved only over the version the person read: otherwise 409 with their text kept. */
    async saveRecord(
      user: CurrentUser,
      caseId: string,
      form: { input: RecordInput; version: number | null },
      requestId: string,
    ): Promise<Outcome<WorkspacePage>> {
      return cases.run(user, caseId, requestId, async (act): Promise<Outcome<WorkspacePage>> => {
        const work = await forWork(act, 'RECORD_ASSESSMENT_WORK')
        if (form.version === null) return incomplete(act, 'record')
        const checked = checkRecord(form.input)
        if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, page: work.page }
        const stale: Failure<WorkspacePage> = {
          ok: false,
          status: 409,
          conflict: true,
          page: work.page,
          errors: [
            {
              href: '#conflict',
              text: 'Someone else saved the record after you opened it. Your text is kept below: check what is saved now, then save again.',
            },
          ],
        }
        if (work.assessment.recordVersion !== form.version) return stale
        if (!(await repo.updateRecord(act.trx, work.assessment.id, form.version, checked.value))) return stale
        await act.apply(
          'RECORD_ASSESSMENT_WORK',
          {},
          {
            assessmentId: work.assessment.id,
            work: 'RECORD',
            recordVersion: form.version + 1,
            levelOfConcern: checked.value.levelOfConcern,
          },
        )
        await act.record(assessmentSubject(act, 'record', work.assessment.id, { version: form.version + 1 }))
        return { ok: true }
      })
    },

    /** Court directions: a later 8-week limit, with the reason; the limit's clock moves (through the kernel) and the change is kept as history. */
    async extend(user: CurrentUser, caseId: string, input: ExtensionInput, requestId: string): Promise<Outcome<WorkspacePage>> {
      return cases.run(user, caseId, requestId, async (act): Promise<Outcome<WorkspacePage>> => {
        const work = await forWork(act, 'EXTEND_AIM_ASSESSMENT')
        const limit = work.page.clocks.find((c) => c.kind === 'AIM_INTERVIEWS' && !c.metAt)
        if (!limit) return refuseOn(act, 'extend', new ConflictError('The assessment’s 8-week limit is not running.'), work.assessment.id)
        const checked = checkExtension(input, { currentDueOn: londonDate(limit.dueAt), today: work.page.today })
        if (!checked.ok) return { ok: false, status: 400, errors: checked.errors, page: work.page }
        const newDueAt = endOfLondonDay(checked.value.dueOn)
        await repo.insertExtension(act.trx, {
          partnershipId: user.partnershipId,
          assessmentId: work.assessment.id,
          previousDueAt: limit.dueAt,
          newDueAt,
          reason: checked.value.reason,
          extendedBy: user.id,
        })
        await act.apply(
          'EXTEND_AIM_ASSESSMENT',
          { extendClock: { kind: 'AIM_INTERVIEWS', dueAt: newDueAt } },
          { assessmentId: work.assessment.id, previousDueOn: londonDate(limit.dueAt), newDueOn: checked.value.dueOn },
        )
        await act.record(assessmentSubject(act, 'extend', work.assessment.id))
        return { ok: true }
      })
    },

    /**
     * One co-assessor's sign-off of the record as saved now. When the other has signed the same
     * record, the assessment completes: the case moves to the review meeting, both AIM clocks
     * stop and the co-assessors' access for the assessment ends.
     */
    async signOff(
      user: CurrentUser,
      caseId: string,
      form: { version: number | null },
      requestId: string,
    ): Promise<Failure<WorkspacePage> | { ok: true; completed: boolean }> {
      return cases.run(user, caseId, requestId, async (act): Promise<Failure<WorkspacePage> | { ok: true; completed: boolean }> => {
        stepOn(act, 'SIGN_OFF_ASSESSMENT')
        const page = await loadWorkspace(act, repo, now())
        const assessment = page.assessment
        if (!assessment || assessment.completedAt)
          return refuseOn(act, 'sign-off', new ConflictError('There is no AIM assessment under way on this case.'))
        const decision = decideSignOff({
          userId: user.id,
          named: page.coAssessors.map((c) => ({ userId: c.userId, signedRecordVersion: c.signedRecordVersion })),
          recordVersion: assessment.recordVersion,
          readVersion: form.version,
          record: page.record,
          interviews: page.interviews.length,
        })
        if (!decision.ok) {
          if (decision.status === 403) return refuseOn(act, 'sign-off', new ForbiddenError(decision.errors[0]!.text), assessment.id)
          // Refused, but the page is shown again with what to put right: the refusal commits with it.
          await act.record(assessmentSubject(act, 'sign-off', assessment.id, { status: decision.status }), false)
          return { ok: false, status: decision.status, errors: decision.errors, page }
        }
        const at = now()
        const me = page.coAssessors.find((c) => c.userId === user.id)!
        await repo.signOff(act.trx, me.id, assessment.recordVersion, at)
        await act.apply(
          'SIGN_OFF_ASSESSMENT',
          {},
          { assessmentId: assessment.id, recordVersion: assessment.recordVersion, signatures: decision.completes ? 2 : 1 },
        )
        if (decision.completes) {
          await act.apply(
            'COMPLETE_ASSESSMENT',
            {},
            { assessmentId: assessment.id, recordVersion: assessment.recordVersion, levelOfConcern: page.record.levelOfConcern },
          )
          await repo.complete(act.trx, assessment.id, at)
          await act.endInvolvements(
            page.coAssessors.map((c) => c.involvementId),
            at,
          )
        }
        await act.record(assessmentSubject(act, 'sign-off', assessment.id, { completes: decision.completes }))
        return { ok: true, completed: decision.completes }
      })
    },
  }
}
export type AssessmentsService = ReturnType<typeof assessmentsService>
