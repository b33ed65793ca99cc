import type { CurrentUser } from '../../platform/auth/current-user.js'
import type { Trx } from '../../platform/db/transaction.js'
import { BadRequestError, ConflictError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { CLOCK_LABELS } from '../cases/cases.presenter.js'
import { casesRepository, type CaseForAccess } from '../cases/cases.repository.js'
import type { CaseAction } from '../cases/pathway.rules.js'
import type { FeatureDeps } from '../feature-module.js'
import { meetingsRepository, type InvitationRow } from '../meetings/meetings.repository.js'
import { validateArrangement, type ArrangementInput } from '../meetings/meetings.rules.js'
import { interventionSteps, mayTake, Refusal } from './intervention-steps.js'
import { interventionsRepository, type InterventionMeetingKind, type InterventionMeetingRow, type PlanRow } from './interventions.repository.js'
import { checkEndMeetingDate, checkOpenWork, describeOpenWork, openGoals, readGoals, validateEnd, validateReview, type EndInput, type ReviewInput } from './interventions.rules.js'

const CHAIR_ROLES: readonly string[] = ['TEAM_MANAGER', 'HSB_LEAD']
const INVITABLE_ROLES: readonly string[] = ['REFERRER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD', 'AIM_PRACTITIONER', 'POLICE_OFFICER', 'YOS_OFFICER', 'HEAD_OF_SERVICE']

export type MeetingType = 'review' | 'end'
const KIND: Record<MeetingType, InterventionMeetingKind> = { review: 'REVIEW_STRATEGY_MEETING', end: 'END_MEETING' }
const SCHEDULE: Record<MeetingType, CaseAction> = { review: 'SCHEDULE_REVIEW_MEETING', end: 'SCHEDULE_END_MEETING' }
const FINALISE: Record<MeetingType, CaseAction> = { review: 'FINALISE_REVIEW_MEETING', end: 'FINALISE_END_MEETING' }

export type InterventionMeetingPage = {
  type: MeetingType
  kase: CaseForAccess
  meeting: InterventionMeetingRow | null
  invitations: InvitationRow[]
  /** For the end meeting: what is still open on the case, and the review meeting's date. */
  openWork: string[]
  reviewHeldAt: Date | null
  access: { canArrange: boolean; canRecord: boolean }
}
export type RecordFailure = { ok: false; status: 400 | 409; errors: FieldError[]; page: InterventionMeetingPage; conflict?: boolean }

/** Review and end meetings: arranged like the strategy meeting (invitations, notifications), then recorded and finalised. */
export function interventionMeetingsService(deps: FeatureDeps) {
  const now = deps.now ?? (() => new Date())
  const repo = interventionsRepository()
  const meetings = meetingsRepository()
  const cases = casesRepository()
  const steps = interventionSteps(deps)

  async function arrangeOptions(trx: Trx, user: CurrentUser, kase: CaseForAccess) {
    const agencies = await meetings.listAgencies(trx, user.partnershipId)
    const people = (await meetings.listPeople(trx, user.partnershipId)).filter((p) => p.roles.some((r) => INVITABLE_ROLES.includes(r)))
    const chairs = people.filter((p) => p.roles.some((r) => CHAIR_ROLES.includes(r)))
    return { kase, agencies, people, chairs, defaultChairId: chairs.some((c) => c.id === user.id) ? user.id : null }
  }

  async function openWorkOf(trx: Trx, caseId: string, plan: PlanRow | undefined): Promise<string[]> {
    const clocks = await repo.openClocks(trx, caseId)
    const actions = (await repo.listCaseActions(trx, caseId)).filter((a) => !a.doneAt)
    const goals = plan ? openGoals(readGoals((await repo.listPlanVersions(trx, plan.id))[0]?.goals)) : []
    return describeOpenWork({ openClocks: clocks.map((k) => CLOCK_LABELS[k as keyof typeof CLOCK_LABELS] ?? k), openActions: actions.map((a) => a.id), openGoals: goals.map((g) => g.text) })
  }

  async function loadPage(trx: Trx, user: CurrentUser, kase: CaseForAccess, type: MeetingType): Promise<InterventionMeetingPage> {
    const meeting = (await repo.latestMeeting(trx, kase.id, KIND[type])) ?? null
    const invitations = meeting ? await meetings.listInvitations(trx, meeting.id) : []
    const review = type === 'end' ? await repo.latestMeeting(trx, kase.id, KIND.review) : undefined
    const openWork = type === 'end' ? await openWorkOf(trx, kase.id, await repo.findPlan(trx, kase.id)) : []
    const scheduled = meeting?.status === 'SCHEDULED'
    return {
      type,
      kase,
      meeting,
      invitations,
      openWork,
      reviewHeldAt: review?.heldAt ?? null,
      access: { canArrange: !scheduled && mayTake(user, kase, SCHEDULE[type]), canRecord: scheduled && mayTake(user, kase, FINALISE[type]) },
    }
  }

  async function checkCanArrange(trx: Trx, user: CurrentUser, kase: CaseForAccess, type: MeetingType, requestId: string) {
    const refusal = await steps.check(trx, user, kase, SCHEDULE[type], requestId)
    if (refusal) return refusal
    const existing = await repo.latestMeeting(trx, kase.id, KIND[type])
    if (existing?.status === 'SCHEDULED') {
      const what = type === 'review' ? 'A review meeting' : 'An end meeting'
      return steps.refuse(trx, user, SCHEDULE[type], kase, requestId, new ConflictError(`${what} is already arranged for this case.`, ['Record it on its meeting page.']))
    }
    return null
  }

  /** The checks before recording: the step, a meeting arranged and not yet finalised, a whole form. */
  async function forRecord(trx: Trx, user: CurrentUser, kase: CaseForAccess, type: MeetingType, version: number | null, requestId: string): Promise<InterventionMeetingRow | Refusal> {
    const refusal = await steps.check(trx, user, kase, FINALISE[type], requestId)
    if (refusal) return refusal
    const meeting = await repo.latestMeeting(trx, kase.id, KIND[type])
    const fail = (e: HttpError) => steps.refuse(trx, user, FINALISE[type], kase, requestId, e)
    if (!meeting || meeting.status !== 'SCHEDULED') return fail(new ConflictError(`The ${type === 'review' ? 'review' : 'end'} meeting has not been arranged yet.`, ['Arrange the meeting first, then record it.']))
    if (version === null) return fail(new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
    return meeting
  }

  const conflict = (page: InterventionMeetingPage): RecordFailure => ({
    ok: false,
    status: 409,
    conflict: true,
    page,
    errors: [{ href: '#conflict', text: 'Someone else changed this meeting after you opened it. Your text is kept below: check the meeting, then try again.' }],
  })

  return {
    async arrangeForm(user: CurrentUser, caseId: string, type: MeetingType, requestId: string) {
      return steps.run(user, caseId, requestId, async (trx, kase) => (await checkCanArrange(trx, user, kase, type, requestId)) ?? arrangeOptions(trx, user, kase))
    },

    async arrange(user: CurrentUser, caseId: string, type: MeetingType, form: { input: ArrangementInput; key: string | null }, requestId: string) {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const repeat = form.key ? await meetings.findByKey(trx, kase.id, form.key) : undefined
        if (repeat) return { ok: true as const, meetingId: repeat }
        const refusal = await checkCanArrange(trx, user, kase, type, requestId)
        if (refusal) return refusal
        if (!form.key) return steps.refuse(trx, user, SCHEDULE[type], kase, requestId, new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
        const options = await arrangeOptions(trx, user, kase)
        // The strategy meeting's checks (date, time, chair, invitations); the kind is ours.
        const checked = validateArrangement({ ...form.input, kind: 'STRATEGY_MEETING' }, {
          referralReceivedAt: kase.referralReceivedAt,
          chairIds: options.chairs.map((c) => c.id),
          agencyIds: options.agencies.map((a) => a.id),
          people: options.people,
        })
        const review = type === 'end' ? await repo.latestMeeting(trx, kase.id, KIND.review) : undefined
        const order = checked.ok ? checkEndMeetingDate(checked.value.scheduledFor, review?.heldAt ?? null) : []
        if (!checked.ok || order.length) return { ok: false as const, errors: checked.ok ? order : checked.errors, options }
        const { scheduledFor, chairId, invitations } = checked.value
        const kind = KIND[type]
        const meetingId = await repo.insertMeeting(trx, { partnershipId: user.partnershipId, caseId: kase.id, kind, scheduledFor, chairId, createdBy: user.id, idempotencyKey: form.key })
        await meetings.insertInvitations(trx, user.partnershipId, meetingId, invitations)
        const chair = options.people.find((p) => p.id === chairId)!
        await cases.addInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, agencyId: chair.agencyId, userId: chairId })
        await deps.workflow.apply(trx, user, kase, SCHEDULE[type], {}, requestId, { meetingId, kind })
        const notified = invitations.flatMap((i) => (i.userId ? [i.userId] : []))
        await meetings.notifyInvited(trx, user.partnershipId, kase.id, meetingId, chairId === user.id ? notified : [...notified, chairId])
        await steps.record(trx, user, SCHEDULE[type], kase, requestId, { meetingId, invitations: invitations.length })
        return { ok: true as const, meetingId }
      })
    },

    async viewMeeting(user: CurrentUser, caseId: string, type: MeetingType, requestId: string): Promise<InterventionMeetingPage> {
      return steps.run(user, caseId, requestId, (trx, kase) => loadPage(trx, user, kase, type))
    },

    /** Records the review meeting and its intervention plan, locks the minutes, and moves the case to intervention. */
    async recordReview(user: CurrentUser, caseId: string, form: { input: ReviewInput; version: number | null }, requestId: string): Promise<{ ok: true } | RecordFailure> {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const meeting = await forRecord(trx, user, kase, 'review', form.version, requestId)
        if (meeting instanceof Refusal) return meeting
        const page = await loadPage(trx, user, kase, 'review')
        const checked = validateReview(form.input, { referralReceivedAt: kase.referralReceivedAt, scheduledFor: meeting.scheduledFor, now: now(), invitationIds: page.invitations.map((i) => i.id) })
        if (!checked.ok) return { ok: false as const, status: 400 as const, errors: checked.errors, page }
        if (meeting.version !== form.version) return conflict(page)
        const { heldAt, attendance, minutes, goals } = checked.value
        if (!(await repo.finaliseMeeting(trx, meeting.id, form.version!, { heldAt, minutes, finalisedBy: user.id, finalisedAt: now() }))) return conflict(page)
        await repo.setAttendance(trx, meeting.id, attendance)
        await repo.insertPlan(trx, { partnershipId: user.partnershipId, caseId: kase.id, reviewMeetingId: meeting.id, goals, createdBy: user.id })
        await deps.workflow.apply(trx, user, kase, 'FINALISE_REVIEW_MEETING', { clocksAt: heldAt }, requestId, { meetingId: meeting.id, goals: goals.length })
        await steps.record(trx, user, 'FINALISE_REVIEW_MEETING', kase, requestId, { meetingId: meeting.id, goals: goals.length })
        return { ok: true as const }
      })
    },

    /** Records the end meeting and closes the case; anything still open needs its own reason. */
    async recordEnd(user: CurrentUser, caseId: string, form: { input: EndInput; version: number | null }, requestId: string): Promise<{ ok: true } | RecordFailure> {
      return steps.run(user, caseId, requestId, async (trx, kase) => {
        const meeting = await forRecord(trx, user, kase, 'end', form.version, requestId)
        if (meeting instanceof Refusal) return meeting
        const page = await loadPage(trx, user, kase, 'end')
        const facts = { referralReceivedAt: kase.referralReceivedAt, scheduledFor: meeting.scheduledFor, now: now(), invitationIds: page.invitations.map((i) => i.id), reviewHeldAt: page.reviewHeldAt }
        const checked = validateEnd(form.input, facts)
        const errors = checked.ok ? checkOpenWork(page.openWork, checked.value.openWorkReason) : checked.errors
        if (!checked.ok || errors.length) return { ok: false as const, status: 400 as const, errors, page }
        if (meeting.version !== form.version) return conflict(page)
        const { heldAt, attendance, workDone, level, reason, openWorkReason } = checked.value
        const minutes = { workDone, levelOfConcern: level, closureReason: reason, openWorkReason }
        if (!(await repo.finaliseMeeting(trx, meeting.id, form.version!, { heldAt, minutes, finalisedBy: user.id, finalisedAt: now() }))) return conflict(page)
        await repo.setAttendance(trx, meeting.id, attendance)
        await repo.insertClosure(trx, { partnershipId: user.partnershipId, caseId: kase.id, endMeetingId: meeting.id, route: 'END_MEETING', levelOfConcern: level, reason, openWork: page.openWork, openWorkReason: page.openWork.length ? openWorkReason : null, closedBy: user.id })
        await deps.workflow.apply(trx, user, kase, 'FINALISE_END_MEETING', { clocksAt: heldAt }, requestId, { meetingId: meeting.id, levelOfConcern: level, openWork: page.openWork.length })
        await steps.record(trx, user, 'FINALISE_END_MEETING', kase, requestId, { meetingId: meeting.id, openWork: page.openWork.length })
        return { ok: true as const }
      })
    },

    openWorkOf,
  }
}
export type InterventionMeetingsService = ReturnType<typeof interventionMeetingsService>
