import { dayOccurredAt } from '../../platform/forms/when.js'
import type { AuditDetail } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { endOfLondonDay, londonDate } from '../../platform/clocks/london-time.js'
import { INCOMPLETE_FORM } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import { directory, type AgencyOption, type PersonOption } from '../../platform/organisation/directory.js'
import type { CaseAct, CaseAction, CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, stale, type PageFailure, type PageOutcome } from '../../platform/http/case-pages.js'
import { assessmentSubject, refuseOn, stepOn } from './assessment-act.js'
import { loadWorkspace, type WorkspacePage } from './assessment-page.js'
import { assessmentsRepository, type AssessmentRow } from './assessments.repository.js'
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

export type DecisionOptions = { kase: CaseForAccess; agencies: AgencyOption[]; police: PersonOption[] }
export type DiscussionOptions = { kase: CaseForAccess; assessment: AssessmentRow; agencies: AgencyOption[] }

/** The steps a named co-assessor (or, to extend, a manager) takes on the assessment under way. */
type WorkStep = Extract<CaseAction, 'RECORD_ASSESSMENT_WORK' | 'EXTEND_AIM_ASSESSMENT'>
/** The assessment under way, and its workspace. */
type Work = { assessment: AssessmentRow; page: WorkspacePage }

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
  const organisation = directory()

  /** The assessment under way, for a named co-assessor's work on it (or a manager's extension). */
  async function forWork(act: CaseAct, step: WorkStep): Promise<Work> {
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
    agencies: await organisation.agencies(act.trx, act.user.partnershipId),
    police: await organisation.people(act.trx, act.user.partnershipId, ['POLICE_OFFICER']),
  })

  /** The decision to assess, for the AIM strategy discussion that follows it on the criminal route. */
  async function discussionOptions(act: CaseAct): Promise<DiscussionOptions> {
    stepOn(act, 'HOLD_AIM_STRATEGY_DISCUSSION')
    const assessment = await repo.findByCase(act.trx, act.kase.id)
    if (!assessment) return refuseOn(act, 'discussion', new ConflictError('There is no decision to assess on this case.'))
    return { kase: act.kase, assessment, agencies: await organisation.agencies(act.trx, act.user.partnershipId) }
  }

  /** Who added a piece of the assessment's work, and to which assessment. */
  const recordedBy = (act: CaseAct, work: Work) => ({
    partnershipId: act.user.partnershipId,
    assessmentId: work.assessment.id,
    recordedBy: act.user.id,
  })

  /**
   * A named co-assessor's work on the assessment under way (information, an interview, the
   * record): refused (audited) for anyone else, and for a form without its hidden field. `save`
   * checks and writes it, and gives what the case's history (`step`) and the audit entry note of
   * it; nothing for a second click of a form already saved, or the page again with what to put right.
   */
  function recordWork(
    user: CurrentUser,
    caseId: string,
    requestId: string,
    what: 'information' | 'interview' | 'record',
    complete: boolean,
    save: (act: CaseAct, work: Work) => Promise<PageFailure<WorkspacePage> | { step: AuditDetail; audit?: AuditDetail } | null>,
  ): Promise<PageOutcome<WorkspacePage>> {
    return cases.run(user, caseId, requestId, async (act): Promise<PageOutcome<WorkspacePage>> => {
      const work = await forWork(act, 'RECORD_ASSESSMENT_WORK')
      if (!complete) return incomplete(act, what)
      const saved = await save(act, work)
      if (!saved) return { ok: true }
      if (!('step' in saved)) return saved
      // Work done on a day (an interview) is in the history on that day, not the day it was typed in.
      const heldOn = typeof saved.step.heldOn === 'string' ? saved.step.heldOn : null
      await act.apply('RECORD_ASSESSMENT_WORK', heldOn ? { occurredAt: dayOccurredAt(heldOn, now()) } : {}, {
        assessmentId: work.assessment.id,
        ...saved.step,
      })
      await act.record(assessmentSubject(act, what, work.assessment.id, saved.audit))
      return { ok: true }
    })
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
        // When the decision was made: the AIM assessment's clocks start then.
        const when = await act.when(input.when)
        if (!checked.ok || !when.ok) return invalid([...(checked.ok ? [] : checked.errors), ...(when.ok ? [] : when.errors)], options)
        const d = checked.value
        const at = when.value.occurredAt
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
        await act.apply(
          route ? 'DECIDE_AIM_ASSESSMENT' : 'DECIDE_NO_AIM_ASSESSMENT',
          { ...(route ? { assessmentRoute: route } : {}), when: when.value },
          {
            assessmentId,
            route,
            leadAgencyId: welfare?.leadAgencyId ?? null,
            administeringAgencyId: welfare?.administeringAgencyId ?? null,
          },
        )
        // The police officer asked to arrange the discussion works with the child from now on too.
        await involveAgencies(act, [welfare?.leadAgencyId, welfare?.administeringAgencyId])
        const police = criminal?.policeContactId ? options.police.find((p) => p.id === criminal.policeContactId) : undefined
        if (police) await act.involve({ agencyId: police.agencyId, userId: police.id })
        await notifications.raiseToEach(trx, await organisation.holdersOf(trx, user.partnershipId, ['HSB_LEAD']), {
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
        if (!checked.ok) return invalid(checked.errors, page)
        await repo.recordDiscussion(act.trx, assessment.id, checked.value, user.id, now())
        await act.apply(
          'HOLD_AIM_STRATEGY_DISCUSSION',
          // The discussion happened on the day it was held: the assessment's clocks start then.
          { occurredAt: dayOccurredAt(checked.value.heldOn, now()) },
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
    ): Promise<PageOutcome<WorkspacePage>> {
      return recordWork(user, caseId, requestId, 'information', !!form.key, async (act, work) => {
        const checked = checkInformation(form.input, { agencyIds: work.page.agencies.map((a) => a.id), today: work.page.today })
        if (!checked.ok) return invalid(checked.errors, work.page)
        const id = await repo.insertInformation(act.trx, { ...checked.value, ...recordedBy(act, work), idempotencyKey: form.key! })
        return id ? { step: { work: 'INFORMATION', informationId: id, sourceAgencyId: checked.value.sourceAgencyId } } : null
      })
    },

    async addInterview(
      user: CurrentUser,
      caseId: string,
      form: { input: InterviewInput; key: string | null },
      requestId: string,
    ): Promise<PageOutcome<WorkspacePage>> {
      return recordWork(user, caseId, requestId, 'interview', !!form.key, async (act, work) => {
        const checked = checkInterview(form.input, { decidedOn: decidedOn(work.assessment), today: work.page.today })
        if (!checked.ok) return invalid(checked.errors, work.page)
        const id = await repo.insertInterview(act.trx, { ...checked.value, ...recordedBy(act, work), idempotencyKey: form.key! })
        return id
          ? { step: { work: 'INTERVIEW', interviewId: id, interviewee: checked.value.interviewee, heldOn: checked.value.heldOn } }
          : null
      })
    },

    /** A draft of the record, saved only over the version the person read: otherwise 409 with their text kept. */
    async saveRecord(
      user: CurrentUser,
      caseId: string,
      form: { input: RecordInput; version: number | null },
      requestId: string,
    ): Promise<PageOutcome<WorkspacePage>> {
      return recordWork(user, caseId, requestId, 'record', form.version !== null, async (act, work) => {
        const version = form.version!
        const checked = checkRecord(form.input)
        if (!checked.ok) return invalid(checked.errors, work.page)
        const changed = stale(
          work.page,
          'Someone else saved the record after you opened it. Your text is kept below: check what is saved now, then save again.',
        )
        if (work.assessment.recordVersion !== version) return changed
        if (!(await repo.updateRecord(act.trx, work.assessment.id, version, checked.value))) return changed
        return {
          step: { work: 'RECORD', recordVersion: version + 1, levelOfConcern: checked.value.levelOfConcern },
          audit: { version: version + 1 },
        }
      })
    },

    /** Court directions: a later 8-week limit, with the reason; the limit's clock moves (through the kernel) and the change is kept as history. */
    async extend(user: CurrentUser, caseId: string, input: ExtensionInput, requestId: string): Promise<PageOutcome<WorkspacePage>> {
      return cases.run(user, caseId, requestId, async (act): Promise<PageOutcome<WorkspacePage>> => {
        const work = await forWork(act, 'EXTEND_AIM_ASSESSMENT')
        const limit = work.page.clocks.find((c) => c.kind === 'AIM_INTERVIEWS' && !c.metAt)
        if (!limit) return refuseOn(act, 'extend', new ConflictError('The assessment’s 8-week limit is not running.'), work.assessment.id)
        const checked = checkExtension(input, { currentDueOn: londonDate(limit.dueAt), today: work.page.today })
        if (!checked.ok) return invalid(checked.errors, work.page)
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
    ): Promise<PageFailure<WorkspacePage> | { ok: true; completed: boolean }> {
      return cases.run(user, caseId, requestId, async (act): Promise<PageFailure<WorkspacePage> | { ok: true; completed: boolean }> => {
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
