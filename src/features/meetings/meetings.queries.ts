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

/** A strategy discussion held before this service, brought in from the council's case system (SSD import). */
export type ImportedStrategyDiscussion = {
  partnershipId: string
  caseId: string
  heldAt: Date
  /** The person who ran the import: recorded as chair and finaliser, since the council's chair is not a person here. */
  importedBy: string
  /** The source row (`s47:<id>`), so importing again adds nothing. */
  sourceKey: string
  note: string
}

/**
 * Imported strategy discussions, finalised as held on their day, in one statement per 500; those
 * a case already has (by source key) are skipped. They count in the dashboard's strategy figures.
 */
export async function importStrategyDiscussions(trx: Trx, rows: readonly ImportedStrategyDiscussion[]): Promise<number> {
  if (rows.length === 0) return 0
  const had = await repo.importedSourceKeys(
    trx,
    rows.map((r) => r.caseId),
  )
  const fresh = rows.filter((r) => !had.has(`${r.caseId}|${r.sourceKey}`))
  for (let at = 0; at < fresh.length; at += 500) await repo.insertImported(trx, fresh.slice(at, at + 500))
  return fresh.length
}
