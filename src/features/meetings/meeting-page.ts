import type { CaseAct, CaseForAccess } from '../cases/index.js'
import type { ActionRow, AddendumRow, InvitationRow, MeetingRow, MeetingsRepository } from './meetings.repository.js'
import { isOutcome, readMinutes, type MeetingKind, type MinutesDraft } from './meetings.rules.js'

export type MeetingAccess = {
  /** May read the child's case (otherwise here through an invitation). */
  readsCase: boolean
  isChair: boolean
  canEdit: boolean
  canFinalise: boolean
  canAddAddendum: boolean
}

export type MeetingPage = {
  kase: CaseForAccess
  meeting: MeetingRow
  invitations: InvitationRow[]
  actions: ActionRow[]
  addenda: AddendumRow[]
  /** People an action can be given to: those invited by name, the chair, the allocated worker. */
  owners: { id: string; displayName: string }[]
  access: MeetingAccess
}

/** What the invitation shows: that the meeting exists, when, what kind and who is invited; nothing of the child or the record. */
export type InvitationPage = {
  caseId: string
  kind: MeetingKind
  scheduledFor: Date
  chairName: string
  /** The agencies invited, as a whole or through a person. */
  agencies: string[]
  /** The meeting's record opens to this person (they read the case, chair the meeting or are invited by name). */
  opensRecord: boolean
  /** Their agency is invited as a whole, they are not named yet, and it can still be accepted. */
  canAccept: boolean
  /** Their agency is invited as a whole, they are not named, and it is too late to accept. */
  closed: boolean
}

/** Whether this person may change the meeting's minutes: its chair, or a role the pathway lets change any meeting's minutes. */
export const mayEditMinutes = (act: CaseAct, meeting: MeetingRow | undefined): boolean =>
  meeting?.chairId === act.user.id || act.may('EDIT_MEETING_MINUTES')

/**
 * Everything the meeting page shows, in four statements whatever the meeting's size. Editing is
 * for the chair and for the roles that may change minutes (EDIT_MEETING_MINUTES), who can read the case.
 */
export async function loadMeetingPage(
  act: CaseAct,
  repo: MeetingsRepository,
  meeting: MeetingRow,
  readsCase: boolean,
): Promise<MeetingPage> {
  const { trx, user, kase } = act
  const invitations = await repo.listInvitations(trx, meeting.id)
  const actions = await repo.listActions(trx, meeting.id)
  const addenda = await repo.listAddenda(trx, meeting.id)
  const isChair = meeting.chairId === user.id
  const editor = readsCase && mayEditMinutes(act, meeting)
  const open = meeting.status === 'SCHEDULED'
  const owners = new Map<string, string>()
  for (const i of invitations) if (i.userId && i.userName) owners.set(i.userId, i.userName)
  owners.set(meeting.chairId, meeting.chairName)
  if (kase.allocatedUserId && kase.allocatedUserName) owners.set(kase.allocatedUserId, kase.allocatedUserName)
  for (const a of actions) if (a.ownerUserId && a.ownerName) owners.set(a.ownerUserId, a.ownerName)
  return {
    kase,
    meeting,
    invitations,
    actions,
    addenda,
    owners: [...owners].map(([id, displayName]) => ({ id, displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    access: { readsCase, isChair, canEdit: editor && open, canFinalise: readsCase && isChair && open, canAddAddendum: editor && !open },
  }
}

/** What is saved now, in the shape a save writes: to recognise a second click of the same save. */
export function savedDraft(page: MeetingPage): MinutesDraft {
  return {
    heldAt: page.meeting.heldAt,
    attendance: Object.fromEntries(page.invitations.map((i) => [i.id, i.attendance === 'INVITED' ? null : i.attendance])),
    minutes: readMinutes(page.meeting.minutes),
    outcomes: page.meeting.outcomes.filter(isOutcome),
    actions: page.actions.map((a) => ({
      text: a.text,
      ownerUserId: a.ownerUserId,
      ownerText: a.ownerText,
      dueOn: a.dueOn ? a.dueOn.toISOString().slice(0, 10) : null,
    })),
  }
}
