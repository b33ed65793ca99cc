import { can } from '../../platform/access/policy.js'
import type { Role } from '../../platform/access/roles.js'
import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { transaction, type Db, type Trx } from '../../platform/db/transaction.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import { casesRepository, type CaseForAccess } from '../cases/cases.repository.js'
import { ACTION_RULES, STATUS_LABELS, decide } from '../cases/pathway.rules.js'
import { meetingsRepository, type MeetingRow } from './meetings.repository.js'
import { checkFinalisable, sameDraft, validateArrangement, validateMinutes, MAX_TEXT, type ArrangementInput, type MinutesDraft, type MinutesInput } from './meetings.rules.js'
import { EDITOR_ROLES, loadMeetingPage, savedDraft, type MeetingPage } from './meeting-page.js'

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505'

export type { MeetingPage } from './meeting-page.js'

type Deps = { db: Db; workflow: CaseWorkflow; audit: AuditRepository; now?: () => Date }

const CHAIR_ROLES: readonly string[] = ['TEAM_MANAGER', 'HSB_LEAD']
/**
 * Who an invitation can open a meeting to: practitioners. Board members, analysts and others
 * in an invited agency see no child's identity, invitation or not.
 */
const INVITABLE_ROLES: readonly string[] = ['REFERRER', 'SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD', 'AIM_PRACTITIONER', 'POLICE_OFFICER', 'YOS_OFFICER', 'HEAD_OF_SERVICE']
const isInvitable = (roles: readonly string[]) => roles.some((r) => INVITABLE_ROLES.includes(r))

/** A command refused after the case was loaded: its audit row commits, then the error is shown. */
class Refusal {
  constructor(readonly error: HttpError) {}
}

export type MinutesForm = { input: MinutesInput; version: number | null; key: string | null }
export type SaveFailure = { ok: false; status: 400 | 409; errors: FieldError[]; page: MeetingPage; conflict?: boolean }
export type SaveResult = { ok: true } | SaveFailure
type Prepared = { kind: 'repeat' } | { kind: 'failed'; failure: SaveFailure } | { kind: 'ready'; draft: MinutesDraft; page: MeetingPage; version: number }
export type ArrangeOptions = Awaited<ReturnType<ReturnType<typeof meetingsService>['arrangeForm']>>

/**
 * Strategy meetings and discussions: arranging one, its minutes (a draft with a version, then
 * finalised and locked), addenda, and who may read it. Invited professionals from other agencies
 * read the meeting through their invitation, without the child's case. Every read and every
 * change is audited; every change is also an event in the case's history.
 */
