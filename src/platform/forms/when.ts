import { endOfLondonDay, formatLondonDate, formatLondonTime, londonDate, type IsoDate } from '../clocks/london-time.js'
import { checkDateTime, dateItemsFor, dateTimeOf, londonParts, type DateParts } from './dates.js'
import { field, fieldError, type FieldError, type FormResult } from './forms.js'

/**
 * When something happened to the child, as the person says (the GOV.UK date input `occurred-…`
 * with a time field `occurred-time`), and why it is entered late (`late-reason`). Every step that
 * records something that happened reads it this way; blank means it happened now. Pure: `now`
 * is passed in.
 */
export type When = {
  /** When it happened. */
  occurredAt: Date
  /** Why it was entered more than the partnership's days after it happened; null otherwise. */
  lateReason: string | null
  /** Whether the person said when (false: blank, so now). */
  given: boolean
}

/** What a "when it happened" must not come before: the step it follows, in words, and when that happened. */
export type Follows = { label: string; at: Date }

export type WhenRules = {
  now: Date
  /** The step this one follows, if any: it cannot have happened before that. */
  follows?: Follows | null
  /** More than this many days after it happened needs a reason. */
  lateAfterDays: number
}

export type WhenInput = DateParts & { time: string; lateReason: string }

export const WHEN_ID = 'occurred'
export const LATE_REASON_ID = 'late-reason'
const DAY_MS = 24 * 60 * 60 * 1000
const MAX_REASON = 2000

/** Nothing typed: it happens now. */
export const NOW: WhenInput = { day: '', month: '', year: '', time: '', lateReason: '' }

/** The boxes as typed. */
export const whenOf = (body: unknown): WhenInput => ({ ...dateTimeOf(body, WHEN_ID), lateReason: field(body, LATE_REASON_ID) })

/**
 * When a step recorded by its date only happened: the end of that UK day (a clock due by the end
 * of a day is met on it), or now if that is today or still to come (a court hearing listed ahead
 * is recorded now, not in the future).
 */
export const dayOccurredAt = (isoDate: IsoDate, now: Date): Date => (isoDate >= londonDate(now) ? now : endOfLondonDay(isoDate))

/** "10:15am on 3 March 2026". */
export const atTime = (instant: Date) => `${formatLondonTime(instant)} on ${formatLondonDate(instant)}`

/**
 * Blank is now. Otherwise a real date and time that is not in the future, not before the step it
 * follows (the message names that step and its time), and, when more than `lateAfterDays` days
 * ago, with the reason it is entered late.
 */
export function checkWhen(input: WhenInput, rules: WhenRules): FormResult<When> {
  const checked = checkDateTime(input, WHEN_ID, 'it happened', false)
  if (!checked.ok) return checked
  const reason = input.lateReason.trim()
  if (checked.value === null) return { ok: true, value: { occurredAt: rules.now, lateReason: null, given: false } }
  const at = checked.value
  const errors: FieldError[] = []
  if (at.getTime() > rules.now.getTime())
    errors.push(fieldError(`${WHEN_ID}-day`, 'The date and time it happened must be now or in the past'))
  else if (rules.follows && at.getTime() < rules.follows.at.getTime())
    errors.push(
      fieldError(
        `${WHEN_ID}-day`,
        `The date and time it happened must be the same as or after ${rules.follows.label} (${atTime(rules.follows.at)})`,
      ),
    )
  const late = rules.now.getTime() - at.getTime() > rules.lateAfterDays * DAY_MS
  if (late && !reason)
    errors.push(
      fieldError(
        LATE_REASON_ID,
        `Enter why this is entered more than ${rules.lateAfterDays} ${rules.lateAfterDays === 1 ? 'day' : 'days'} after it happened`,
      ),
    )
  if (reason.length > MAX_REASON)
    errors.push(
      fieldError(LATE_REASON_ID, `The reason it is entered late must be ${MAX_REASON.toLocaleString('en-GB')} characters or fewer`),
    )
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { occurredAt: at, lateReason: late ? reason : null, given: true } }
}

/**
 * What the "when it happened" fields show (views/_when.njk): what was typed, or blank (now) on a
 * first visit. The days after which a reason is needed are the template's global `lateEntryDays`.
 */
export function whenFields(values: Record<string, unknown>, errors: readonly FieldError[] = []) {
  const typed = whenOf(values)
  const ids = [`#${WHEN_ID}-day`, `#${WHEN_ID}-time`, `#${LATE_REASON_ID}`]
  const filled = [typed.day, typed.month, typed.year, typed.time, typed.lateReason].some((v) => v.trim() !== '')
  return {
    /** Open when something is typed or wrong in it; otherwise closed, meaning now. */
    open: filled || errors.some((e) => ids.includes(e.href)),
    dateItems: dateItemsFor(WHEN_ID, typed, errors),
    time: typed.time,
    lateReason: typed.lateReason,
  }
}

/** The fields filled with a time already known (a form shown again for a step recorded earlier). */
export function whenValuesOf(at: Date): Record<string, string> {
  const p = londonParts(at)
  return { [`${WHEN_ID}-day`]: p.day, [`${WHEN_ID}-month`]: p.month, [`${WHEN_ID}-year`]: p.year, [`${WHEN_ID}-time`]: p.time }
}
