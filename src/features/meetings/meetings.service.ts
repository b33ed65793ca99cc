import { isPractitioner } from '../../platform/access/roles.js'
import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { formatDateTime } from '../../platform/http/format.js'
import { transaction, type Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM, type FieldError } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.js'
import type { CaseAct, CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, stale, type PageFailure } from '../../platform/http/case-pages.js'
import { caseMeetings, meetingSubject, refuseMeeting, type ArrangeForm, type ArrangeOptions, type ArrangeResult } from './case-meetings.js'
import { latestMeeting } from './meetings.queries.js'
import { meetingsRepository, type MeetingRow } from './meetings.repository.js'
import {
  checkFinalisable,
  invitationOpen,
  sameDraft,
  validateMinutes,
  MAX_TEXT,
  type MinutesDraft,
  type MinutesInput,
} from './meetings.rules.js'
import { loadMeetingPage, mayEditMinutes, savedDraft, type InvitationPage, type MeetingPage } from './meeting-page.js'

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505'

export type { InvitationPage, MeetingPage } from './meeting-page.js'
export type { ArrangeOptions } from './case-meetings.js'

export type MinutesForm = { input: MinutesInput; version: number | null; key: string | null }
export type SaveFailure = PageFailure<MeetingPage>
export type SaveResult = { ok: true } | SaveFailure
export type AddendumResult = { ok: true } | { ok: false; errors: FieldError[]; page: MeetingPage }
type Prepared =
  { kind: 'repeat' } | { kind: 'failed'; failure: SaveFailure } | { kind: 'ready'; draft: MinutesDraft; page: MeetingPage; version: number }

/**
 * How a person stands to a case's strategy meeting: through the case (the access policy), invited
 * by name (or its chair), or only through an invitation to their agency as a whole (which shows
 * that the meeting exists and lets them accept, never its record).
 */
type Standing = {
  meeting: MeetingRow | undefined
  via: 'case' | 'invitation' | 'agency' | null
  /** Invited by name (invited so, or accepted their agency's invitation), or the chair. */
  named: boolean
  /** Their agency is invited as a whole. */
  agency: boolean
}

type Deps = Pick<FeatureDeps, 'db' | 'cases' | 'notifications' | 'now'>

/**
 * Strategy meetings and discussions: arranging one, its minutes (a draft with a version, then
 * finalised and locked), addenda, and who may read it. Professionals invited by name read the
 * meeting through their invitation, without the child's case; members of an agency invited as a
 * whole see only that the meeting exists, and may accept (then they are invited by name). Every
 * read and every change is audited (`meeting:*`); every change to the minutes is also an entry
 * in the case's history.
 */
/** A case the person may open that has no strategy meeting yet (a 404 unless the route says otherwise). */
export class NoMeetingYet extends NotFoundError {}

