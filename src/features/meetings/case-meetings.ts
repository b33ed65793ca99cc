import { PRACTITIONER_ROLES, type Role } from '../../platform/access/roles.js'
import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import { INCOMPLETE_FORM } from '../../platform/forms/forms.js'
import { BadRequestError, ConflictError, type HttpError } from '../../platform/http/errors.js'
import { directory, type AgencyOption, type PersonOption } from '../../platform/organisation/directory.js'
import { hasRoleFor, rolesFor, type CaseAct, type CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, type PageFailure } from '../../platform/http/case-pages.js'
import { latestMeeting } from './meetings.queries.js'
import { meetingsRepository, type MeetingRow } from './meetings.repository.js'
import {
  MEETING_TYPES,
  validateArrangement,
  type ArrangementInput,
  type Attendance,
  type FollowUpType,
  type MeetingType,
} from './meetings.rules.js'

/** What the arrange form offers: the agencies and practitioners who can be invited, and who can chair. */
export type ArrangeOptions = {
  kase: CaseForAccess
  type: MeetingType
  agencies: AgencyOption[]
  people: PersonOption[]
  chairs: PersonOption[]
  /** The roles that may chair this meeting (the roles of its finalise step). */
  chairRoles: readonly Role[]
  defaultChairId: string | null
}
export type ArrangeForm = { input: ArrangementInput; key: string | null }
export type ArrangeResult = { ok: true; meetingId: string } | PageFailure<ArrangeOptions>
/** A review or end meeting's record, checked by the feature whose page records it. */
export type MeetingRecord = {
  version: number
  heldAt: Date
  minutes: Record<string, unknown>
  attendance: Record<string, Attendance | null>
}

/** Meetings are audited as `meeting:<action>` on the meeting (none yet while arranging one is refused). */
export const meetingSubject = (
  kase: CaseForAccess,
  action: string,
  meetingId: string | null,
  detail: Record<string, unknown> = {},
): AuditSubject => ({ action: `meeting:${action}`, recordType: 'meeting', recordId: meetingId, detail: { caseId: kase.id, ...detail } })

/** Refuses a meeting command (the DENIED entry names the meeting and the status shown). */
export function refuseMeeting(act: CaseAct, error: HttpError, action: string, meetingId: string | null): never {
  return act.refuse(error, meetingSubject(act.kase, action, meetingId, { status: error.status }))
}

/**
 * The meetings of a case, for commands already running on it (`cases.run`): arranging a meeting
 * of any type (invitations by agency and name, the chair involved with the child, the case's
 * step, notifications), and recording the meetings after the AIM assessment. The strategy
 * meeting's pages (meetings.service.ts) and the review and end meetings' pages (the interventions
 * feature) both arrange here.
 */
