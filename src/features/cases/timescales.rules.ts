import {
  ALL_CLOCK_KINDS,
  CLOCK_LABELS,
  DEFAULT_TIMESCALES,
  withLocalLengths,
  type ClockKind,
  type Timescales,
  type TimescaleUnit,
} from '../../platform/clocks/clocks.rules.js'
import { addCalendarDays, londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { checkDate, type DateParts } from '../../platform/forms/dates.js'
import { fieldError, type FieldError, type FormResult } from '../../platform/forms/forms.js'

/**
 * Local timescales: a partnership's own length for a clock, from the date the change takes
 * effect. Pure: no I/O, no reading the system clock.
 *
 * The length a clock started at instant t gets is the change with the latest effective date on
 * or before t's UK calendar date (of several changes for that date, the one recorded last);
 * without one, the national length. A clock keeps the due moment it started with, so a change
 * never moves a clock already running. The unit is the clock's own: a working-days clock stays one.
 */

/** One recorded change, as the kernel and the page read it. */
export type TimescaleChange = { clockKind: string; length: number; effectiveFrom: IsoDate; changedAt: Date }

export const isClockKind = (kind: string): kind is ClockKind => (ALL_CLOCK_KINDS as readonly string[]).includes(kind)

/** The lengths people may set, per unit: 1 hour to a week, 1 working day to about six months, 1 week to a year. */
export const LENGTH_BOUNDS: Record<TimescaleUnit, { min: number; max: number }> = {
  hours: { min: 1, max: 168 },
  'working-days': { min: 1, max: 130 },
  weeks: { min: 1, max: 52 },
}

/** How far ahead a change may be set to take effect. */
export const FURTHEST_AHEAD_DAYS = 2 * 366
export const REASON_MAX = 500

const UNIT_WORDS: Record<TimescaleUnit, [one: string, many: string]> = {
  hours: ['hour', 'hours'],
  'working-days': ['working day', 'working days'],
  weeks: ['week', 'weeks'],
}

/** The unit in words, as a label's suffix: "hours", "working days", "weeks". */
export const unitWords = (unit: TimescaleUnit): string => UNIT_WORDS[unit][1]

/** A length in words: "1 working day", "48 hours". */
export function lengthInWords(unit: TimescaleUnit, length: number): string {
  const [one, many] = UNIT_WORDS[unit]
  return `${length} ${length === 1 ? one : many}`
}

/** The clock's name without the national length its label carries: "Strategy meeting". */
export const clockName = (kind: ClockKind): string => CLOCK_LABELS[kind].replace(/\s*\(.*\)$/, '')

/** Latest effective date first; of two for the same date, the one recorded last first. */
function newestFirst(a: TimescaleChange, b: TimescaleChange): number {
  if (a.effectiveFrom !== b.effectiveFrom) return a.effectiveFrom < b.effectiveFrom ? 1 : -1
  return b.changedAt.getTime() - a.changedAt.getTime()
}

/** The partnership's own length for a clock on a UK calendar date, or null (the national length). */
export function localLengthOn(changes: readonly TimescaleChange[], kind: ClockKind, date: IsoDate): number | null {
  const applying = changes.filter((c) => c.clockKind === kind && c.effectiveFrom <= date).sort(newestFirst)
  return applying[0]?.length ?? null
}

/** The length a clock gets on a date: the partnership's own, or the national one. */
export const lengthOn = (changes: readonly TimescaleChange[], kind: ClockKind, date: IsoDate): number =>
  localLengthOn(changes, kind, date) ?? DEFAULT_TIMESCALES[kind].length

/**
 * The timescales for clocks started at this instant: each clock's length as in effect on the
 * instant's UK calendar date (BST or GMT as it was then). What the kernel starts clocks with.
 */
export function timescalesAt(changes: readonly TimescaleChange[], startedAt: Date): Timescales {
  const date = londonDate(startedAt)
  const lengths: Partial<Record<ClockKind, number>> = {}
  for (const kind of ALL_CLOCK_KINDS) {
    const length = localLengthOn(changes, kind, date)
    if (length !== null) lengths[kind] = length
  }
  return withLocalLengths(lengths)
}

/** Changes recorded to take effect after a date, soonest first (the last recorded for a date only). */
export function changesAfter(
  changes: readonly TimescaleChange[],
  kind: ClockKind,
  date: IsoDate,
): { effectiveFrom: IsoDate; length: number }[] {
  const dates = [...new Set(changes.filter((c) => c.clockKind === kind && c.effectiveFrom > date).map((c) => c.effectiveFrom))].sort()
  return dates.map((d) => ({ effectiveFrom: d, length: lengthOn(changes, kind, d) }))
}

/** A change as typed on the page (or given on the command line). */
export type ChangeInput = { length: string; effective: DateParts; reason: string }
/** A change that passed every check, with the length it replaces on its date. */
export type CheckedChange = { length: number; effectiveFrom: IsoDate; reason: string | null; previousLength: number }

export const LENGTH_FIELD = 'length'
export const EFFECTIVE_FIELD = 'effective'
export const REASON_FIELD = 'reason'

/** A length as typed: a whole number within the unit's bounds, or the message to show beside the field. */
export function checkLength(unit: TimescaleUnit, typed: string): { ok: true; value: number } | { ok: false; message: string } {
  const value = typed.trim().replace(/,/g, '')
  const words = unitWords(unit)
  const { min, max } = LENGTH_BOUNDS[unit]
  if (!value) return { ok: false, message: `Enter the length in ${words}` }
  if (!/^[-+]?\d+(\.\d+)?$/.test(value)) return { ok: false, message: `The length must be a whole number of ${words}, like 24` }
  if (!/^[-+]?\d+$/.test(value)) return { ok: false, message: `The length must be a whole number of ${words}` }
  const n = Number(value)
  if (n < min) return { ok: false, message: `The length must be at least ${lengthInWords(unit, min)}` }
  if (n > max) return { ok: false, message: `The length must be ${lengthInWords(unit, max)} or fewer` }
  return { ok: true, value: n }
}

/**
 * Checks a change to one clock's length against what is recorded: a whole number within the
 * unit's bounds; a real effective date, today or later (clocks already started keep their
 * length, so a change cannot reach back) and not more than two years ahead; a length different
 * from the one in effect on that date; a reason of at most 500 characters.
 */
export function checkChange(
  kind: ClockKind,
  input: ChangeInput,
  context: { today: IsoDate; changes: readonly TimescaleChange[] },
): FormResult<CheckedChange> {
  const unit = DEFAULT_TIMESCALES[kind].unit
  const errors: FieldError[] = []
  const length = checkLength(unit, input.length)
  if (!length.ok) errors.push(fieldError(LENGTH_FIELD, length.message))

  const date = checkDate(input.effective, 'The date the change takes effect', { minYear: 2000 })
  let effectiveFrom: IsoDate | null = null
  if (!date.ok) errors.push(fieldError(`${EFFECTIVE_FIELD}-day`, date.message))
  else if (date.value === null) errors.push(fieldError(`${EFFECTIVE_FIELD}-day`, 'Enter the date the change takes effect'))
  else if (date.value < context.today)
    errors.push(
      fieldError(
        `${EFFECTIVE_FIELD}-day`,
        'The date the change takes effect must be today or in the future: clocks already started keep the length they started with',
      ),
    )
  else if (date.value > addCalendarDays(context.today, FURTHEST_AHEAD_DAYS))
    errors.push(fieldError(`${EFFECTIVE_FIELD}-day`, 'The date the change takes effect must be within the next 2 years'))
  else effectiveFrom = date.value

  const reason = input.reason.trim()
  if (input.reason.length > REASON_MAX) errors.push(fieldError(REASON_FIELD, `The reason must be ${REASON_MAX} characters or fewer`))

  if (length.ok && effectiveFrom !== null) {
    const previousLength = lengthOn(context.changes, kind, effectiveFrom)
    if (previousLength === length.value) {
      // Said against the length field: that is what has to change.
      errors.unshift(
        fieldError(
          LENGTH_FIELD,
          `The ${clockName(kind).toLowerCase()} timescale is already ${lengthInWords(unit, previousLength)} on that date. Enter a different length`,
        ),
      )
    }
    if (errors.length === 0) return { ok: true, value: { length: length.value, effectiveFrom, reason: reason || null, previousLength } }
  }
  return { ok: false, errors }
}
