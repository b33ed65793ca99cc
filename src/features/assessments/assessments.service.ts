import type { CurrentUser } from '../../platform/auth/current-user.js'
import { endOfLondonDay, londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseForAccess } from '../cases/cases.repository.js'
import { ACTION_RULES, STATUS_LABELS, decide, type CaseAction } from '../cases/pathway.rules.js'
import type { FeatureDeps } from '../feature-module.js'
import { loadWorkspace, type WorkspacePage } from './assessment-page.js'
import { assessmentsRepository, type AssessmentRow } from './assessments.repository.js'
import {
  ASSESSOR_ROLES,
  DECIDER_ROLES,
  DISCUSSION_ROLES,
  MANAGER_ROLES,
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
import { Refusal } from './refusal.js'

export type { WorkspacePage } from './assessment-page.js'


export type Failure<P> = { ok: false; status: 400 | 409; errors: FieldError[]; page: P; conflict?: boolean }
export type Outcome<P> = { ok: true } | Failure<P>

const ROLE_WORDS: Partial<Record<CaseAction, string>> = {
  DECIDE_AIM_ASSESSMENT: 'Only the HSB lead (SQR) or a team manager can decide whether to carry out an AIM assessment.',
  HOLD_AIM_STRATEGY_DISCUSSION: 'Only a police officer, a youth offending service officer or the HSB lead can record the AIM strategy discussion.',
  NAME_CO_ASSESSORS: 'Only a manager can name the co-assessors.',
  EXTEND_AIM_ASSESSMENT: 'Only a manager can extend the assessment.',
  RECORD_ASSESSMENT_WORK: 'Your role cannot record an AIM assessment.',
  SIGN_OFF_ASSESSMENT: 'Your role cannot sign off an AIM assessment.',
}
const ROLES_FOR: Partial<Record<CaseAction, readonly string[]>> = {
  DECIDE_AIM_ASSESSMENT: DECIDER_ROLES,
  HOLD_AIM_STRATEGY_DISCUSSION: DISCUSSION_ROLES,
  NAME_CO_ASSESSORS: MANAGER_ROLES,
  EXTEND_AIM_ASSESSMENT: MANAGER_ROLES,
  RECORD_ASSESSMENT_WORK: ASSESSOR_ROLES,
  SIGN_OFF_ASSESSMENT: ASSESSOR_ROLES,
}

/**
 * The AIM assessment: the decision to assess (or not) and its route, the AIM strategy discussion
 * on the criminal route, co-assessors (co-assessors.service.ts), information, interviews, the
 * record with its versioned drafts, court extensions and sign-off by both co-assessors. Every
 * step is a case event through the workflow, and every read and refusal is audited.
 */
export function assessmentsService(deps: FeatureDeps) {
  const { workflow, audit, notifications } = deps
  const now = deps.now ?? (() => new Date())
  const repo = assessmentsRepository()

  async function run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
    const out = await workflow.command(user, caseId, requestId, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  async function record(trx: Trx, user: CurrentUser, action: string, recordId: string | null, requestId: string, detail: Record<string, string | number | boolean | null>, allowed = true) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `assessment:${action}`, recordType: 'assessment', recordId, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail })
  }

  async function refuse(trx: Trx, user: CurrentUser, action: string, kase: CaseForAccess, recordId: string | null, requestId: string, error: HttpError) {
    await record(trx, user, action, recordId, requestId, { caseId: kase.id, status: error.status }, false)
    return new Refusal(error)
  }

  /** The role first (403 whatever the status), then whether the pathway allows the step now (409, naming what it does allow). */
  async function guard(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: CaseAction, requestId: string): Promise<Refusal | null> {
    const roles = ROLES_FOR[action] ?? []
    if (!user.roles.some((r) => roles.includes(r))) return refuse(trx, user, action, kase, null, requestId, new ForbiddenError(ROLE_WORDS[action]))
    const decision = decide(kase.status, action, user.roles, { route: kase.route })
    if (!decision.ok) {
      const allowed = decision.reason === 'NOT_ALLOWED_NOW' ? decision.allowed.map((a) => `You can: ${ACTION_RULES[a].label}`) : []
      return refuse(trx, user, action, kase, null, requestId, new ConflictError(`This case is “${STATUS_LABELS[kase.status]}”, so “${ACTION_RULES[action].label}” cannot be done now.`, allowed))
    }
    return null
  }

  /** The assessment under way, for a named co-assessor's work on it. */
  async function forWork(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: CaseAction, requestId: string): Promise<{ assessment: AssessmentRow; page: WorkspacePage } | Refusal> {
    const refusal = await guard(trx, user, kase, action, requestId)
    if (refusal) return refusal
    const page = await loadWorkspace(trx, repo, user, kase, now())
    if (!page.assessment || page.assessment.completedAt) return refuse(trx, user, action, kase, null, requestId, new ConflictError('There is no AIM assessment under way on this case.'))
    const mayWork = action === 'EXTEND_AIM_ASSESSMENT' ? page.access.canExtend : page.access.canRecord
    if (!mayWork) return refuse(trx, user, action, kase, page.assessment.id, requestId, new ForbiddenError('Only the named co-assessors can work on this assessment.'))
    return { assessment: page.assessment, page }
  }

  const decisionOptions = async (trx: Trx, user: CurrentUser, kase: CaseForAccess) => ({
    kase,
    agencies: await repo.listAgencies(trx, user.partnershipId),
    police: await repo.listPeople(trx, user.partnershipId, ['POLICE_OFFICER']),
  })
  const decidedOn = (a: AssessmentRow) => londonDate(a.decidedAt)
  const badForm = (trx: Trx, user: CurrentUser, action: string, kase: CaseForAccess, requestId: string) =>
    refuse(trx, user, action, kase, null, requestId, new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))

  return {
    ...coAssessorCommands({ deps, repo, run, guard, refuse, record, now }),

    /** The workspace: a sensible page whatever the case's status, for anyone who can read the child. */
    async workspace(user: CurrentUser, caseId: string, requestId: string): Promise<WorkspacePage> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const page = await loadWorkspace(trx, repo, user, kase, now())
        await record(trx, user, 'read', page.assessment?.id ?? null, requestId, { caseId: kase.id })
        return page
      })
    },

    /** The printable record: only once there is an assessment. */
    async report(user: CurrentUser, caseId: string, requestId: string): Promise<WorkspacePage> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const page = await loadWorkspace(trx, repo, user, kase, now())
        if (!page.assessment || page.assessment.decision !== 'ASSESS') return refuse(trx, user, 'read-report', kase, null, requestId, new NotFoundError())
        await record(trx, user, 'read-report', page.assessment.id, requestId, { caseId: kase.id })
        return page
      })
    },

    async decisionForm(user: CurrentUser, caseId: string, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => (await guard(trx, user, kase, 'DECIDE_AIM_ASSESSMENT', requestId)) ?? decisionOptions(trx, user, kase))
    },

    /** Assess (welfare or criminal) or not, with reasons; the SQR service (HSB leads) is told either way. */
    async decide(user: CurrentUser, caseId: string, input: DecisionInput, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await guard(trx, user, kase, 'DECIDE_AIM_ASSESSMENT', requestId)
        if (refusal) return refusal
        const options = await decisionOptions(trx, user, kase)
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
        const action = d.decision === 'ASSESS' ? 'DECIDE_AIM_ASSESSMENT' : 'DECIDE_NO_AIM_ASSESSMENT'
        const route = d.decision === 'ASSESS' ? d.route : null
        await workflow.apply(trx, user, kase, action, route ? { assessmentRoute: route } : {}, requestId, {
          assessmentId,
          route,
          leadAgencyId: welfare?.leadAgencyId ?? null,
          administeringAgencyId: welfare?.administeringAgencyId ?? null,
        })
        // The lead and administering agencies work with the child from now on; so does the police officer asked to arrange the discussion.
        for (const agencyId of new Set([welfare?.leadAgencyId, welfare?.administeringAgencyId].filter((x): x is string => !!x))) {
          await deps.casesRepo.addInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, agencyId })
        }
        const police = criminal?.policeContactId ? options.police.find((p) => p.id === criminal.policeContactId) : undefined
        if (police) await deps.casesRepo.addInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, agencyId: police.agencyId, userId: police.id })
        for (const userId of await repo.hsbLeads(trx, user.partnershipId)) {
          await notifications.raise(trx, { partnershipId: user.partnershipId, userId, kind: 'ASSESSMENT_DECISION', caseId: kase.id, dedupeKey: `assessment-decision:${kase.id}:${d.decision}` })
        }
        await record(trx, user, 'decide', assessmentId, requestId, { caseId: kase.id, decision: d.decision, route })
        return { ok: true as const, decision: d.decision, route }
      })
    },

    async discussionForm(user: CurrentUser, caseId: string, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await guard(trx, user, kase, 'HOLD_AIM_STRATEGY_DISCUSSION', requestId)
        if (refusal) return refusal
        const assessment = await repo.findByCase(trx, kase.id)
        if (!assessment) return refuse(trx, user, 'discussion', kase, null, requestId, new ConflictError('There is no decision to assess on this case.'))
        return { kase, assessment, agencies: await repo.listAgencies(trx, user.partnershipId) }
      })
    },

    /** Criminal route: the AIM strategy discussion names the lead agency (usually YOS) and who administers; the clocks start. */
    async holdDiscussion(user: CurrentUser, caseId: string, input: DiscussionInput, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await guard(trx, user, kase, 'HOLD_AIM_STRATEGY_DISCUSSION', requestId)
        if (refusal) return refusal
        const assessment = await repo.findByCase(trx, kase.id)
        if (!assessment) return refuse(trx, user, 'discussion', kase, null, requestId, new ConflictError('There is no decision to assess on this case.'))
        const agencies = await repo.listAgencies(trx, user.partnershipId)
        const checked = checkDiscussion(input, { agencyIds: agencies.map((a) => a.id), decidedOn: decidedOn(assessment), today: londonDate(now()) })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: { kase, assessment, agencies } }
        const at = now()
        await repo.recordDiscussion(trx, assessment.id, checked.value, user.id, at)
        await workflow.apply(trx, user, kase, 'HOLD_AIM_STRATEGY_DISCUSSION', {}, requestId, {
          assessmentId: assessment.id,
          leadAgencyId: checked.value.leadAgencyId,
          administeringAgencyId: checked.value.administeringAgencyId,
          agencyIds: checked.value.agencyIds,
        })
        for (const agencyId of new Set([checked.value.leadAgencyId, checked.value.administeringAgencyId])) {
          await deps.casesRepo.addInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, agencyId })
        }
        await record(trx, user, 'discussion', assessment.id, requestId, { caseId: kase.id })
        return { ok: true as const }
      })
    },

    async addInformation(user: CurrentUser, caseId: string, form: { input: InformationInput; key: string | null }, requestId: string): Promise<Outcome<WorkspacePage>> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const work = await forWork(trx, user, kase, 'RECORD_ASSESSMENT_WORK', requestId)
        if (work instanceof Refusal) return work
        if (!form.key) return badForm(trx, user, 'information', kase, requestId)
        const checked = checkInformation(form.input, { agencyIds: work.page.agencies.map((a) => a.id), today: work.page.today })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: work.page }
        const id = await repo.insertInformation(trx, { ...checked.value, partnershipId: user.partnershipId, assessmentId: work.assessment.id, recordedBy: user.id, idempotencyKey: form.key })
        if (!id) return { ok: true as const }
        await workflow.apply(trx, user, kase, 'RECORD_ASSESSMENT_WORK', {}, requestId, { assessmentId: work.assessment.id, work: 'INFORMATION', informationId: id, sourceAgencyId: checked.value.sourceAgencyId })
        await record(trx, user, 'information', work.assessment.id, requestId, { caseId: kase.id })
        return { ok: true as const }
      })
    },

    async addInterview(user: CurrentUser, caseId: string, form: { input: InterviewInput; key: string | null }, requestId: string): Promise<Outcome<WorkspacePage>> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const work = await forWork(trx, user, kase, 'RECORD_ASSESSMENT_WORK', requestId)
        if (work instanceof Refusal) return work
        if (!form.key) return badForm(trx, user, 'interview', kase, requestId)
        const checked = checkInterview(form.input, { decidedOn: decidedOn(work.assessment), today: work.page.today })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: work.page }
        const id = await repo.insertInterview(trx, { ...checked.value, partnershipId: user.partnershipId, assessmentId: work.assessment.id, recordedBy: user.id, idempotencyKey: form.key })
        if (!id) return { ok: true as const }
        await workflow.apply(trx, user, kase, 'RECORD_ASSESSMENT_WORK', {}, requestId, { assessmentId: work.assessment.id, work: 'INTERVIEW', interviewId: id, interviewee: checked.value.interviewee, heldOn: checked.value.heldOn })
        await record(trx, user, 'interview', work.assessment.id, requestId, { caseId: kase.id })
        return { ok: true as const }
      })
    },

    /** A draft of the record, saved only over the version the person read: otherwise 409 with their text kept. */
    async saveRecord(user: CurrentUser, caseId: string, form: { input: RecordInput; version: number | null }, requestId: string): Promise<Outcome<WorkspacePage>> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const work = await forWork(trx, user, kase, 'RECORD_ASSESSMENT_WORK', requestId)
        if (work instanceof Refusal) return work
        if (form.version === null) return badForm(trx, user, 'record', kase, requestId)
        const checked = checkRecord(form.input)
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: work.page }
        const stale = { ok: false as const, status: 409 as const, conflict: true, page: work.page, errors: [{ href: '#conflict', text: 'Someone else saved the record after you opened it. Your text is kept below: check what is saved now, then save again.' }] }
        if (work.assessment.recordVersion !== form.version) return stale
        if (!(await repo.updateRecord(trx, work.assessment.id, form.version, checked.value))) return stale
        await workflow.apply(trx, user, kase, 'RECORD_ASSESSMENT_WORK', {}, requestId, { assessmentId: work.assessment.id, work: 'RECORD', recordVersion: form.version + 1, levelOfConcern: checked.value.levelOfConcern })
        await record(trx, user, 'record', work.assessment.id, requestId, { caseId: kase.id, version: form.version + 1 })
        return { ok: true as const }
      })
    },

    /** Court directions: a later 8-week limit, with the reason; the limit's clock moves and the change is kept as history. */
    async extend(user: CurrentUser, caseId: string, input: ExtensionInput, requestId: string): Promise<Outcome<WorkspacePage>> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const work = await forWork(trx, user, kase, 'EXTEND_AIM_ASSESSMENT', requestId)
        if (work instanceof Refusal) return work
        const limit = work.page.clocks.find((c) => c.kind === 'AIM_INTERVIEWS' && !c.metAt)
        if (!limit) return refuse(trx, user, 'extend', kase, work.assessment.id, requestId, new ConflictError('The assessment’s 8-week limit is not running.'))
        const checked = checkExtension(input, { currentDueOn: londonDate(limit.dueAt), today: work.page.today })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page: work.page }
        const newDueAt = endOfLondonDay(checked.value.dueOn)
        await repo.extendLimit(trx, kase.id, newDueAt)
        await repo.insertExtension(trx, { partnershipId: user.partnershipId, assessmentId: work.assessment.id, previousDueAt: limit.dueAt, newDueAt, reason: checked.value.reason, extendedBy: user.id })
        await workflow.apply(trx, user, kase, 'EXTEND_AIM_ASSESSMENT', {}, requestId, { assessmentId: work.assessment.id, previousDueOn: londonDate(limit.dueAt), newDueOn: checked.value.dueOn })
        await record(trx, user, 'extend', work.assessment.id, requestId, { caseId: kase.id })
        return { ok: true as const }
      })
    },

    /**
     * One co-assessor's sign-off of the record as saved now. When the other has signed the same
     * record, the assessment completes: the case moves to the review meeting, both AIM clocks
     * stop and the co-assessors' access for the assessment ends.
     */
    async signOff(user: CurrentUser, caseId: string, form: { version: number | null }, requestId: string): Promise<(Outcome<WorkspacePage> & { completed?: boolean }) | { ok: true; completed: boolean }> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const refusal = await guard(trx, user, kase, 'SIGN_OFF_ASSESSMENT', requestId)
        if (refusal) return refusal
        const page = await loadWorkspace(trx, repo, user, kase, now())
        const assessment = page.assessment
        if (!assessment || assessment.completedAt) return refuse(trx, user, 'sign-off', kase, null, requestId, new ConflictError('There is no AIM assessment under way on this case.'))
        const decision = decideSignOff({
          userId: user.id,
          named: page.coAssessors.map((c) => ({ userId: c.userId, signedRecordVersion: c.signedRecordVersion })),
          recordVersion: assessment.recordVersion,
          readVersion: form.version,
          record: page.record,
          interviews: page.interviews.length,
        })
        if (!decision.ok) {
          if (decision.status === 403) return refuse(trx, user, 'sign-off', kase, assessment.id, requestId, new ForbiddenError(decision.errors[0]!.text))
          await record(trx, user, 'sign-off', assessment.id, requestId, { caseId: kase.id, status: decision.status }, false)
          return { ok: false as const, status: decision.status, errors: decision.errors, page }
        }
        const at = now()
        const me = page.coAssessors.find((c) => c.userId === user.id)!
        await repo.signOff(trx, me.id, assessment.recordVersion, at)
        const signed = await workflow.apply(trx, user, kase, 'SIGN_OFF_ASSESSMENT', {}, requestId, { assessmentId: assessment.id, recordVersion: assessment.recordVersion, signatures: decision.completes ? 2 : 1 })
        if (decision.completes) {
          await workflow.apply(trx, user, signed, 'COMPLETE_ASSESSMENT', {}, requestId, { assessmentId: assessment.id, recordVersion: assessment.recordVersion, levelOfConcern: page.record.levelOfConcern })
          await repo.complete(trx, assessment.id, at)
          await repo.endInvolvements(trx, page.coAssessors.map((c) => c.involvementId), at)
        }
        await record(trx, user, 'sign-off', assessment.id, requestId, { caseId: kase.id, completes: decision.completes })
        return { ok: true as const, completed: decision.completes }
      })
    },
  }
}
export type AssessmentsService = ReturnType<typeof assessmentsService>