export function meetingsService({ db, workflow, audit, now = () => new Date() }: Deps) {
  const repo = meetingsRepository()
  const cases = casesRepository()

  /** Runs a command on the case (access checked and audited by the workflow); a Refusal is thrown after commit. */
  async function run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
    const out = await workflow.command(user, caseId, requestId, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  async function record(trx: Trx, user: CurrentUser, action: string, recordId: string | null, requestId: string, detail: Record<string, string | number | boolean | null>, allowed = true) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: `meeting:${action}`, recordType: 'meeting', recordId, outcome: allowed ? 'ALLOWED' : 'DENIED', requestId, detail })
  }

  async function refuse(trx: Trx, user: CurrentUser, action: string, kase: CaseForAccess, meeting: MeetingRow | undefined, requestId: string, error: HttpError) {
    await record(trx, user, action, meeting?.id ?? null, requestId, { caseId: kase.id, status: error.status }, false)
    return new Refusal(error)
  }

  const isEditor = (user: CurrentUser, meeting: MeetingRow | undefined) => meeting?.chairId === user.id || user.roles.some((r) => EDITOR_ROLES.includes(r))

  async function event(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: string, detail: Record<string, unknown>) {
    await cases.insertEvent(trx, { partnershipId: user.partnershipId, caseId: kase.id, action, fromStatus: kase.status, toStatus: kase.status, actorId: user.id, detail })
  }

  async function arrangeOptions(trx: Trx, user: CurrentUser, kase: CaseForAccess) {
    const agencies = await repo.listAgencies(trx, user.partnershipId)
    const people = (await repo.listPeople(trx, user.partnershipId)).filter((p) => isInvitable(p.roles))
    const chairs = people.filter((p) => p.roles.some((r) => CHAIR_ROLES.includes(r)))
    let defaultChairId = chairs.some((c) => c.id === user.id) ? user.id : null
    // On the open-case route the allocated team's manager chairs.
    if (kase.route === 'OPEN_CASE' && kase.allocatedTeamId) {
      const manager = await repo.teamManagerOf(trx, kase.allocatedTeamId)
      if (manager && chairs.some((c) => c.id === manager)) defaultChairId = manager
    }
    return { kase, agencies, people, chairs, defaultChairId }
  }

  /** Whether this person may arrange a strategy meeting on this case now: the pathway's words for why not. */
  async function checkCanArrange(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string): Promise<Refusal | null> {
    const decision = decide(kase.status, 'SCHEDULE_STRATEGY_MEETING', user.roles, { route: kase.route })
    const label = ACTION_RULES.SCHEDULE_STRATEGY_MEETING.label
    // The role first: someone who could never arrange one is refused whatever the case's status.
    const mayArrange = (ACTION_RULES.SCHEDULE_STRATEGY_MEETING.roles as readonly string[]).some((r) => user.roles.includes(r as Role))
    if (!mayArrange || (!decision.ok && decision.reason === 'NOT_YOUR_ROLE')) return refuse(trx, user, 'arrange', kase, undefined, requestId, new ForbiddenError('Only a team manager or the HSB lead can arrange a strategy meeting.'))
    if (!decision.ok) {
      const allowed = decision.reason === 'NOT_ALLOWED_NOW' ? decision.allowed.map((a) => `You can: ${ACTION_RULES[a].label}`) : []
      return refuse(trx, user, 'arrange', kase, undefined, requestId, new ConflictError(`This case is “${STATUS_LABELS[kase.status]}”, so “${label}” cannot be done now.`, allowed))
    }
    const existing = await repo.latestStrategyMeeting(trx, kase.id)
    if (existing?.status === 'SCHEDULED') {
      return refuse(trx, user, 'arrange', kase, existing, requestId, new ConflictError('A strategy meeting is already arranged for this case.', ['Record its minutes on the strategy meeting page.']))
    }
    return null
  }

  /** Loads the meeting for a change to its minutes, refusing (audited) anyone who may not make it. */
  async function forChange(trx: Trx, user: CurrentUser, kase: CaseForAccess, action: string, form: { key: string | null; version?: number | null }, requestId: string) {
    const meeting = await repo.latestStrategyMeeting(trx, kase.id)
    const onlyChair = action === 'finalise'
    if (onlyChair ? meeting?.chairId !== user.id : !isEditor(user, meeting)) {
      const message = onlyChair ? 'Only the chair of the meeting can finalise its minutes.' : 'Your role cannot change the minutes of this meeting.'
      return refuse(trx, user, action, kase, meeting, requestId, new ForbiddenError(message))
    }
    if (!meeting) return refuse(trx, user, action, kase, meeting, requestId, new NotFoundError())
    if (!form.key || form.version === null) return refuse(trx, user, action, kase, meeting, requestId, new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
    return meeting
  }

  /** The checks shared by saving and finalising: a valid draft, the current version, not locked. */
  async function prepareSave(trx: Trx, user: CurrentUser, kase: CaseForAccess, meeting: MeetingRow, form: MinutesForm, finalising: boolean): Promise<Prepared> {
    const page = await loadMeetingPage(trx, repo, user, kase, meeting, true)
    const invitees = page.invitations.map((i) => ({ id: i.id, label: i.userName ? `${i.userName} (${i.agencyName})` : i.agencyName }))
    const owners = page.owners.map((o) => o.id)
    if (meeting.status === 'FINALISED') {
      if (meeting.lastSaveKey === form.key) return { kind: 'repeat' }
      return { kind: 'failed', failure: { ok: false, status: 409, page, errors: [{ href: '#addendum', text: 'These minutes are finalised and locked. Add an addendum for anything to add or correct.' }] } }
    }
    const checked = validateMinutes(form.input, { referralReceivedAt: kase.referralReceivedAt, now: now(), invitations: invitees, ownerIds: owners })
    const errors = checked.ok ? (finalising ? checkFinalisable(checked.value, invitees) : []) : checked.errors
    if (!checked.ok || errors.length) return { kind: 'failed', failure: { ok: false, status: 400, errors, page } }
    if (meeting.version !== form.version) {
      // This same form was saved a moment ago (a double click, or "save" then "finalise"): not someone else's change.
      const ours = meeting.lastSaveKey === form.key && sameDraft(checked.value, savedDraft(page))
      if (!ours) return { kind: 'failed', failure: conflict(page) }
      if (!finalising) return { kind: 'repeat' }
    }
    return { kind: 'ready', draft: checked.value, page, version: meeting.version }
  }

  const conflict = (page: MeetingPage): SaveFailure => ({
    ok: false,
    status: 409,
    conflict: true,
    page,
    errors: [{ href: '#conflict', text: 'Someone else saved these minutes after you opened them. Your text is kept below: check what is saved now, then save again.' }],
  })

  async function writeDraft(trx: Trx, user: CurrentUser, meeting: MeetingRow, draft: MinutesDraft, key: string, version: number, finalise: boolean): Promise<boolean> {
    const at = now()
    const saved = await repo.updateMinutes(trx, meeting.id, version, {
      heldAt: draft.heldAt,
      minutes: draft.minutes,
      outcomes: draft.outcomes,
      lastSaveKey: key,
      ...(finalise ? { finalisedBy: user.id, finalisedAt: at } : {}),
    })
    if (!saved) return false
    await repo.setAttendance(trx, meeting.id, draft.attendance)
    await repo.replaceActions(trx, user.partnershipId, meeting.id, draft.actions)
    return true
  }

  async function arrangeOnce(user: CurrentUser, caseId: string, form: { input: ArrangementInput; key: string | null }, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => {
        // A second click of the same form finds the meeting the first one arranged.
        const repeat = form.key ? await repo.findByKey(trx, kase.id, form.key) : undefined
        if (repeat) return { ok: true as const, meetingId: repeat }
        const refusal = await checkCanArrange(trx, user, kase, requestId)
        if (refusal) return refusal
        if (!form.key) return refuse(trx, user, 'arrange', kase, undefined, requestId, new BadRequestError('The form was incomplete. Go back, reload the page and try again.'))
        const options = await arrangeOptions(trx, user, kase)
        const checked = validateArrangement(form.input, {
          referralReceivedAt: kase.referralReceivedAt,
          chairIds: options.chairs.map((c) => c.id),
          agencyIds: options.agencies.map((a) => a.id),
          people: options.people,
        })
        if (!checked.ok) return { ok: false as const, errors: checked.errors, options }
        const { kind, scheduledFor, chairId, invitations } = checked.value
        const meetingId = await repo.insertMeeting(trx, { partnershipId: user.partnershipId, caseId: kase.id, kind, scheduledFor, chairId, createdBy: user.id, idempotencyKey: form.key })
        await repo.insertInvitations(trx, user.partnershipId, meetingId, invitations)
        // The chair works with the child from now on; invited professionals see only the meeting.
        const chair = options.people.find((p) => p.id === chairId)!
        await cases.addInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, agencyId: chair.agencyId, userId: chairId })
        await workflow.apply(trx, user, kase, 'SCHEDULE_STRATEGY_MEETING', {}, requestId, { meetingId, kind })
        const notified = invitations.flatMap((i) => (i.userId ? [i.userId] : []))
        await repo.notifyInvited(trx, user.partnershipId, kase.id, meetingId, chairId === user.id ? notified : [...notified, chairId])
        await record(trx, user, 'arrange', meetingId, requestId, { caseId: kase.id, kind, invitations: invitations.length })
        return { ok: true as const, meetingId }
      })
  }

  return {
    async arrangeForm(user: CurrentUser, caseId: string, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => (await checkCanArrange(trx, user, kase, requestId)) ?? arrangeOptions(trx, user, kase))
    },

    async arrange(user: CurrentUser, caseId: string, form: { input: ArrangementInput; key: string | null }, requestId: string) {
      try {
        return await arrangeOnce(user, caseId, form, requestId)
      } catch (err) {
        // Two copies at the same moment (PostgreSQL): the loser's insert breaks the key's uniqueness,
        // or its case version is stale because the winner moved the case. Send it to the winner's meeting.
        if (!form.key || !(isUniqueViolation(err) || err instanceof ConflictError)) throw err
        const meetingId = await transaction(db, { partnershipId: user.partnershipId }, (trx) => repo.findByKey(trx, caseId, form.key!))
        if (!meetingId) throw err
        return { ok: true as const, meetingId }
      }
    },

    /**
     * The meeting for someone who can read the child, or who was invited to it (by name, or
     * through their agency) even if they cannot read the child's case. Audited either way.
     */
    async viewMeeting(user: CurrentUser, caseId: string, requestId: string): Promise<MeetingPage> {
      const outcome = await transaction(db, { partnershipId: user.partnershipId }, async (trx) => {
        const kase = await cases.findForAccess(trx, caseId, user)
        if (!kase) return { kind: 'not-found' as const }
        const meeting = await repo.latestStrategyMeeting(trx, kase.id)
        const readsCase = can(user, 'child:read', { kind: 'child', ...kase })
        const shut = kase.isRestricted && !kase.isNamedOnRestriction
        const invited = !readsCase && !!meeting && !shut && isInvitable(user.roles) && (meeting.chairId === user.id || (await repo.isInvited(trx, meeting.id, user)))
        const allowed = readsCase || invited
        await record(trx, user, 'read', meeting?.id ?? null, requestId, { caseId: kase.id, via: readsCase ? 'case' : invited ? 'invitation' : null, relationship: kase.relationship }, allowed)
        if (!allowed) return { kind: 'denied' as const }
        if (!meeting) return { kind: 'not-found' as const }
        return { kind: 'ok' as const, page: await loadMeetingPage(trx, repo, user, kase, meeting, readsCase) }
      })
      if (outcome.kind === 'not-found') throw new NotFoundError()
      if (outcome.kind === 'denied') throw new ForbiddenError('You do not have access to this meeting.')
      return outcome.page
    },

    async saveMinutes(user: CurrentUser, caseId: string, form: MinutesForm, requestId: string): Promise<SaveResult> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const meeting = await forChange(trx, user, kase, 'save-minutes', form, requestId)
        if (meeting instanceof Refusal) return meeting
        const prepared = await prepareSave(trx, user, kase, meeting, form, false)
        if (prepared.kind === 'repeat') return { ok: true as const }
        if (prepared.kind === 'failed') return prepared.failure
        if (!(await writeDraft(trx, user, meeting, prepared.draft, form.key!, prepared.version, false))) return conflict(prepared.page)
        await event(trx, user, kase, 'STRATEGY_MEETING_MINUTES_SAVED', { meetingId: meeting.id, version: meeting.version + 1 })
        await record(trx, user, 'save-minutes', meeting.id, requestId, { caseId: kase.id, version: meeting.version + 1 })
        return { ok: true as const }
      })
    },

    /**
     * Saves the minutes as typed and locks them; stops the 24-hour clock at the time the meeting
     * was held (met or met late), and starts the ICPC clock from then when that is an outcome.
     */
    async finalise(user: CurrentUser, caseId: string, form: MinutesForm, requestId: string): Promise<SaveResult> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const meeting = await forChange(trx, user, kase, 'finalise', form, requestId)
        if (meeting instanceof Refusal) return meeting
        const prepared = await prepareSave(trx, user, kase, meeting, form, true)
        if (prepared.kind === 'repeat') return { ok: true as const }
        if (prepared.kind === 'failed') return prepared.failure
        const { draft } = prepared
        const heldAt = draft.heldAt!
        if (!(await writeDraft(trx, user, meeting, draft, form.key!, prepared.version, true))) return conflict(prepared.page)
        // The 24-hour clock is met, and the ICPC clock starts, when the meeting was held.
        await workflow.apply(trx, user, kase, 'FINALISE_STRATEGY_MEETING', { outcomes: draft.outcomes, clocksAt: heldAt }, requestId, { meetingId: meeting.id, outcomes: draft.outcomes })
        await record(trx, user, 'finalise', meeting.id, requestId, { caseId: kase.id, outcomes: draft.outcomes.join(',') })
        return { ok: true as const }
      })
    },

    /** After the minutes are locked, anything to add or correct is an addendum: appended, never changed. */
    async addAddendum(user: CurrentUser, caseId: string, form: { text: string; key: string | null }, requestId: string) {
      return run(user, caseId, requestId, async (trx, kase) => {
        const meeting = await forChange(trx, user, kase, 'addendum', form, requestId)
        if (meeting instanceof Refusal) return meeting
        if (meeting.status !== 'FINALISED') {
          return refuse(trx, user, 'addendum', kase, meeting, requestId, new ConflictError('The minutes are not finalised yet.', ['Change the draft minutes instead of adding an addendum.']))
        }
        if (await repo.findAddendumByKey(trx, meeting.id, form.key!)) return { ok: true as const }
        const text = form.text.trim()
        const error = !text ? 'Enter the addendum' : form.text.length > MAX_TEXT ? `The addendum must be ${MAX_TEXT} characters or fewer` : null
        if (error) return { ok: false as const, errors: [{ href: '#addendum', text: error }], page: await loadMeetingPage(trx, repo, user, kase, meeting, true) }
        await repo.insertAddendum(trx, { partnershipId: user.partnershipId, meetingId: meeting.id, text, authorId: user.id, idempotencyKey: form.key! })
        await event(trx, user, kase, 'STRATEGY_MEETING_ADDENDUM', { meetingId: meeting.id })
        await record(trx, user, 'addendum', meeting.id, requestId, { caseId: kase.id })
        return { ok: true as const }
      })
    },
  }
}
export type MeetingsService = ReturnType<typeof meetingsService>
