import type { BankHolidays } from './bank-holidays.js'
import { addCalendarDays, calendarDaysBetween, dayOfWeek, endOfLondonDay, londonDate, toInstant, type IsoDate } from './london-time.js'

/**
 * Working days, counted on UK calendar dates (Europe/London).
 *
 * A working day is a Monday to Friday that is not a bank holiday (England and Wales list, passed
 * in as `holidays`). Every function first turns its input into a UK calendar date: a
 * 'YYYY-MM-DD' string is that date; an instant (a `Date`, or a timestamp string with `Z` or an
 * offset) is the date on a London clock at that moment. So a referral received at 23:30 UTC on
 * 31 March, in BST, was received on 1 April.
 *
 * The convention for "N working days from a start":
 * - the start day itself is never counted, whatever time of day and whether or not it is a
 *   working day; day 1 is the first working day AFTER the start date. A referral received on a
 *   Monday has its 1-working-day decision due by the end of Tuesday; one received on a Saturday,
 *   by the end of Monday.
 * - the clock is due at the END of day N: 23:59:59.999 London time on that date, as a `Date`
 *   (22:59:59.999Z in BST, 23:59:59.999Z in GMT).
 * - N = 0 is allowed (a partnership may set a same-day timescale): due at the end of the start
 *   date itself.
 */

export function isWorkingDay(date: Date | string, holidays: BankHolidays): boolean {
  const day = londonDate(date)
  const weekday = dayOfWeek(day)
  return weekday !== 0 && weekday !== 6 && !holidays.has(day)
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A number of working days must be a whole number, 0 or more: ${n}`)
}

/** The UK calendar date of working day `n` after the start date (the start date itself when n = 0). */
export function nthWorkingDayAfter(start: Date | string, n: number, holidays: BankHolidays): IsoDate {
  checkCount(n)
  let day = londonDate(start)
  for (let counted = 0; counted < n;) {
    day = addCalendarDays(day, 1)
    if (isWorkingDay(day, holidays)) counted += 1
  }
  return day
}

/** The moment N working days from `start` fall due: the end (23:59:59.999, London) of working day N after the start date. */
export function addWorkingDays(start: Date | string, n: number, holidays: BankHolidays): Date {
  return endOfLondonDay(nthWorkingDayAfter(start, n, holidays))
}

/**
 * Working days after `a`'s UK date up to and including `b`'s UK date; negative when `b` is
 * earlier. Times of day are ignored. The inverse of `addWorkingDays`:
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Used for "overdue by 2 working days".
 */
export function workingDaysBetween(a: Date | string, b: Date | string, holidays: BankHolidays): number {
  const from = londonDate(a)
  const to = londonDate(b)
  const span = calendarDaysBetween(from, to)
  const [low, steps, sign] = span >= 0 ? [from, span, 1] : [to, -span, -1]
  let count = 0
  for (let i = 1; i <= steps; i += 1) {
    if (isWorkingDay(addCalendarDays(low, i), holidays)) count += 1
  }
  return sign * count
}

/**
 * Elapsed-time clocks (the 24-hour strategy meeting clock): exactly `hours` hours later. No
 * working-day logic, and no adjustment on the nights the clocks change, so across a change the
 * London wall-clock time of the result moves by an hour (24 hours from 10am GMT on the Saturday
 * before BST starts is 11am BST on the Sunday).
 */
export function addHours(start: Date | string, hours: number): Date {
  if (!Number.isFinite(hours)) throw new RangeError(`Hours must be a finite number: ${hours}`)
  return new Date(toInstant(start).getTime() + hours * 3_600_000)
}
