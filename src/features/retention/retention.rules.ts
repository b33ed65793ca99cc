import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { checkDate, type DateParts } from '../../platform/forms/dates.js'
import { fieldError, resultOf, type FieldError, type FormResult } from '../../platform/forms/forms.js'
import { formatDate } from '../../platform/http/format.js'

/**
 * Retention: when a child's record falls due for erasure under the partnership's own schedule.
 * Pure: no I/O, no reading the clock. The schedule is the partnership's decision, never a
 * default of this service (docs/adr/0012-retention.md).
 */

export const RECORD_KINDS = ['CHILD_RECORD', 'FRONT_DOOR_NFA'] as const
export type RecordKind = (typeof RECORD_KINDS)[number]

export const KIND_LABELS: Record<RecordKind, string> = {
  CHILD_RECORD: 'A child’s record (the child, their cases and everything recorded on them)',
  FRONT_DOOR_NFA: 'A child’s record whose every request was closed at the front door with no further action',
}

/** A version of the schedule for one kind: one rule, the other, or both (whichever comes later). */
export type ScheduleRule = { yearsAfterLastContact: number | null; untilBirthday: number | null }
export type Schedule = ScheduleRule & { id: string; kind: RecordKind; effectiveFrom: IsoDate; decidedAt: Date }

/** What the review list needs of a child to work out when their record is due. */
export type ChildFacts = {
  dateOfBirth: IsoDate
  /** The last step on any of the child's cases (when it happened), or a closure; the record's creation when they have no case. */
  lastContact: Date
  /** A case still open: never due while it is. */
  hasOpenCase: boolean
  kind: RecordKind
}

export type Due = { dueOn: IsoDate; basis: string }

/**
 * The date `years` after `date`. A 29 February lands on 1 March in a year that has none: the
 * anniversary has not been reached on 28 February, so a record is never due a day early.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y + years, m - 1, d))
  // Date.UTC rolls 29 February of a common year over to 1 March, which is what we want.
  return target.toISOString().slice(0, 10)
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
const ordinal = (n: number) => {
  const s = ['th', 'st', 'nd', 'rd'] as const
  const v = n % 100
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`
}

/** The rule in words, as the page and the proposal say it. */
export function describeRule(rule: ScheduleRule): string {
  const parts: string[] = []
  if (rule.yearsAfterLastContact !== null) parts.push(`${plural(rule.yearsAfterLastContact, 'year', 'years')} after the last contact`)
  if (rule.untilBirthday !== null) parts.push(`until the child’s ${ordinal(rule.untilBirthday)} birthday`)
  return parts.length === 2 ? `${parts[0]} or ${parts[1]}, whichever is later` : (parts[0] ?? 'No rule')
}

/**
 * When a child's record falls due under a rule: the later of the dates its parts give. Null
 * while a case is open (retention runs from the last contact, and an open case is contact).
 */
export function dueDate(facts: ChildFacts, rule: ScheduleRule): Due | null {
  if (facts.hasOpenCase) return null
  const dates: IsoDate[] = []
  const last = londonDate(facts.lastContact)
  if (rule.yearsAfterLastContact !== null) dates.push(addYears(last, rule.yearsAfterLastContact))
  if (rule.untilBirthday !== null) dates.push(addYears(facts.dateOfBirth, rule.untilBirthday))
  if (dates.length === 0) return null
  const dueOn = dates.reduce((a, b) => (a > b ? a : b))
  return { dueOn, basis: `${describeRule(rule)}: last contact ${formatDate(last)}, due ${formatDate(dueOn)}` }
}

/** Whether it is due on `today` (on the due date itself and after). */
export const isDue = (due: Due | null, today: IsoDate): due is Due => due !== null && due.dueOn <= today

/**
 * The version in force on `today` for each kind: the latest effective date that has come, the
 * latest decision on that date. A front-door record follows the child's record schedule until the
 * partnership sets one of its own.
 */
export function scheduleInForce(versions: readonly Schedule[], kind: RecordKind, today: IsoDate): Schedule | null {
  const inForce = (k: RecordKind) =>
    versions
      .filter((v) => v.kind === k && v.effectiveFrom <= today)
      .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.decidedAt.getTime() - a.decidedAt.getTime())[0] ?? null
  return inForce(kind) ?? (kind === 'FRONT_DOOR_NFA' ? inForce('CHILD_RECORD') : null)
}

export type ScheduleInput = { kind: string; yearsAfterLastContact: string; untilBirthday: string; effectiveFrom: DateParts; note: string }
export type ScheduleValue = ScheduleRule & { kind: RecordKind; effectiveFrom: IsoDate; note: string }

export const NOTE_MAX = 2000
export const REASON_MAX = 1000

function wholeYears(value: string, id: string, label: string, errors: FieldError[]): number | null {
  const v = value.trim()
  if (!v) return null
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 100) {
    errors.push(fieldError(id, `${label} must be a whole number of years from 1 to 100`))
    return null
  }
  return Number(v)
}

/** The schedule form: a kind, at least one rule, the date it takes effect and the note of the decision. */
export function validateSchedule(input: ScheduleInput): FormResult<ScheduleValue> {
  const errors: FieldError[] = []
  const kind = (RECORD_KINDS as readonly string[]).includes(input.kind) ? (input.kind as RecordKind) : null
  if (!kind) errors.push(fieldError('kind', 'Select the kind of record'))
  const yearsAfterLastContact = wholeYears(input.yearsAfterLastContact, 'years-after-last-contact', 'Years after the last contact', errors)
  const untilBirthday = wholeYears(input.untilBirthday, 'until-birthday', 'The birthday', errors)
  if (
    yearsAfterLastContact === null &&
    untilBirthday === null &&
    !errors.some((e) => e.href === '#years-after-last-contact' || e.href === '#until-birthday')
  )
    errors.push(fieldError('years-after-last-contact', 'Enter years after the last contact, a birthday, or both'))
  const effective = checkDate(input.effectiveFrom, 'The date the decision takes effect', { required: true, minYear: 2000 })
  if (!effective.ok) errors.push(fieldError('effective-from-day', effective.message))
  const note = input.note.trim()
  if (!note) errors.push(fieldError('note', 'Enter the partnership’s decision: who decided, when and why'))
  else if (input.note.length > NOTE_MAX) errors.push(fieldError('note', `The decision must be ${NOTE_MAX} characters or fewer`))
  return resultOf(errors, {
    kind: kind ?? 'CHILD_RECORD',
    yearsAfterLastContact,
    untilBirthday,
    effectiveFrom: effective.ok ? effective.value! : '',
    note,
  })
}

/** A reason (placing or lifting a legal hold, declining a proposal). */
export function validateReason(value: string, id: string, missing: string): FormResult<string> {
  const v = value.trim()
  if (!v) return { ok: false, errors: [fieldError(id, missing)] }
  if (value.length > REASON_MAX) return { ok: false, errors: [fieldError(id, `The reason must be ${REASON_MAX} characters or fewer`)] }
  return { ok: true, value: v }
}

/** A proposal is decided by someone other than its proposer. */
export const mayDecide = (userId: string, proposal: { proposedBy: string }) => proposal.proposedBy !== userId
