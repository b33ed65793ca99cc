import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { dateInputItems } from '../../platform/forms/dates.js'
import { text } from '../../platform/forms/forms.js'
import type { CriminalProcessRow } from './criminal-process.repository.js'
import { KIND_LABELS, KINDS } from './criminal-process.rules.js'
import type { CriminalProcessPage, EntryFormPage } from './criminal-process.service.js'

const dateOf = (iso: string) => formatDate(`${iso}T12:00:00Z`)

/** The facts of one entry, as label and value pairs, for the page, the chronology and the PDF. */
export function entryFacts(
  e: Pick<
    CriminalProcessRow,
    | 'kind'
    | 'occurredOn'
    | 'endsOn'
    | 'policeReference'
    | 'conditions'
    | 'offence'
    | 'court'
    | 'hearingType'
    | 'outcome'
    | 'holdsUpIntervention'
    | 'holdUpNote'
  >,
): { key: string; value: string }[] {
  const facts: { key: string; value: string }[] = []
  const add = (key: string, value: string | null) => {
    if (value) facts.push({ key, value })
  }
  add('Police reference', e.policeReference)
  if (e.kind === 'BAIL') {
    add('Bail ends', e.endsOn ? dateOf(e.endsOn) : 'No end date recorded')
    add('Conditions', e.conditions)
    if (e.holdsUpIntervention) add('Holds up intervention work', e.holdUpNote ?? 'Yes')
  }
  add('Offence', e.offence)
  add('Court', e.court)
  add('Type of hearing', e.hearingType)
  add('Outcome', e.outcome)
  return facts
}

/** One line of text for an entry (chronology and PDF). */
export function entrySummary(e: Parameters<typeof entryFacts>[0]): string {
  return entryFacts(e)
    .map((f) => `${f.key}: ${f.value}`)
    .join('. ')
}

export function presentCriminalProcess(page: CriminalProcessPage) {
  const { kase } = page
  return {
    pageTitle: 'Criminal process',
    caseId: kase.id,
    childName: kase.childName,
    canRecord: page.canRecord,
    holds: page.holds.map((h) => ({
      text: `Current bail conditions (from ${dateOf(h.occurredOn)}${h.endsOn ? ` to ${dateOf(h.endsOn)}` : ', no end date'}) prevent or delay intervention work: ${h.holdUpNote ?? ''}`,
    })),
    entries: page.entries.map((e) => ({
      id: e.id,
      title: KIND_LABELS[e.kind],
      date: dateOf(e.occurredOn),
      facts: entryFacts(e),
      recorded: `${e.recordedByName}, ${formatDateTime(e.recordedAt)}`,
    })),
  }
}

type Values = Record<string, string | string[]>

export function presentEntryForm({ kase }: EntryFormPage, values: Values = {}, errors: FieldError[] = []) {
  return {
    pageTitle: 'Record the criminal process',
    caseId: kase.id,
    childName: kase.childName,
    values,
    errors,
    kind: text(values.kind),
    kindItems: KINDS.map((k) => ({ value: k, text: KIND_LABELS[k], checked: text(values.kind) === k })),
    holdsUp: text(values['holds-up']) === 'yes',
    dateItems: dateInputItems('date', values, errors),
    endDateItems: dateInputItems('end-date', values, errors),
  }
}
