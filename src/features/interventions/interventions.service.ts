import { dayOccurredAt } from '../../platform/forms/when.js'
import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { CLOCK_LABELS, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import { INCOMPLETE_FORM, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/http/errors.js'
import { directory } from '../../platform/organisation/directory.js'
import type { CaseAct, CaseAction, CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import {
  MEETING_TYPES,
  caseMeetingActions,
  caseMeetingList,
  caseMeetings,
  latestMeeting,
  meetingInvitations,
  type ArrangeForm,
  type ArrangeOptions,
  type ArrangeResult,
  type FollowUpType,
  type InvitationRow,
  type MeetingRecord,
  type MeetingRow,
} from '../meetings/index.js'
import { invalid, stale, type PageFailure, type PageOutcome } from '../../platform/http/case-pages.js'
import { interventionsRepository, type PlanRow } from './interventions.repository.js'
import {
  checkOpenWork,
  describeOpenWork,
  openGoals,
  readGoals,
  validateClosure,
  validateEnd,
  validateGoals,
  validatePanelDecision,
  validatePanelRequest,
  validateReview,
  MAX_TEXT,
  type ClosureInput,
  type ConcernLevel,
  type EndInput,
  type GoalInput,
  type MeetingFacts,
  type PanelDecisionInput,
  type ReviewInput,
} from './interventions.rules.js'

/** The meetings after the AIM assessment, whose pages are here: the review meeting and the end meeting. */
export type MeetingType = FollowUpType

export type InterventionMeetingPage = {
  type: MeetingType
  kase: CaseForAccess
  meeting: MeetingRow | null
  invitations: InvitationRow[]
  /** For the end meeting: what is still open on the case, and the review meeting's date. */
  openWork: string[]
  reviewHeldAt: Date | null
  access: { canArrange: boolean; canRecord: boolean }
}

/** A review or end meeting's record as checked: what it says, what its finalise step notes, and what else recording it writes. */
type Recording = {
  ok: true
  record: Omit<MeetingRecord, 'version'>
  detail: Record<string, unknown>
  write: (act: CaseAct, meetingId: string) => Promise<unknown>
}

/** A step refused after the pathway allowed it (no plan yet, nothing waiting for a decision…): audited as the step, with why. */
const refusedStep = (act: CaseAct, step: CaseAction, reason: string, detail: Record<string, unknown> = {}): AuditSubject => ({
  action: `case:${step}`,
  recordType: 'case',
  recordId: act.kase.id,
  detail: { reason, ...detail },
})

/**
 * After the AIM assessment: the review meeting and the intervention plan it agrees (versioned),
 * actions marked done, the HSB panel, the end meeting and closing a case. Every read and step
 * goes through the case kernel (access checked and audited; steps from the transition table,
 * in the case's history); the meetings themselves are the meetings feature's.
 */
export function interventionsService(deps: FeatureDeps) {
  const { cases, notifications } = deps
  const now = deps.now ?? (() => new Date())
  const repo = interventionsRepository()
  const organisation = directory()
  const meetings = caseMeetings(deps)

  async function loadPlanPage(act: CaseAct) {
    const { trx, kase } = act
    const plan = (await repo.findPlan(trx, kase.id)) ?? null
    const versions = plan ? await repo.listPlanVersions(trx, plan.id) : []
    const actions = await caseMeetingActions(trx, kase.id)
    const mayUpdate = act.may('UPDATE_INTERVENTION_PLAN')
    return {
      kase,
      plan,
      goals: readGoals(versions[0]?.goals),
      versions: versions.map((v) => ({ ...v, goals: readGoals(v.goals) })),
      actions,
      meetings: await caseMeetingList(trx, kase.id),
      panels: await repo.listPanels(trx, kase.id),
      closure: (await repo.findClosure(trx, kase.id)) ?? null,
      access: { canUpdate: !!plan && mayUpdate, canMarkDone: mayUpdate },
    }
  }
  type PlanPage = Awaited<ReturnType<typeof loadPlanPage>>

  async function loadPanelPage(act: CaseAct) {
    const panels = await repo.listPanels(act.trx, act.kase.id)
    const open = panels.find((p) => !p.decidedAt) ?? null
    const { events } = await act.history()
    return {
      kase: act.kase,
      panels,
      open,
      assessmentComplete: events.some((e) => e.action === 'COMPLETE_ASSESSMENT'),
      access: { canRequest: act.may('REQUEST_HSB_PANEL'), canDecide: !!open && act.may('RECORD_PANEL_DECISION') },
    }
  }
  type PanelPage = Awaited<ReturnType<typeof loadPanelPage>>

  /** What is still open on the case: clocks not met, actions of finalised meetings not done, goals under way. */
  async function openWorkOf(act: CaseAct, plan: PlanRow | undefined): Promise<string[]> {
    const { clocks } = await act.history()
    const running = clocks
      .filter((c) => c.metAt === null)
      .map((c) => c.kind)
      .sort()
    const actions = (await caseMeetingActions(act.trx, act.kase.id)).filter((a) => !a.doneAt)
    const goals = plan ? openGoals(readGoals((await repo.listPlanVersions(act.trx, plan.id))[0]?.goals)) : []
    return describeOpenWork({
      openClocks: running.map((k) => CLOCK_LABELS[k as ClockKind] ?? k),
      openActions: actions.map((a) => a.id),
      openGoals: goals.map((g) => g.text),
    })
  }

  async function loadClosurePage(act: CaseAct) {
    return {
      kase: act.kase,
      openWork: await openWorkOf(act, await repo.findPlan(act.trx, act.kase.id)),
      closure: (await repo.findClosure(act.trx, act.kase.id)) ?? null,
      access: { canClose: act.may('CLOSE_CASE') },
    }
  }
  type ClosurePage = Awaited<ReturnType<typeof loadClosurePage>>

  /** The review or end meeting's page: the meeting (the one being recorded, or the latest), who was invited, and for the end meeting what is still open. */
  async function loadMeetingPage(act: CaseAct, type: MeetingType, recording?: MeetingRow): Promise<InterventionMeetingPage> {
    const { trx, kase } = act
    const meeting = recording ?? (await latestMeeting(trx, kase.id, type)) ?? null
    const invitations = meeting ? await meetingInvitations(trx, meeting.id) : []
    const review = type === 'end' ? await latestMeeting(trx, kase.id, 'review') : undefined
    const openWork = type === 'end' ? await openWorkOf(act, await repo.findPlan(trx, kase.id)) : []
    const scheduled = meeting?.status === 'SCHEDULED'
    const { schedule, finalise } = MEETING_TYPES[type]
    return {
      type,
      kase,
      meeting,
      invitations,
      openWork,
      reviewHeldAt: review?.heldAt ?? null,
      access: { canArrange: !scheduled && act.may(schedule), canRecord: scheduled && act.may(finalise) },
    }
  }

  const meetingConflict = (page: InterventionMeetingPage): PageFailure<InterventionMeetingPage> =>
    stale(page, 'Someone else changed this meeting after you opened it. Your text is kept below: check the meeting, then try again.')

  /**
   * Records a review or end meeting: refused (audited) unless it may be recorded now; `check`
   * reads the form against the page and the meeting's facts, and gives the record, what the
   * finalise step notes, and what else recording it writes. Someone else's change first: 409.
   */
  function recordMeeting(
    user: CurrentUser,
    caseId: string,
    type: MeetingType,
    version: number | null,
    requestId: string,
    check: (page: InterventionMeetingPage, facts: MeetingFacts) => Recording | { ok: false; errors: FieldError[] },
  ): Promise<PageOutcome<InterventionMeetingPage>> {
    return cases.run(user, caseId, requestId, async (act): Promise<PageOutcome<InterventionMeetingPage>> => {
      const meeting = await meetings.forRecord(act, type, version)
      const page = await loadMeetingPage(act, type, meeting)
      const checked = check(page, {
        referralReceivedAt: act.kase.referralReceivedAt,
        scheduledFor: meeting.scheduledFor,
        now: now(),
        invitationIds: page.invitations.map((i) => i.id),
      })
      if (!checked.ok) return invalid(checked.errors, page)
      if (meeting.version !== version) return meetingConflict(page)
      if (!(await meetings.finalise(act, type, meeting, { version: meeting.version, ...checked.record }, checked.detail)))
        return meetingConflict(page)
      await checked.write(act, meeting.id)
      return { ok: true }
    })
  }

  /**
   * A step taken with a form on one of the case's pages: refused (audited) unless the pathway
   * allows it now; `take` checks the form against the page and takes the step, or gives the page
   * again with what to put right.
   */
  function stepFrom<P>(
    user: CurrentUser,
    caseId: string,
    requestId: string,
    step: CaseAction,
    load: (act: CaseAct) => Promise<P>,
    take: (act: CaseAct, page: P) => Promise<PageOutcome<P>>,
  ): Promise<PageOutcome<P>> {
    return cases.run(user, caseId, requestId, async (act) => {
      act.step(step)
      return take(act, await load(act))
    })
  }

  /** The case's closure (at the end meeting, or with no AIM assessment): why, and what was still open, with its own reason. */
  const insertClosure = (
    act: CaseAct,
    c: {
      endMeetingId: string | null
      levelOfConcern: ConcernLevel | null
      reason: string
      openWork: string[]
      openWorkReason: string | null
      closedAt?: Date
    },
  ) =>
    repo.insertClosure(act.trx, {
      partnershipId: act.user.partnershipId,
      caseId: act.kase.id,
      endMeetingId: c.endMeetingId,
      route: c.endMeetingId ? 'END_MEETING' : 'NO_AIM_ASSESSMENT',
      levelOfConcern: c.levelOfConcern,
      reason: c.reason,
      openWork: c.openWork,
      openWorkReason: c.openWork.length ? c.openWorkReason : null,
      closedBy: act.user.id,
      ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    })

  return {
    async arrangeForm(user: CurrentUser, caseId: string, type: MeetingType, requestId: string): Promise<ArrangeOptions> {
      return cases.run(user, caseId, requestId, (act) => meetings.arrangeForm(act, type))
    },

    async arrange(user: CurrentUser, caseId: string, type: MeetingType, form: ArrangeForm, requestId: string): Promise<ArrangeResult> {
      return cases.run(user, caseId, requestId, (act) => meetings.arrange(act, type, form))
    },

    async viewMeeting(user: CurrentUser, caseId: string, type: MeetingType, requestId: string): Promise<InterventionMeetingPage> {
      return cases.run(user, caseId, requestId, (act) => loadMeetingPage(act, type))
    },

    /** Records the review meeting and its intervention plan, locks the record, and moves the case to intervention. */
    async recordReview(
      user: CurrentUser,
      caseId: string,
      form: { input: ReviewInput; version: number | null },
      requestId: string,
    ): Promise<PageOutcome<InterventionMeetingPage>> {
      return recordMeeting(user, caseId, 'review', form.version, requestId, (_, facts) => {
        const checked = validateReview(form.input, facts)
        if (!checked.ok) return checked
        const { heldAt, attendance, minutes, goals } = checked.value
        return {
          ok: true,
          record: { heldAt, minutes, attendance },
          detail: { goals: goals.length },
          write: (act, meetingId) =>
            repo.insertPlan(act.trx, {
              partnershipId: user.partnershipId,
              caseId: act.kase.id,
              reviewMeetingId: meetingId,
              goals,
              createdBy: user.id,
            }),
        }
      })
    },

    /** Records the end meeting and closes the case; anything still open needs its own reason. */
    async recordEnd(
      user: CurrentUser,
      caseId: string,
      form: { input: EndInput; version: number | null },
      requestId: string,
    ): Promise<PageOutcome<InterventionMeetingPage>> {
      return recordMeeting(user, caseId, 'end', form.version, requestId, (page, facts) => {
        const checked = validateEnd(form.input, { ...facts, reviewHeldAt: page.reviewHeldAt })
        const errors = checked.ok ? checkOpenWork(page.openWork, checked.value.openWorkReason) : checked.errors
        if (!checked.ok || errors.length) return { ok: false, errors }
        const { heldAt, attendance, workDone, level, reason, openWorkReason } = checked.value
        return {
          ok: true,
          record: { heldAt, minutes: { workDone, levelOfConcern: level, closureReason: reason, openWorkReason }, attendance },
          detail: { levelOfConcern: level, openWork: page.openWork.length },
          write: (act, meetingId) =>
            insertClosure(act, { endMeetingId: meetingId, levelOfConcern: level, reason, openWork: page.openWork, openWorkReason }),
        }
      })
    },

    /** The plan page: linked from every case, so a case without a plan shows that, not an error. */
    async viewPlan(user: CurrentUser, caseId: string, requestId: string): Promise<PlanPage> {
      return cases.run(user, caseId, requestId, loadPlanPage)
    },

    /** A new version of the plan; the one it replaces is kept. Stale version: 409 with the typed goals kept. */
    async updatePlan(
      user: CurrentUser,
      caseId: string,
      form: { input: { goals: GoalInput[]; changeNote: string }; version: number | null },
      requestId: string,
    ): Promise<PageOutcome<PlanPage>> {
      return cases.run(user, caseId, requestId, async (act): Promise<PageOutcome<PlanPage>> => {
        const STEP = 'UPDATE_INTERVENTION_PLAN'
        act.step(STEP)
        const plan = await repo.findPlan(act.trx, act.kase.id)
        if (!plan)
          return act.refuse(
            new ConflictError('This case has no intervention plan yet.', ['The plan is agreed at the review meeting.']),
            refusedStep(act, STEP, 'NO_PLAN'),
          )
        if (form.version === null) return act.refuse(new BadRequestError(INCOMPLETE_FORM), refusedStep(act, STEP, 'INCOMPLETE_FORM'))
        const page = await loadPlanPage(act)
        const checked = validateGoals(form.input.goals)
        const errors = checked.ok ? [] : [...checked.errors]
        if (!form.input.changeNote.trim()) errors.push({ href: '#change-note', text: 'Enter what changed and why' })
        else if (form.input.changeNote.length > MAX_TEXT)
          errors.push({ href: '#change-note', text: `What changed must be ${MAX_TEXT} characters or fewer` })
        if (!checked.ok || errors.length) return invalid(errors, page)
        const changed = stale(
          page,
          'Someone else changed the intervention plan after you opened it. Your changes are kept below: check the plan as it is now, then save again.',
        )
        if (plan.version !== form.version) return changed
        const saved = await repo.addPlanVersion(act.trx, {
          partnershipId: user.partnershipId,
          planId: plan.id,
          expectedVersion: form.version,
          goals: checked.value,
          changeNote: form.input.changeNote.trim(),
          createdBy: user.id,
          at: now(),
        })
        if (!saved) return changed
        await act.apply(STEP, {}, { planVersion: form.version + 1 })
        return { ok: true }
      })
    },

    /** Marks an action of a finalised meeting done (the minutes stay locked). */
    async markActionDone(user: CurrentUser, caseId: string, actionId: string | null, requestId: string): Promise<{ ok: true }> {
      return cases.run(user, caseId, requestId, async (act): Promise<{ ok: true }> => {
        const STEP = 'UPDATE_INTERVENTION_PLAN'
        act.step(STEP)
        const action = (await caseMeetingActions(act.trx, act.kase.id)).find((a) => a.id === actionId)
        if (!action) return act.refuse(new NotFoundError(), refusedStep(act, STEP, 'NO_SUCH_ACTION', { actionId }))
        if (action.doneAt) return { ok: true }
        await meetings.markActionDone(act, action.id)
        await act.apply(STEP, {}, { actionDone: action.id })
        return { ok: true }
      })
    },

    async viewPanel(user: CurrentUser, caseId: string, requestId: string): Promise<PanelPage> {
      return cases.run(user, caseId, requestId, loadPanelPage)
    },

    /** SQR asks the head of service to convene the panel: only once the AIM assessment is complete. */
    async requestPanel(user: CurrentUser, caseId: string, form: { reason: string }, requestId: string): Promise<PageOutcome<PanelPage>> {
      const STEP = 'REQUEST_HSB_PANEL'
      return stepFrom(user, caseId, requestId, STEP, loadPanelPage, async (act, page) => {
        if (!page.assessmentComplete) {
          // Refused, with the reason typed kept on the page: the refusal is recorded with it.
          await act.record(refusedStep(act, STEP, 'NO_COMPLETED_ASSESSMENT'), false)
          const text =
            'The HSB panel can only be asked for once the AIM assessment is complete, and this case has no completed AIM assessment.'
          return { ok: false, status: 409, errors: [{ href: '#reason', text }], page }
        }
        const checked = validatePanelRequest(form.reason)
        if (!checked.ok) return invalid(checked.errors, page)
        const panelId = await repo.insertPanelRequest(act.trx, {
          partnershipId: user.partnershipId,
          caseId: act.kase.id,
          reason: checked.value,
          requestedBy: user.id,
        })
        await act.apply(STEP, {}, { panelId })
        const heads = await organisation.holdersOf(act.trx, user.partnershipId, ['HEAD_OF_SERVICE'])
        await notifications.raiseToEach(act.trx, heads, {
          partnershipId: user.partnershipId,
          kind: 'HSB_PANEL_REQUESTED',
          caseId: act.kase.id,
          dedupeKey: `hsb-panel:${panelId}`,
        })
        return { ok: true }
      })
    },

    /** The panel's decision, by the head of service or HSB lead: the case goes back to intervention. */
    async decidePanel(user: CurrentUser, caseId: string, form: PanelDecisionInput, requestId: string): Promise<PageOutcome<PanelPage>> {
      const STEP = 'RECORD_PANEL_DECISION'
      return stepFrom(user, caseId, requestId, STEP, loadPanelPage, async (act, page) => {
        if (!page.open)
          return act.refuse(
            new ConflictError('There is no request for the HSB panel waiting for a decision.'),
            refusedStep(act, STEP, 'NO_OPEN_REQUEST'),
          )
        const checked = validatePanelDecision(form, { requestedOn: londonDate(page.open.requestedAt), today: londonDate(now()) })
        if (!checked.ok) return invalid(checked.errors, page)
        if (!(await repo.recordPanelDecision(act.trx, page.open.id, { ...checked.value, decidedBy: user.id, decidedAt: now() }))) {
          return act.refuse(
            new ConflictError('Someone else recorded the panel’s decision first.'),
            refusedStep(act, STEP, 'ALREADY_DECIDED', { panelId: page.open.id }),
          )
        }
        // The panel's decision happened on the panel's date.
        await act.apply(
          STEP,
          { occurredAt: dayOccurredAt(checked.value.panelDate, now()) },
          { panelId: page.open.id, level: checked.value.level },
        )
        return { ok: true }
      })
    },

    async viewClosure(user: CurrentUser, caseId: string, requestId: string): Promise<ClosurePage> {
      return cases.run(user, caseId, requestId, loadClosurePage)
    },

    /** Closes a case where no AIM assessment was decided; open work needs its own reason. */
    async close(user: CurrentUser, caseId: string, form: ClosureInput, requestId: string): Promise<PageOutcome<ClosurePage>> {
      return stepFrom(user, caseId, requestId, 'CLOSE_CASE', loadClosurePage, async (act, page) => {
        const checked = validateClosure(form, page.openWork)
        // When the case closed: every clock still running stops then, "case closed".
        const when = await act.when(form.when)
        if (!checked.ok || !when.ok) return invalid([...(checked.ok ? [] : checked.errors), ...(when.ok ? [] : when.errors)], page)
        const { reason, openWorkReason } = checked.value
        const closedAt = when.value.occurredAt
        await insertClosure(act, { endMeetingId: null, levelOfConcern: null, reason, openWork: page.openWork, openWorkReason, closedAt })
        await act.apply('CLOSE_CASE', { when: when.value }, { openWork: page.openWork.length, reason })
        return { ok: true }
      })
    },
  }
}
export type InterventionsService = ReturnType<typeof interventionsService>
