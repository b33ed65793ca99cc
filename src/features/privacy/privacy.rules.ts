import { addCalendarDays, type IsoDate } from '../../platform/clocks/london-time.js'
import type { PrivacyAlertKind, PrivacyAlertOutcome } from '../../platform/db/schema.js'
import { checkDate, type DateParts } from '../../platform/forms/dates.js'
import { fieldError, resultOf, type FieldError, type FormResult } from '../../platform/forms/forms.js'

/** The privacy officer's workspace: pure rules (no I/O, no clock). */

export const ALERT_KINDS: readonly PrivacyAlertKind[] = ['BREAK_GLASS', 'RESTRICTED_READ', 'UNUSUAL_VOLUME']
export const OUTCOMES: readonly PrivacyAlertOutcome[] = ['APPROPRIATE', 'FOLLOW_UP', 'BREACH']

export const ALERT_KIND_LABELS: Record<PrivacyAlertKind, string> = {
  BREAK_GLASS: 'Break-glass access',
  RESTRICTED_READ: 'Restricted record opened',
  UNUSUAL_VOLUME: 'Unusual number of records opened',
}

export const OUTCOME_LABELS: Record<PrivacyAlertOutcome, string> = {
  APPROPRIATE: 'Appropriate',
  FOLLOW_UP: 'Needs follow-up',
  BREACH: 'A breach',
}

export const OUTCOME_HINTS: Record<PrivacyAlertOutcome, string> = {
  APPROPRIATE: 'The access was justified. Nothing more to do.',
  FOLLOW_UP: 'You need to ask the person or their manager about it.',
  BREACH: 'The access was not justified: a data protection breach to record and report.',
}

export const ALERT_STATUSES = ['waiting', 'reviewed', 'all'] as const
export type AlertStatus = (typeof ALERT_STATUSES)[number]

/** Alerts and access report entries on one page. */
export const ALERTS_PER_PAGE = 50
export const ENTRIES_PER_PAGE = 100
/** A person's other reads shown with an alert: this long either side of it. */
export const AROUND_MINUTES = 120
/** The access report's default range: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30
export const NOTE_MAX = 2000

export type QueueFilter = { kind: PrivacyAlertKind | null; status: AlertStatus; page: number }

const pageOf = (value: string): number => {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : 1
  return n >= 1 ? n : 1
}

/** The queue's filters from the query string: anything unknown is no filter (waiting alerts by default). */
export function queueFilter(query: { kind: string; status: string; page: string }): QueueFilter {
  const kind = (ALERT_KINDS as readonly string[]).includes(query.kind) ? (query.kind as PrivacyAlertKind) : null
  const status = (ALERT_STATUSES as readonly string[]).includes(query.status) ? (query.status as AlertStatus) : 'waiting'
  return { kind, status, page: pageOf(query.page) }
}

/** The filters as a query string (links to pages keep them). */
export function queueQuery(filter: QueueFilter, page = filter.page): string {
  const params = new URLSearchParams()
  if (filter.kind) params.set('kind', filter.kind)
  params.set('status', filter.status)
  if (page > 1) params.set('page', String(page))
  return params.toString()
}

export type ReviewInput = { outcome: string; note: string; key: string | null }
export type Review = { outcome: PrivacyAlertOutcome; note: string | null; key: string }

/**
 * A review: an outcome, and a note saying why for follow-up or a breach (optional when the
 * access was appropriate). The form's key is checked by the service (a page the person cannot put right).
 */
export function checkReview(input: ReviewInput): FormResult<Omit<Review, 'key'>> {
  const errors: FieldError[] = []
  const outcome = (OUTCOMES as readonly string[]).includes(input.outcome) ? (input.outcome as PrivacyAlertOutcome) : null
  if (!outcome) errors.push(fieldError('outcome', 'Select the outcome of your review'))
  const note = input.note.trim()
  if (outcome && outcome !== 'APPROPRIATE' && !note)
    errors.push(
      fieldError('note', outcome === 'BREACH' ? 'Enter a note saying what the breach was' : 'Enter a note saying what follow-up is needed'),
    )
  if (note.length > NOTE_MAX) errors.push(fieldError('note', `The note must be ${NOTE_MAX} characters or fewer`))
  return resultOf(errors, { outcome: outcome ?? 'APPROPRIATE', note: note || null })
}

export type DateRange = { from: IsoDate; to: IsoDate }
export type RangeInput = { from: DateParts; to: DateParts }

const blank = (p: DateParts) => !p.day.trim() && !p.month.trim() && !p.year.trim()

/**
 * The access report's dates (GOV.UK date inputs in the query string): both blank is the last 30
 * days to `today`; one blank is that end of the default; "from" after "to" is an error.
 */
export function checkRange(input: RangeInput, today: IsoDate): FormResult<DateRange> {
  const errors: FieldError[] = []
  const from = blank(input.from)
    ? { ok: true as const, value: addCalendarDays(today, -(DEFAULT_RANGE_DAYS - 1)) }
    : checkDate(input.from, 'Start date')
  const to = blank(input.to) ? { ok: true as const, value: today } : checkDate(input.to, 'End date')
  if (!from.ok) errors.push(fieldError('from-day', from.message))
  if (!to.ok) errors.push(fieldError('to-day', to.message))
  if (from.ok && to.ok && from.value && to.value && from.value > to.value)
    errors.push(fieldError('to-day', 'End date must be the same as or after the start date'))
  return resultOf(errors, { from: (from.ok && from.value) || today, to: (to.ok && to.value) || today })
}

/** The alert in a sentence: who did what to which record. `when` is already formatted. */
export function alertSentence(a: {
  kind: PrivacyAlertKind
  person: string
  child: string | null
  count: number | null
  when: string
}): string {
  const record = a.child ? `${a.child}’s record` : 'a child’s record'
  switch (a.kind) {
    case 'BREAK_GLASS':
      return `${a.person} opened ${record} through break-glass on ${a.when}.`
    case 'RESTRICTED_READ':
      return `${a.person} opened ${record}, which is restricted, on ${a.when}.`
    case 'UNUSUAL_VOLUME':
      return `${a.person} opened ${a.count === null ? 'an unusual number of' : `${a.count}`} children’s records within an hour, up to ${a.when}.`
  }
}
