import type { IsoDate } from '../../platform/clocks/london-time.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { checkDate, type DateParts } from '../../platform/forms/dates.js'
import type { CriminalProcessKind } from './criminal-process.tables.js'

/**
 * The criminal process alongside the pathway: what each kind of entry records, the order its
 * dates must keep, and when bail conditions hold up the intervention. Pure: no I/O.
 */

export const KINDS: readonly CriminalProcessKind[] = [
  'INVESTIGATION',
  'BAIL',
  'RELEASED_UNDER_INVESTIGATION',
  'CHARGE',
  'COURT_HEARING',
  'OUTCOME',
]

export const KIND_LABELS: Record<CriminalProcessKind, string> = {
  INVESTIGATION: 'Police investigation started',
  BAIL: 'Bail',
  RELEASED_UNDER_INVESTIGATION: 'Released under investigation',
  CHARGE: 'Charged',
  COURT_HEARING: 'Court hearing',
  OUTCOME: 'Outcome',
}

/** What the date of each kind means, for labels and messages. */
export const DATE_LABELS: Record<CriminalProcessKind, string> = {
  INVESTIGATION: 'The date the investigation started',
  BAIL: 'The date bail started',
  RELEASED_UNDER_INVESTIGATION: 'The date of release under investigation',
  CHARGE: 'The date of the charge',
  COURT_HEARING: 'The date of the hearing',
  OUTCOME: 'The date of the outcome',
}

export const MAX_TEXT = 2000
export const MAX_SHORT = 200

export type EntryInput = {
  kind: string
  date: DateParts
  endDate: DateParts
  policeReference: string
  conditions: string
  holdsUp: boolean
  holdUpNote: string
  offence: string
  court: string
  hearingType: string
  outcome: string
}

/** An entry of this kind on this date, with nothing else typed (for the demo and tests to fill in). */
export const emptyEntry = (kind: string, date: DateParts): EntryInput => ({
  kind,
  date,
  endDate: { day: '', month: '', year: '' },
  policeReference: '',
  conditions: '',
  holdsUp: false,
  holdUpNote: '',
  offence: '',
  court: '',
  hearingType: '',
  outcome: '',
})

export type EntryDraft = {
  kind: CriminalProcessKind
  occurredOn: IsoDate
  endsOn: IsoDate | null
  policeReference: string | null
  conditions: string | null
  holdsUpIntervention: boolean
  holdUpNote: string | null
  offence: string | null
  court: string | null
  hearingType: string | null
  outcome: string | null
}

/** What is already recorded that a new entry's dates must agree with. */
export type EntryFacts = { today: IsoDate; investigationStartedOn: IsoDate | null; firstChargedOn: IsoDate | null }

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

const isKind = (k: string): k is CriminalProcessKind => (KINDS as readonly string[]).includes(k)

const longDate = (iso: IsoDate) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`))

/** Checks one entry: the fields its kind needs, real dates, and dates in order. */
export function validateEntry(input: EntryInput, facts: EntryFacts): Result<EntryDraft> {
  const errors: FieldError[] = []
  if (!isKind(input.kind)) return { ok: false, errors: [{ href: '#kind', text: 'Select what happened in the criminal process' }] }
  const kind = input.kind
  const text = (value: string, id: string, missing: string | null, max = MAX_TEXT): string | null => {
    const v = value.trim()
    if (!v) {
      if (missing) errors.push({ href: `#${id}`, text: missing })
      return null
    }
    if (v.length > max) errors.push({ href: `#${id}`, text: `Keep this to ${max} characters or fewer` })
    return v
  }

  const date = checkDate(input.date, DATE_LABELS[kind], { minYear: 2000 })
  let occurredOn: IsoDate | null = null
  if (!date.ok) errors.push({ href: '#date-day', text: date.message })
  else if (date.value === null) errors.push({ href: '#date-day', text: `Enter ${DATE_LABELS[kind].toLowerCase()}` })
  else if (kind !== 'COURT_HEARING' && date.value > facts.today)
    errors.push({ href: '#date-day', text: `${DATE_LABELS[kind]} must be today or in the past` })
  else occurredOn = date.value

  let endsOn: IsoDate | null = null
  if (kind === 'BAIL') {
    const end = checkDate(input.endDate, 'The date bail ends', { minYear: 2000 })
    if (!end.ok) errors.push({ href: '#end-date-day', text: end.message })
    else if (end.value !== null && occurredOn !== null && end.value < occurredOn)
      errors.push({ href: '#end-date-day', text: 'The date bail ends must be the same as or after the date bail started' })
    else endsOn = end.value
  }

  if (occurredOn !== null) {
    if (kind === 'CHARGE' && facts.investigationStartedOn && occurredOn < facts.investigationStartedOn) {
      errors.push({
        href: '#date-day',
        text: `The date of the charge must be the same as or after the investigation started (${longDate(facts.investigationStartedOn)})`,
      })
    }
    if (kind === 'INVESTIGATION' && facts.firstChargedOn && occurredOn > facts.firstChargedOn) {
      errors.push({
        href: '#date-day',
        text: `The investigation must have started on or before the charge (${longDate(facts.firstChargedOn)})`,
      })
    }
  }

  const policeReference = text(
    input.policeReference,
    'police-reference',
    kind === 'INVESTIGATION' ? 'Enter the police reference' : null,
    MAX_SHORT,
  )
  const conditions = kind === 'BAIL' ? text(input.conditions, 'conditions', 'Enter the bail conditions') : null
  const holdsUpIntervention = kind === 'BAIL' && input.holdsUp
  const holdUpNote = holdsUpIntervention
    ? text(input.holdUpNote, 'hold-up-note', 'Say how the bail conditions prevent or delay intervention work')
    : null
  const offence = kind === 'CHARGE' ? text(input.offence, 'offence', 'Enter the offence charged') : null
  const court = kind === 'COURT_HEARING' ? text(input.court, 'court', 'Enter the court', MAX_SHORT) : null
  const hearingType = kind === 'COURT_HEARING' ? text(input.hearingType, 'hearing-type', 'Enter the type of hearing', MAX_SHORT) : null
  const outcome = kind === 'OUTCOME' ? text(input.outcome, 'outcome', 'Enter the outcome') : null

  if (errors.length || occurredOn === null) return { ok: false, errors }
  return {
    ok: true,
    value: { kind, occurredOn, endsOn, policeReference, conditions, holdsUpIntervention, holdUpNote, offence, court, hearingType, outcome },
  }
}

export type BailFacts = { kind: string; occurredOn: IsoDate; endsOn: IsoDate | null; holdsUpIntervention: boolean }

/** Bail is current from its start until the end of its end date (or with no end date recorded). */
export function isCurrentBail(entry: BailFacts, today: IsoDate): boolean {
  return entry.kind === 'BAIL' && entry.occurredOn <= today && (entry.endsOn === null || entry.endsOn >= today)
}

/** The current bail entries whose conditions prevent or delay intervention work. */
export function bailHoldingUp<T extends BailFacts>(entries: readonly T[], today: IsoDate): T[] {
  return entries.filter((e) => e.holdsUpIntervention && isCurrentBail(e, today))
}

/** The earliest investigation start and charge among recorded entries. */
export function entryFacts(entries: readonly { kind: string; occurredOn: IsoDate }[], today: IsoDate): EntryFacts {
  const first = (kind: CriminalProcessKind) =>
    entries
      .filter((e) => e.kind === kind)
      .map((e) => e.occurredOn)
      .sort()[0] ?? null
  return { today, investigationStartedOn: first('INVESTIGATION'), firstChargedOn: first('CHARGE') }
}