export function meetingsService(deps: Deps) {
  const { db, cases, now = () => new Date() } = deps
  const repo = meetingsRepository()
  const meetings = caseMeetings({ notifications: deps.notifications, now })

  /** The case's strategy meeting and how this person stands to it (decided while the case is opened, before the read is audited). */
  async function standing(trx: Trx, user: CurrentUser, kase: CaseForAccess, readsChild: boolean): Promise<Standing> {
    const meeting = await latestMeeting(trx, kase.id, 'strategy')
    const shut = kase.isRestricted && !kase.isNamedOnRestriction
    if (!meeting || shut || !isPractitioner(user.roles)) return { meeting, via: readsChild ? 'case' : null, named: false, agency: false }
    const invitation = await repo.invitationOf(trx, meeting.id, user)
    const named = meeting.chairId === user.id || invitation.named
    const via = readsChild ? 'case' : named ? 'invitation' : invitation.agency ? 'agency' : null
    return { meeting, via, named, agency: invitation.agency }
  }

  /** The audit entry of opening the meeting or its invitation: the meeting, the case and how it was opened. */
  const openedAs =
    (action: string, found: () => Standing | null) =>
    (kase: CaseForAccess): AuditSubject => ({
      action: `meeting:${action}`,
      recordType: 'meeting',
      recordId: found()?.meeting?.id ?? null,
      detail: { caseId: kase.id, via: found()?.via ?? null, relationship: kase.relationship },
    })

  /** Loads the meeting for a change to its minutes, refusing (audited) anyone who may not make it. */
  async function forChange(
    act: CaseAct,
    action: 'save-minutes' | 'finalise' | 'addendum',
    form: { key: string | null; version?: number | null },
  ): Promise<MeetingRow> {
    const meeting = await latestMeeting(act.trx, act.kase.id, 'strategy')
    const meetingId = meeting?.id ?? null
    if (action === 'finalise') {
      if (meeting?.chairId !== act.user.id)
        refuseMeeting(act, new ForbiddenError('Only the chair of the meeting can finalise its minutes.'), action, meetingId)
    } else if (!mayEditMinutes(act, meeting)) {
      act.step('EDIT_MEETING_MINUTES', meetingSubject(act.kase, action, meetingId, { status: 403 }))
    }
    if (!meeting) return refuseMeeting(act, new NotFoundError(), action, meetingId)
    if (!form.key || form.version === null) return refuseMeeting(act, new BadRequestError(INCOMPLETE_FORM), action, meetingId)
    return meeting
  }

  /** The checks shared by saving and finalising: a valid draft, the current version, not locked. */
  async function prepareSave(act: CaseAct, meeting: MeetingRow, form: MinutesForm, finalising: boolean): Promise<Prepared> {
    const page = await loadMeetingPage(act, repo, meeting, true)
    const invitees = page.invitations.map((i) => ({ id: i.id, label: i.userName ? `${i.userName} (${i.agencyName})` : i.agencyName }))
    const owners = page.owners.map((o) => o.id)
    if (meeting.status === 'FINALISED') {
      if (meeting.lastSaveKey === form.key) return { kind: 'repeat' }
      return {
        kind: 'failed',
        failure: {
          ok: false,
          status: 409,
          page,
          errors: [{ href: '#addendum', text: 'These minutes are finalised and locked. Add an addendum for anything to add or correct.' }],
        },
      }
    }
    const checked = validateMinutes(form.input, {
      referralReceivedAt: act.kase.referralReceivedAt,
      now: now(),
      invitations: invitees,
      ownerIds: owners,
    })
    const errors = checked.ok ? (finalising ? checkFinalisable(checked.value, invitees) : []) : checked.errors
    if (!checked.ok || errors.length) return { kind: 'failed', failure: invalid(errors, page) }
    if (meeting.version !== form.version) {
      // This same form was saved a moment ago (a double click, or "save" then "finalise"): not someone else's change.
      const ours = meeting.lastSaveKey === form.key && sameDraft(checked.value, savedDraft(page))
      if (!ours) return { kind: 'failed', failure: conflict(page) }
      if (!finalising) return { kind: 'repeat' }
    }
    return { kind: 'ready', draft: checked.value, page, version: meeting.version }
  }

  const conflict = (page: MeetingPage): SaveFailure =>
    stale(
      page,
      'Someone else saved these minutes after you opened them. Your text is kept below: check what is saved now, then save again.',
    )

  async function writeDraft(
    act: CaseAct,
    meeting: MeetingRow,
    draft: MinutesDraft,
    key: string,
    version: number,
    finalise: boolean,
  ): Promise<boolean> {
    const { trx, user } = act
    const saved = await repo.updateMinutes(trx, meeting.id, version, {
      heldAt: draft.heldAt,
      minutes: draft.minutes,
      outcomes: draft.outcomes,
      lastSaveKey: key,
      ...(finalise ? { finalisedBy: user.id, finalisedAt: now() } : {}),
    })
    if (!saved) return false
    await repo.setAttendance(trx, meeting.id, draft.attendance)
    await repo.replaceActions(trx, user.partnershipId, meeting.id, draft.actions)
    return true
  }

  /** Saves the draft, or finalises it: the same checks, and the same answer to a second click. */
  async function save(user: CurrentUser, caseId: string, form: MinutesForm, requestId: string, finalising: boolean): Promise<SaveResult> {
    return cases.run(user, caseId, requestId, async (act): Promise<SaveResult> => {
      const action = finalising ? 'finalise' : 'save-minutes'
      const meeting = await forChange(act, action, form)
      const prepared = await prepareSave(act, meeting, form, finalising)
      if (prepared.kind === 'repeat') return { ok: true }
      if (prepared.kind === 'failed') return prepared.failure
      const { draft } = prepared
      if (!(await writeDraft(act, meeting, draft, form.key!, prepared.version, finalising))) return conflict(prepared.page)
      if (finalising) {
        // The 24-hour clock is met, and the ICPC clock starts, when the meeting was held.
        await act.apply(
          'FINALISE_STRATEGY_MEETING',
          { outcomes: draft.outcomes, occurredAt: draft.heldAt! },
          { meetingId: meeting.id, outcomes: draft.outcomes },
        )
        await act.record(meetingSubject(act.kase, action, meeting.id, { outcomes: draft.outcomes.join(',') }))
      } else {
        await act.note('STRATEGY_MEETING_MINUTES_SAVED', { meetingId: meeting.id, version: meeting.version + 1 })
        await act.record(meetingSubject(act.kase, action, meeting.id, { version: meeting.version + 1 }))
      }
      return { ok: true }
    })
  }

  return {
    async arrangeForm(user: CurrentUser, caseId: string, requestId: string): Promise<ArrangeOptions> {
      return cases.run(user, caseId, requestId, (act) => meetings.arrangeForm(act, 'strategy'))
    },

    async arrange(user: CurrentUser, caseId: string, form: ArrangeForm, requestId: string): Promise<ArrangeResult> {
      try {
        return await cases.run(user, caseId, requestId, (act) => meetings.arrange(act, 'strategy', form))
      } catch (err) {
        // Two copies at the same moment (PostgreSQL): the loser's insert breaks the key's uniqueness,
        // or its case version is stale because the winner moved the case. Send it to the winner's meeting.
        if (!form.key || !(isUniqueViolation(err) || err instanceof ConflictError)) throw err
        const meetingId = await transaction(db, { partnershipId: user.partnershipId }, (trx) => repo.findByKey(trx, caseId, form.key!))
        if (!meetingId) throw err
        return { ok: true, meetingId }
      }
    },

    /**
     * The meeting's record for someone who can read the child, its chair, or someone invited to it
     * by name (even if they cannot read the child's case). An invitation to their agency as a whole
     * does not open it (403): they see the invitation, and the record once they accept it. Audited
     * either way, as a read of the meeting.
     */
    async viewMeeting(user: CurrentUser, caseId: string, requestId: string): Promise<MeetingPage> {
      // Deciding finds the meeting and how it is opened (the case, or an invitation by name), which the read's audit entry names.
      let found: Standing | null = null
      const page = await cases.run(
        user,
        caseId,
        requestId,
        async (act) => (found?.meeting ? loadMeetingPage(act, repo, found.meeting, found.via === 'case') : null),
        {
          denied: 'You do not have access to this meeting.',
          async allowed(kase, readsChild, trx) {
            found = await standing(trx, user, kase, readsChild)
            return found.via === 'case' || found.via === 'invitation'
          },
          read: openedAs('read', () => found),
        },
      )
      // A case with no strategy meeting: the read is recorded, and there is nothing to show.
      if (!page) throw new NoMeetingYet()
      return page
    },

    /**
     * The meeting's invitation: that it exists, when, what kind and which agencies are invited,
     * without the child or the record. For anyone the meeting would open to, and for the members
     * of an agency invited as a whole, who may accept it here. Audited as `meeting:view-invitation`.
     */
    async viewInvitation(user: CurrentUser, caseId: string, requestId: string): Promise<InvitationPage> {
      let found: Standing | null = null
      const page = await cases.run(
        user,
        caseId,
        requestId,
        async (act): Promise<InvitationPage | null> => {
          const s = found!
          if (!s.meeting) return null
          const invitations = await repo.listInvitations(act.trx, s.meeting.id)
          const waiting = s.agency && !s.named
          const open = invitationOpen(s.meeting, now())
          return {
            caseId: act.kase.id,
            kind: s.meeting.kind,
            scheduledFor: s.meeting.scheduledFor,
            chairName: s.meeting.chairName,
            agencies: [...new Set(invitations.map((i) => i.agencyName))],
            opensRecord: s.via === 'case' || s.named,
            canAccept: waiting && open,
            closed: waiting && !open,
          }
        },
        {
          denied: 'You do not have access to this meeting.',
          async allowed(kase, readsChild, trx) {
            found = await standing(trx, user, kase, readsChild)
            return found.via !== null
          },
          read: openedAs('view-invitation', () => found),
        },
      )
      if (!page) throw new NotFoundError()
      return page
    },

    /**
     * Accepting an invitation to one's agency as a whole: the person commits to attend and is
     * invited by name, which opens the meeting's record to them (and only the meeting's, not the
     * child's case). Until the time it was arranged for; audited as `meeting:accept-invitation`.
     */
    async acceptInvitation(user: CurrentUser, caseId: string, requestId: string): Promise<{ ok: true }> {
      let found: Standing | null = null
      return cases.run(
        user,
        caseId,
        requestId,
        async (act): Promise<{ ok: true }> => {
          const s = found!
          const meeting = act.found(s.meeting)
          // Invited by name already (a second click, or the chair): nothing more to accept.
          if (s.named) return { ok: true }
          if (!s.agency)
            refuseMeeting(
              act,
              new ForbiddenError('Your agency has not been invited to this meeting as a whole.'),
              'accept-invitation',
              meeting.id,
            )
          if (!invitationOpen(meeting, now())) {
            refuseMeeting(
              act,
              new ConflictError(
                `This meeting was arranged for ${formatDateTime(meeting.scheduledFor)}: its invitation can no longer be accepted.`,
                [`Ask the chair, ${meeting.chairName}, if you need to know what was decided.`],
              ),
              'accept-invitation',
              meeting.id,
            )
          }
          await repo.acceptInvitation(act.trx, {
            partnershipId: user.partnershipId,
            meetingId: meeting.id,
            agencyId: user.agencyId,
            userId: user.id,
          })
          return { ok: true }
        },
        {
          denied: 'You do not have access to this meeting.',
          async allowed(kase, readsChild, trx) {
            found = await standing(trx, user, kase, readsChild)
            return found.via !== null
          },
          read: openedAs('accept-invitation', () => found),
        },
      )
    },

    async saveMinutes(user: CurrentUser, caseId: string, form: MinutesForm, requestId: string): Promise<SaveResult> {
      return save(user, caseId, form, requestId, false)
    },

    /**
     * Saves the minutes as typed and locks them; stops the 24-hour clock at the time the meeting
     * was held (met or met late), and starts the ICPC clock from then when that is an outcome.
     */
    async finalise(user: CurrentUser, caseId: string, form: MinutesForm, requestId: string): Promise<SaveResult> {
      return save(user, caseId, form, requestId, true)
    },

    /** After the minutes are locked, anything to add or correct is an addendum: appended, never changed. */
    async addAddendum(
      user: CurrentUser,
      caseId: string,
      form: { text: string; key: string | null },
      requestId: string,
    ): Promise<AddendumResult> {
      return cases.run(user, caseId, requestId, async (act): Promise<AddendumResult> => {
        const meeting = await forChange(act, 'addendum', form)
        if (meeting.status !== 'FINALISED') {
          refuseMeeting(
            act,
            new ConflictError('The minutes are not finalised yet.', ['Change the draft minutes instead of adding an addendum.']),
            'addendum',
            meeting.id,
          )
        }
        if (await repo.findAddendumByKey(act.trx, meeting.id, form.key!)) return { ok: true }
        const text = form.text.trim()
        const error = !text
          ? 'Enter the addendum'
          : form.text.length > MAX_TEXT
            ? `The addendum must be ${MAX_TEXT} characters or fewer`
            : null
        if (error) return { ok: false, errors: [{ href: '#addendum', text: error }], page: await loadMeetingPage(act, repo, meeting, true) }
        await repo.insertAddendum(act.trx, {
          partnershipId: act.user.partnershipId,
          meetingId: meeting.id,
          text,
          authorId: act.user.id,
          idempotencyKey: form.key!,
        })
        await act.note('STRATEGY_MEETING_ADDENDUM', { meetingId: meeting.id })
        await act.record(meetingSubject(act.kase, 'addendum', meeting.id))
        return { ok: true }
      })
    },
  }
}
export type MeetingsService = ReturnType<typeof meetingsService>
