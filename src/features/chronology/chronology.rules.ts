import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { checkDate, datePartsOf, partsOfIsoDate, type DateParts } from '../../platform/forms/dates.js'
import { fields, text, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import { eventLabel } from '../cases/index.js'

/**
 * The case's chronology: entries from its history, meetings, the criminal process and what
 * practitioners add, merged in time order, filtered by type and date. Pure: no I/O.
 */

export const ENTRY_TYPES = ['EVENT', 'MEETING', 'CRIMINAL_PROCESS', 'CURATED'] as const
export type EntryType = (typeof ENTRY_TYPES)[number]

export const TYPE_LABELS: Record<EntryType, string> = {
  EVENT: 'Pathway steps',
  MEETING: 'Meetings',
  CRIMINAL_PROCESS: 'Criminal process',
  CURATED: 'Entries added by practitioners',
}

export type ChronologyEntry = {
  type: EntryType
  /** When it happened; a date-only entry is at the start of its UK day. */
  at: Date
  dateOnly: boolean
  title: string
  text: string
  by: string | null
  /** Order within its source (to keep entries at the same moment in the order they were made). */
  seq: number
}

export type Order = 'oldest' | 'newest'
export type ChronologyFilter = { types: EntryType[]; from: IsoDate | null; to: IsoDate | null; order: Order }

/** What each step on the pathway reads as in a chronology (what happened); other actions fall back to the case page's labels. */
const CHRONOLOGY_LABELS: Record<string, string> = {
  DECIDE_AIM_ASSESSMENT: 'Decided to carry out an AIM assessment',
  DECIDE_NO_AIM_ASSESSMENT: 'Decided not to carry out an AIM assessment',
  HOLD_AIM_STRATEGY_DISCUSSION: 'AIM strategy discussion held',
  NAME_CO_ASSESSORS: 'Co-assessors named',
  RECORD_ASSESSMENT_WORK: 'AIM assessment work recorded',
  EXTEND_AIM_ASSESSMENT: 'AIM assessment extended for court directions',
  SIGN_OFF_ASSESSMENT: 'AIM assessment signed off by a co-assessor',
  COMPLETE_ASSESSMENT: 'AIM assessment completed',
  SCHEDULE_REVIEW_MEETING: 'Review meeting arranged',
  FINALISE_REVIEW_MEETING: 'Review meeting finalised with an intervention plan',
  UPDATE_INTERVENTION_PLAN: 'Intervention plan updated',
  REQUEST_HSB_PANEL: 'HSB panel requested from the head of service',
  RECORD_PANEL_DECISION: 'HSB panel’s decision recorded',
  SCHEDULE_END_MEETING: 'End meeting arranged',
  FINALISE_END_MEETING: 'End meeting finalised and case closed',
  CLOSE_CASE: 'Case closed',
  RECORD_CRIMINAL_PROCESS: 'Criminal process recorded',
}

export function chronologyLabel(action: string): string {
  return CHRONOLOGY_LABELS[action] ?? eventLabel(action)
}

export const MEETING_LABELS: Record<string, string> = {
  STRATEGY_MEETING: 'Strategy meeting held',
  STRATEGY_DISCUSSION: 'Strategy discussion held',
  REVIEW_STRATEGY_MEETING: 'Review meeting held',
  HSB_PANEL: 'HSB panel held',
  END_MEETING: 'End meeting held',
}

const TYPE_ORDER: Record<EntryType, number> = { CURATED: 0, CRIMINAL_PROCESS: 1, MEETING: 2, EVENT: 3 }

/** Merges entries in time order (oldest first, or newest first), stable within the same moment. */
export function sortEntries(entries: readonly ChronologyEntry[], order: Order = 'oldest'): ChronologyEntry[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.seq - b.seq)
  return order === 'newest' ? sorted.reverse() : sorted
}

