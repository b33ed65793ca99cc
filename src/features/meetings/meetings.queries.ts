import type { Trx } from '../../platform/db/transaction.js'
import { meetingsRepository, type CaseActionRow, type InvitationRow, type MeetingListRow, type MeetingRow } from './meetings.repository.js'
import { MEETING_TYPES, type MeetingType } from './meetings.rules.js'

/**
 * What other features read of a case's meetings, inside a read or command they are already
 * running on the case (so its access is checked and audited there).
 */
const repo = meetingsRepository()

/** The case's latest meeting of this type (a strategy meeting or discussion, a review or an end meeting). */
export const latestMeeting = (trx: Trx, caseId: string, type: MeetingType): Promise<MeetingRow | undefined> =>
  repo.latest(trx, caseId, MEETING_TYPES[type].kinds)

/** Who was invited to a meeting, by agency and by name, with their attendance. */
export const meetingInvitations = (trx: Trx, meetingId: string): Promise<InvitationRow[]> => repo.listInvitations(trx, meetingId)

/** Every meeting of the case, in the order they were held (or are arranged for). */
export const caseMeetingList = (trx: Trx, caseId: string): Promise<MeetingListRow[]> => repo.listForCase(trx, caseId)

/** Every action of the case's finalised meetings, with whether it was marked done. */
export const caseMeetingActions = (trx: Trx, caseId: string): Promise<CaseActionRow[]> => repo.listCaseActions(trx, caseId)
