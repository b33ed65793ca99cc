import { dateInputItems } from '../../platform/forms/dates.js'
import { text, type FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import { ENTRY_TYPES, filterQuery, TYPE_LABELS, type ChronologyEntry, type ChronologyFilter } from './chronology.rules.js'
import type { ChronologyView, CuratedFormOptions } from './chronology.service.js'

type Values = Record<string, string | string[]>

/** What the filter shows, in words (for the page, the print view and the PDF). */
export function describeFilter(filter: ChronologyFilter): string {
  const types = filter.types.length ? filter.types.map((t) => TYPE_LABELS[t].toLowerCase()).join(', ') : 'every kind of entry'
  const range =
    filter.from && filter.to
      ? ` from ${formatDate(filter.from)} to ${formatDate(filter.to)}`
      : filter.from
        ? ` from ${formatDate(filter.from)}`
        : filter.to
          ? ` up to ${formatDate(filter.to)}`
          : ''
  return `Showing ${types}${range}, ${filter.order === 'newest' ? 'newest' : 'oldest'} first.`
}

const when = (e: ChronologyEntry) => (e.dateOnly ? formatDate(e.at) : formatDateTime(e.at))

export function presentChronology(view: ChronologyView, query: Values = {}, errors: FieldError[] = []) {
  const { kase, filter } = view
  const qs = filterQuery(filter)
  return {
    pageTitle: 'Chronology',
    caseId: kase.id,
    childName: kase.childName,
    errors,
    canAdd: view.canAdd,
    count: view.entries.length,
    total: view.total,
    description: describeFilter(filter),
    printHref: `/cases/${kase.id}/chronology/print${qs}`,
    pdfHref: `/cases/${kase.id}/chronology.pdf${qs}`,
    typeItems: ENTRY_TYPES.map((t) => ({ value: t, text: TYPE_LABELS[t], checked: filter.types.includes(t) })),
    fromItems: dateInputItems('from', query, errors),
    toItems: dateInputItems('to', query, errors),
    orderItems: [
      { value: 'oldest', text: 'Oldest first', checked: filter.order === 'oldest' },
      { value: 'newest', text: 'Newest first', checked: filter.order === 'newest' },
    ],
    /** MoJ timeline items but for their html, which the template makes from `kind` and `text`. */
    timeline: view.entries.map((e) => ({
      label: { text: e.title },
      byline: e.by ? { text: e.by } : undefined,
      datetime: { timestamp: e.at.toISOString(), format: e.dateOnly ? 'date' : 'datetime' },
      kind: TYPE_LABELS[e.type],
      text: e.text,
      attributes: { 'data-qa': 'chronology-entry', 'data-entry-type': e.type },
    })),
    rows: view.entries.map((e) => [
      { text: when(e) },
      { text: TYPE_LABELS[e.type] },
      { text: e.title },
      { text: e.by ?? '' },
      { text: e.text },
    ]),
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
    correctsItems: [
      { value: '', text: 'None: this is a new entry' },
      ...o.curated.map((c) => ({ value: c.id, text: `${formatDate(c.occurredOn)}: ${c.title}`, selected: c.id === corrects })),
    ],
  }
}