export function applyFilter(entries: readonly ChronologyEntry[], filter: ChronologyFilter): ChronologyEntry[] {
  const kept = entries.filter((e) => {
    if (filter.types.length && !filter.types.includes(e.type)) return false
    const day = londonDate(e.at)
    if (filter.from && day < filter.from) return false
    if (filter.to && day > filter.to) return false
    return true
  })
  return sortEntries(kept, filter.order)
}

type Query = Record<string, unknown>
/** Dates in a chronology are this century: a year before 2000 is a typing mistake. */
const DATES = { minYear: 2000 } as const

/** Reads the filter from the query string; unknown types are ignored, bad dates are errors. */
export function parseFilter(query: Query): { filter: ChronologyFilter; errors: FieldError[] } {
  const errors: FieldError[] = []
  const types = fields(query, 'type').filter((t): t is EntryType => (ENTRY_TYPES as readonly string[]).includes(t))
  const from = checkDate(datePartsOf(query, 'from'), 'The ‘from’ date', DATES)
  const to = checkDate(datePartsOf(query, 'to'), 'The ‘to’ date', DATES)
  if (!from.ok) errors.push({ href: '#from-day', text: from.message })
  if (!to.ok) errors.push({ href: '#to-day', text: to.message })
  const fromDate = from.ok ? from.value : null
  const toDate = to.ok ? to.value : null
  if (fromDate && toDate && toDate < fromDate)
    errors.push({ href: '#to-day', text: 'The ‘to’ date must be the same as or after the ‘from’ date' })
  const order: Order = text(query.order) === 'newest' ? 'newest' : 'oldest'
  return { filter: { types: [...new Set(types)], from: errors.length ? null : fromDate, to: errors.length ? null : toDate, order }, errors }
}

/** The filter as a query string, for the print and PDF links. */
export function filterQuery(filter: ChronologyFilter): string {
  const q = new URLSearchParams()
  for (const t of filter.types) q.append('type', t)
  const add = (id: string, date: IsoDate | null) => {
    if (!date) return
    const { day, month, year } = partsOfIsoDate(date)
    q.append(`${id}-day`, day)
    q.append(`${id}-month`, month)
    q.append(`${id}-year`, year)
  }
  add('from', filter.from)
  add('to', filter.to)
  if (filter.order === 'newest') q.append('order', 'newest')
  const s = q.toString()
  return s ? `?${s}` : ''
}

export const MAX_TITLE = 200
export const MAX_TEXT = 5000

export type CuratedInput = { date: DateParts; title: string; text: string; corrects: string }
export type CuratedDraft = { occurredOn: IsoDate; title: string; text: string; correctsEntryId: string | null }

/** A practitioner's entry: a real date not in the future, a title and text; a correction names an existing entry. */
export function validateCurated(input: CuratedInput, facts: { today: IsoDate; entryIds: readonly string[] }): FormResult<CuratedDraft> {
  const errors: FieldError[] = []
  const date = checkDate(input.date, 'The date', DATES)
  let occurredOn: IsoDate | null = null
  if (!date.ok) errors.push({ href: '#date-day', text: date.message })
  else if (date.value === null) errors.push({ href: '#date-day', text: 'Enter the date it happened' })
  else if (date.value > facts.today) errors.push({ href: '#date-day', text: 'The date must be today or in the past' })
  else occurredOn = date.value
  const title = input.title.trim()
  if (!title) errors.push({ href: '#title', text: 'Enter a title' })
  else if (title.length > MAX_TITLE) errors.push({ href: '#title', text: `The title must be ${MAX_TITLE} characters or fewer` })
  const happened = input.text.trim()
  if (!happened) errors.push({ href: '#text', text: 'Enter what happened' })
  else if (happened.length > MAX_TEXT) errors.push({ href: '#text', text: `What happened must be ${MAX_TEXT} characters or fewer` })
  const corrects = input.corrects.trim().toLowerCase()
  if (corrects && !facts.entryIds.includes(corrects)) errors.push({ href: '#corrects', text: 'Select an entry from the list, or none' })
  if (errors.length || occurredOn === null) return { ok: false, errors }
  return { ok: true, value: { occurredOn, title, text: happened, correctsEntryId: corrects || null } }
}
