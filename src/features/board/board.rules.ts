import type { FieldError } from '../../platform/forms/forms.js'
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
export const isOverdue = (a: { dueOn: string | null; status: BoardActionStatus }, today: string) => a.dueOn !== null && a.dueOn < today && a.status !== 'DONE'

export type DateInput = { day: string; month: string; year: string }

/** A GOV.UK date input as YYYY-MM-DD, or the error to show. */
export function readDateInput(input: DateInput, name: string): { ok: true; value: string | null } | { ok: false; text: string } {
  const [d, m, y] = [input.day.trim(), input.month.trim(), input.year.trim()]
  if (!d && !m && !y) return { ok: true, value: null }
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return { ok: false, text: `${name} must be a real date, like 27 3 2026` }
  const [day, month, year] = [Number(d), Number(m), Number(y)]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (year < 2000 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { ok: false, text: `${name} must be a real date, like 27 3 2026` }
  return { ok: true, value: `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` }
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }
const done = <T>(errors: FieldError[], value: T): Result<T> => (errors.length ? { ok: false, errors } : { ok: true, value })

export type MeetingInput = { title: string; date: DateInput }
export function validateMeeting(input: MeetingInput): Result<{ title: string; meetingDate: string }> {
  const errors: FieldError[] = []
  const title = input.title.trim()
  const date = readDateInput(input.date, 'The date of the meeting')
  if (!date.ok) errors.push({ href: '#date-day', text: date.text })
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
  if (minutes.length > MINUTES_MAX) return { ok: false, errors: [{ href: '#minutes', text: `The minutes must be ${MINUTES_MAX.toLocaleString('en-GB')} characters or fewer` }] }
  return { ok: true, value: minutes }
}

export type ActionInput = { text: string; ownerUserId: string; ownerText: string; due: DateInput; agendaItemId: string }
export type ActionValue = { text: string; ownerUserId: string | null; ownerText: string | null; dueOn: string | null; agendaItemId: string | null }
export function validateAction(input: ActionInput, options: { userIds: readonly string[]; agendaItemIds: readonly string[] }): Result<ActionValue> {
  const errors: FieldError[] = []
  const text = input.text.trim()
  if (!text) errors.push({ href: '#text', text: 'Enter the action' })
  else if (text.length > TEXT_MAX) errors.push({ href: '#text', text: `The action must be ${TEXT_MAX} characters or fewer` })
  const ownerUserId = input.ownerUserId.trim() || null
  const ownerText = input.ownerText.trim() || null
  if (ownerUserId && !options.userIds.includes(ownerUserId)) errors.push({ href: '#ownerUserId', text: 'Choose the owner from the list' })
  else if (!ownerUserId && !ownerText) errors.push({ href: '#ownerUserId', text: 'Choose who owns the action, or type their name or role' })
  else if (ownerText && ownerText.length > TITLE_MAX) errors.push({ href: '#ownerText', text: `The owner must be ${TITLE_MAX} characters or fewer` })
  const due = readDateInput(input.due, 'The due date')
  if (!due.ok) errors.push({ href: '#due-day', text: due.text })
  const agendaItemId = input.agendaItemId.trim() || null
  if (agendaItemId && !options.agendaItemIds.includes(agendaItemId)) errors.push({ href: '#agendaItemId', text: 'Choose an agenda item from the list' })
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
