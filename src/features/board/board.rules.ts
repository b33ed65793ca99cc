import { checkDate, type DateCheck, type DateParts } from '../../platform/forms/dates.js'
import { resultOf as done, type FieldError, type FormResult as Result } from '../../platform/forms/forms.js'
import type { BoardActionStatus } from './board.tables.js'

/** Pure rules for the board's meetings, agenda, minutes and numbered actions: no I/O. */

export const STATUS_LABELS: Record<BoardActionStatus, string> = { OPEN: 'Open', IN_PROGRESS: 'In progress', DONE: 'Done' }
export const STATUSES = Object.keys(STATUS_LABELS) as BoardActionStatus[]
export const isStatus = (v: string): v is BoardActionStatus => (STATUSES as string[]).includes(v)

export const TITLE_MAX = 200
export const TEXT_MAX = 2000
export const MINUTES_MAX = 20_000

/** Board actions are numbered per partnership: BA-001, BA-002, … (BA-1000 after BA-999). */
export const actionNumber = (n: number) => `BA-${String(n).padStart(3, '0')}`

/** Overdue: a due date before today and not done. */
export const isOverdue = (a: { dueOn: string | null; status: BoardActionStatus }, today: string) =>
  a.dueOn !== null && a.dueOn < today && a.status !== 'DONE'

/**
 * A board date from a GOV.UK date input (the forms kit's messages): a real date from 2000 to 2100,
 * or none when left blank.
 */
export function boardDate(parts: DateParts, label: string): DateCheck {
  const checked = checkDate(parts, label, { minYear: 2000 })
  if (checked.ok && checked.value && checked.value > '2100-12-31') return { ok: false, message: `${label} must be a real date` }
  return checked
}

export type MeetingInput = { title: string; date: DateParts }
export function validateMeeting(input: MeetingInput): Result<{ title: string; meetingDate: string }> {
  const errors: FieldError[] = []
  const title = input.title.trim()
  const date = boardDate(input.date, 'The date of the meeting')
  if (!date.ok) errors.push({ href: '#date-day', text: date.message })
  else if (!date.value) errors.push({ href: '#date-day', text: 'Enter the date of the meeting' })
  if (!title) errors.push({ href: '#title', text: 'Enter a title for the meeting' })
  else if (title.length > TITLE_MAX) errors.push({ href: '#title', text: `The title must be ${TITLE_MAX} characters or fewer` })
  return done(errors, { title, meetingDate: date.ok ? (date.value ?? '') : '' })
}

export type AgendaInput = { title: string; reviewId: string }
export function validateAgendaItem(input: AgendaInput, reviewIds: readonly string[]): Result<{ title: string; reviewId: string | null }> {
  const errors: FieldError[] = []
  const title = input.title.trim()
  if (!title) errors.push({ href: '#title', text: 'Enter the agenda item' })
  else if (title.length > TITLE_MAX) errors.push({ href: '#title', text: `The agenda item must be ${TITLE_MAX} characters or fewer` })
  const reviewId = input.reviewId.trim() || null
  if (reviewId && !reviewIds.includes(reviewId)) errors.push({ href: '#reviewId', text: 'Choose a review from the list' })
  return done(errors, { title, reviewId })
}

export function validateMinutes(text: string): Result<string> {
  const minutes = text.replace(/\r\n/g, '\n').trim()
  if (!minutes) return { ok: false, errors: [{ href: '#minutes', text: 'Enter the minutes for this item' }] }
  if (minutes.length > MINUTES_MAX)
    return {
      ok: false,
      errors: [{ href: '#minutes', text: `The minutes must be ${MINUTES_MAX.toLocaleString('en-GB')} characters or fewer` }],
    }
  return { ok: true, value: minutes }
}

export type ActionInput = { text: string; ownerUserId: string; ownerText: string; due: DateParts; agendaItemId: string }
export type ActionValue = {
  text: string
  ownerUserId: string | null
  ownerText: string | null
  dueOn: string | null
  agendaItemId: string | null
}
export function validateAction(
  input: ActionInput,
  options: { userIds: readonly string[]; agendaItemIds: readonly string[] },
): Result<ActionValue> {
  const errors: FieldError[] = []
  const text = input.text.trim()
  if (!text) errors.push({ href: '#text', text: 'Enter the action' })
  else if (text.length > TEXT_MAX) errors.push({ href: '#text', text: `The action must be ${TEXT_MAX} characters or fewer` })
  const ownerUserId = input.ownerUserId.trim() || null
  const ownerText = input.ownerText.trim() || null
  if (ownerUserId && !options.userIds.includes(ownerUserId)) errors.push({ href: '#ownerUserId', text: 'Choose the owner from the list' })
  else if (!ownerUserId && !ownerText) errors.push({ href: '#ownerUserId', text: 'Choose who owns the action, or type their name or role' })
  else if (ownerText && ownerText.length > TITLE_MAX)
    errors.push({ href: '#ownerText', text: `The owner must be ${TITLE_MAX} characters or fewer` })
  const due = boardDate(input.due, 'The due date')
  if (!due.ok) errors.push({ href: '#due-day', text: due.message })
  const agendaItemId = input.agendaItemId.trim() || null
  if (agendaItemId && !options.agendaItemIds.includes(agendaItemId))
    errors.push({ href: '#agendaItemId', text: 'Choose an agenda item from the list' })
  return done(errors, { text, ownerUserId, ownerText: ownerUserId ? null : ownerText, dueOn: due.ok ? due.value : null, agendaItemId })
}

export type ProgressInput = { status: string; note: string }
export function validateProgress(input: ProgressInput): Result<{ status: BoardActionStatus; note: string }> {
  const errors: FieldError[] = []
  const note = input.note.replace(/\r\n/g, '\n').trim()
  if (!isStatus(input.status)) errors.push({ href: '#status', text: 'Choose the status of the action' })
  if (!note) errors.push({ href: '#note', text: 'Enter the progress update' })
  else if (note.length > TEXT_MAX) errors.push({ href: '#note', text: `The update must be ${TEXT_MAX} characters or fewer` })
  return done(errors, { status: input.status as BoardActionStatus, note })
}

/** The link from an agenda item to its review's progress report as at the meeting's date. */
export const reviewReportLink = (reviewId: string, meetingDate: string) => `/reviews/${reviewId}/report?asAt=${meetingDate}`