export function caseMeetings({ notifications, now = () => new Date() }: Pick<FeatureDeps, 'notifications' | 'now'>) {
  const repo = meetingsRepository()
  const organisation = directory()

  async function options(act: CaseAct, type: MeetingType): Promise<ArrangeOptions> {
    const { trx, user, kase } = act
    const agencies = await organisation.agencies(trx, user.partnershipId)
    // Only practitioners can be invited: board members, analysts and others see no child's identity.
    const people = await organisation.people(trx, user.partnershipId, PRACTITIONER_ROLES)
    const { finalise } = MEETING_TYPES[type]
    const chairs = people.filter((p) => hasRoleFor(p.roles, finalise))
    let defaultChairId = chairs.some((c) => c.id === user.id) ? user.id : null
    // On the open-case route the allocated team's manager chairs the strategy meeting.
    if (type === 'strategy' && kase.route === 'OPEN_CASE' && kase.allocatedTeamId) {
      const manager = await organisation.teamManagerOf(trx, kase.allocatedTeamId)
      if (manager && chairs.some((c) => c.id === manager)) defaultChairId = manager
    }
    return { kase, type, agencies, people, chairs, chairRoles: rolesFor(finalise), defaultChairId }
  }

  /** Refuses (audited) unless this person may arrange a meeting of this type now and none is arranged already. */
  async function mayArrange(act: CaseAct, type: MeetingType): Promise<void> {
    act.step(MEETING_TYPES[type].schedule, meetingSubject(act.kase, 'arrange', null))
    const existing = await latestMeeting(act.trx, act.kase.id, type)
    if (existing?.status === 'SCHEDULED') {
      const [message, instead] = MEETING_TYPES[type].alreadyArranged
      refuseMeeting(act, new ConflictError(message, [instead]), 'arrange', existing.id)
    }
  }

  return {
    /** The arrange form's choices, for someone who may arrange a meeting of this type now. */
    async arrangeForm(act: CaseAct, type: MeetingType): Promise<ArrangeOptions> {
      await mayArrange(act, type)
      return options(act, type)
    },

    /** Arranges a meeting: a second copy of the same form (its key) finds the meeting the first arranged. */
    async arrange(act: CaseAct, type: MeetingType, form: ArrangeForm): Promise<ArrangeResult> {
      const { trx, user, kase } = act
      const repeat = form.key ? await repo.findByKey(trx, kase.id, form.key) : undefined
      if (repeat) return { ok: true, meetingId: repeat }
      await mayArrange(act, type)
      if (!form.key) return refuseMeeting(act, new BadRequestError(INCOMPLETE_FORM), 'arrange', null)
      const choices = await options(act, type)
      const review = type === 'end' ? await latestMeeting(trx, kase.id, 'review') : undefined
      const checked = validateArrangement(form.input, {
        type,
        referralReceivedAt: kase.referralReceivedAt,
        reviewHeldAt: review?.heldAt ?? null,
        chairIds: choices.chairs.map((c) => c.id),
        agencyIds: choices.agencies.map((a) => a.id),
        people: choices.people,
      })
      if (!checked.ok) return invalid(checked.errors, choices)
      const { kind, scheduledFor, chairId, invitations } = checked.value
      const meetingId = await repo.insertMeeting(trx, {
        partnershipId: user.partnershipId,
        caseId: kase.id,
        kind,
        scheduledFor,
        chairId,
        createdBy: user.id,
        idempotencyKey: form.key,
      })
      await repo.insertInvitations(trx, user.partnershipId, meetingId, invitations)
      // The chair works with the child from now on; invited professionals see only the meeting.
      const chair = choices.people.find((p) => p.id === chairId)!
      await act.involve({ agencyId: chair.agencyId, userId: chairId })
      // A meeting arranged for a time already past (entered afterwards) was arranged by then at the latest.
      const arrangedAt = new Date(Math.min(now().getTime(), scheduledFor.getTime()))
      await act.apply(MEETING_TYPES[type].schedule, { occurredAt: arrangedAt }, { meetingId, kind })
      const named = invitations.flatMap((i) => (i.userId ? [i.userId] : []))
      await notifications.raiseToEach(trx, chairId === user.id ? named : [...named, chairId], {
        partnershipId: user.partnershipId,
        kind: 'MEETING_INVITATION',
        caseId: kase.id,
        meetingId,
        dedupeKey: `invitation:${meetingId}`,
      })
      await act.record(meetingSubject(kase, 'arrange', meetingId, { kind, invitations: invitations.length }))
      return { ok: true, meetingId }
    },

    /**
     * The review or end meeting to record: refuses (audited) someone who may not finalise it now,
     * a meeting not arranged (or already recorded), and a form without its version.
     */
    async forRecord(act: CaseAct, type: FollowUpType, version: number | null): Promise<MeetingRow> {
      const { finalise, name } = MEETING_TYPES[type]
      act.step(finalise, meetingSubject(act.kase, 'finalise', null))
      const meeting = await latestMeeting(act.trx, act.kase.id, type)
      if (!meeting || meeting.status !== 'SCHEDULED') {
        return refuseMeeting(
          act,
          new ConflictError(`The ${name} has not been arranged yet.`, ['Arrange the meeting first, then record it.']),
          'finalise',
          meeting?.id ?? null,
        )
      }
      if (version === null) return refuseMeeting(act, new BadRequestError(INCOMPLETE_FORM), 'finalise', meeting.id)
      return meeting
    },

    /**
     * Records a review or end meeting and locks it, only if nobody has changed it since the
     * record's version (false if someone has): its finalise step moves the case, with the clocks
     * at the time the meeting was held.
     */
    async finalise(
      act: CaseAct,
      type: FollowUpType,
      meeting: MeetingRow,
      record: MeetingRecord,
      detail: Record<string, unknown> = {},
    ): Promise<boolean> {
      const { trx, user } = act
      const saved = await repo.updateMinutes(trx, meeting.id, record.version, {
        heldAt: record.heldAt,
        minutes: record.minutes,
        finalisedBy: user.id,
        finalisedAt: now(),
      })
      if (!saved) return false
      await repo.setAttendance(trx, meeting.id, record.attendance)
      // Audited by the step (`case:FINALISE_…`): `meeting:finalise` is the strategy meeting's minutes.
      await act.apply(MEETING_TYPES[type].finalise, { occurredAt: record.heldAt }, { meetingId: meeting.id, ...detail })
      return true
    },

    /** Marks an action of one of the case's finalised meetings done (the minutes stay locked). */
    async markActionDone(act: CaseAct, actionId: string): Promise<void> {
      await repo.markActionDone(act.trx, { partnershipId: act.user.partnershipId, caseId: act.kase.id, actionId, doneBy: act.user.id })
    },
  }
}
export type CaseMeetings = ReturnType<typeof caseMeetings>
