import { dateInputItems } from '../../platform/forms/dates.js'
import { text, type FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import {
  caseReference,
  ENTRY_TYPES,
  filterQuery,
  recordedLater,
  SHOW_LABELS,
  summaryOf,
  TYPE_LABELS,
  type ChronologyEntry,
  type ChronologyFilter,
  type Show,
} from './chronology.rules.js'
import type { ChronologyView, CuratedFormOptions } from './chronology.service.js'

type Values = Record<string, string | string[]>

/** The protective marking on every copy of a chronology (the page printed, the PDF). */
export const PROTECTIVE_MARKING = 'OFFICIAL-SENSITIVE'

const SHOW_WORDS: Record<Show, string> = {
  significant: 'significant events only',
  usual: 'all events except routine steps',
  all: 'everything, including routine steps',
}

/** What the filter shows, in words (for the page, the print view and the PDF). */
export function describeFilter(filter: ChronologyFilter): string {
  const types = filter.types.length ? filter.types.map((t) => TYPE_LABELS[t].toLowerCase()).join(', ') : 'every kind of entry'
  const agency = filter.agency ? `, involving ${filter.agency}` : ''
  const range =
    filter.from && filter.to
      ? ` from ${formatDate(filter.from)} to ${formatDate(filter.to)}`
      : filter.from
        ? ` from ${formatDate(filter.from)}`
        : filter.to
          ? ` up to ${formatDate(filter.to)}`
          : ''
  return `Showing ${SHOW_WORDS[filter.show]}: ${types}${agency}${range}, ${filter.order === 'newest' ? 'newest' : 'oldest'} first.`
}

/** When it happened: a date, or a date and time. */
export const whenOf = (e: ChronologyEntry) => (e.dateOnly ? formatDate(e.at) : formatDateTime(e.at))

/** Who recorded it, with their agency where known. */
export const whoOf = (e: ChronologyEntry) => (e.by ? (e.agency ? `${e.by} (${e.agency})` : e.by) : '')

/** When it was recorded, if later than it happened, and why it was entered late: '' otherwise. */
export function recordedText(e: ChronologyEntry): string {
  const late = e.lateReason ? `entered late because ${e.lateReason}` : ''
  if (!recordedLater(e)) return late ? `${late[0]!.toUpperCase()}${late.slice(1)}.` : ''
  return `Recorded ${formatDateTime(e.recordedAt)}${late ? `: ${late}` : ''}.`
}

export function presentChronology(view: ChronologyView, query: Values = {}, errors: FieldError[] = []) {
  const { kase, filter } = view
  const qs = filterQuery(filter)
  const agencies = filter.agency && !view.agencies.includes(filter.agency) ? [...view.agencies, filter.agency] : view.agencies
  return {
    pageTitle: 'Chronology',
    caseId: kase.id,
    childName: kase.childName,
    reference: caseReference(kase),
    marking: PROTECTIVE_MARKING,
    errors,
    canAdd: view.canAdd,
    count: view.entries.length,
    total: view.total,
    description: describeFilter(filter),
    printHref: `/cases/${kase.id}/chronology/print${qs}`,
    pdfHref: `/cases/${kase.id}/chronology.pdf${qs}`,
    backHref: `/cases/${kase.id}/chronology${qs}`,
    showItems: (Object.keys(SHOW_LABELS) as Show[]).map((s) => ({ value: s, text: SHOW_LABELS[s], checked: filter.show === s })),
    typeItems: ENTRY_TYPES.map((t) => ({ value: t, text: TYPE_LABELS[t], checked: filter.types.includes(t) })),
    agencyItems: [
      { value: '', text: 'Any agency', selected: !filter.agency },
      ...agencies.map((a) => ({ value: a, text: a, selected: a === filter.agency })),
    ],
    fromItems: dateInputItems('from', query, errors),
    toItems: dateInputItems('to', query, errors),
    orderItems: [
      { value: 'oldest', text: 'Oldest first', checked: filter.order === 'oldest' },
      { value: 'newest', text: 'Newest first', checked: filter.order === 'newest' },
    ],
    /** MoJ timeline items but for their html, which the template makes from `kind`, `significant`, `text` and `recorded`. */
    timeline: view.entries.map((e) => ({
      label: { text: summaryOf(e) },
      byline: e.by ? { text: whoOf(e) } : undefined,
      datetime: { timestamp: e.at.toISOString(), format: e.dateOnly ? 'date' : 'datetime' },
      kind: TYPE_LABELS[e.type],
      significant: e.significance === 'SIGNIFICANT',
      text: e.text,
      recorded: recordedText(e),
      attributes: { 'data-qa': 'chronology-entry', 'data-entry-type': e.type, 'data-significance': e.significance.toLowerCase() },
    })),
    /** The print view's rows: when it happened, what happened (and more), its kind, who recorded it and when. */
    rows: view.entries.map((e) => ({
      when: whenOf(e),
      summary: summaryOf(e),
      text: e.text,
      significant: e.significance === 'SIGNIFICANT',
      kind: TYPE_LABELS[e.type],
      who: whoOf(e),
      recorded: recordedText(e),
    })),
    printed: formatDateTime(view.generatedAt),
  }
}

export function presentCuratedForm(o: CuratedFormOptions, values: Values = {}, errors: FieldError[] = []) {
  const corrects = text(values.corrects)
  return {
    pageTitle: 'Add a chronology entry',
    caseId: o.kase.id,
    childName: o.kase.childName,
    values,
    errors,
    dateItems: dateInputItems('date', values, errors),
    significantItems: [
      {
        value: 'yes',
        text: 'This is a significant event',
        hint: { text: 'Significant events are shown when the chronology is filtered to significant events only.' },
        checked: text(values.significant) === 'yes',
      },
    ],
    correctsItems: [
      { value: '', text: 'None: this is a new entry' },
      ...o.curated.map((c) => ({ value: c.id, text: `${formatDate(c.occurredOn)}: ${c.title}`, selected: c.id === corrects })),
    ],
  }
}
