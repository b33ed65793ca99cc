/**
 * Calendar dates and instants in UK time (Europe/London), using only `Intl`.
 *
 * A calendar date is an ISO string 'YYYY-MM-DD'. An instant is a `Date`. Timestamp strings must
 * carry `Z` or an offset: '2026-03-31T23:30:00' without one would be read in the server's own
 * time zone, so it is refused rather than guessed.
 */

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i
const DAY_MS = 86_400_000

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function wallClock(instant: Date): WallClock {
  const found: Record<string, number> = {}
  for (const part of londonParts.formatToParts(instant)) {
    if (part.type !== 'literal') found[part.type] = Number(part.value)
  }
  const get = (name: string): number => {
    const value = found[name]
    if (value === undefined) throw new Error(`Intl gave no ${name} for ${instant.toISOString()}`)
    return value
  }
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date)
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
    const check = new Date(Date.UTC(year, month - 1, day))
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return { year, month, day }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`)
}

export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value)
    return true
  } catch {
    return false
  }
}

/** A `Date`, or a timestamp string with `Z` or an offset, as a valid `Date`; anything else throws. */
export function toInstant(value: Date | string): Date {
  if (typeof value === 'string' && !TIMESTAMP_WITH_ZONE.test(value)) {
    throw new RangeError(`Not a timestamp with a time zone (e.g. 2026-11-23T09:05:00Z): ${JSON.stringify(value)}`)
  }
  const instant = new Date(value)
  if (Number.isNaN(instant.getTime())) throw new RangeError(`Not a valid date: ${String(value)}`)
  return instant
}

/**
 * The UK calendar date of a value: a 'YYYY-MM-DD' string is taken as that date; an instant is
 * the date on a London clock at that moment (23:30 UTC on 31 March in BST is 1 April).
 */
export function londonDate(value: Date | string): IsoDate {
  if (typeof value === 'string' && ISO_DATE.test(value)) {
    parseIsoDate(value)
    return value
  }
  const { year, month, day } = wallClock(toInstant(value))
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** How far London is ahead of UTC at an instant, in milliseconds (0 in GMT, 3,600,000 in BST). */
export function londonOffsetMs(instant: Date): number {
  const w = wallClock(instant)
  const wholeSecond = instant.getTime() - (((instant.getTime() % 1000) + 1000) % 1000)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSecond
}

/** Midnight at the start of a UK calendar date, as an instant (never ambiguous: UK clocks change at 1am UTC). */
export function startOfLondonDay(date: IsoDate): Date {
  const { year, month, day } = parseIsoDate(date)
  const asIfUtc = Date.UTC(year, month - 1, day)
  const first = asIfUtc - londonOffsetMs(new Date(asIfUtc))
  const second = asIfUtc - londonOffsetMs(new Date(first))
  return new Date(second)
}

/** The last millisecond of a UK calendar date (23:59:59.999 London time), as an instant. */
export function endOfLondonDay(date: IsoDate): Date {
  return new Date(startOfLondonDay(addCalendarDays(date, 1)).getTime() - 1)
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date)
  const moved = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS)
  return `${pad(moved.getUTCFullYear(), 4)}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`
}

/** Whole calendar days from one date to another (negative when `to` is earlier). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from)
  const b = parseIsoDate(to)
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS)
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay()
}

/** GOV.UK style date in UK time: 24 November 2026. */
export function formatLondonDate(instant: Date): string {
  return dateFormat.format(instant)
}

/** GOV.UK style time in UK time: 9:05am, 5pm, midday, midnight. */
export function formatLondonTime(instant: Date): string {
  const { hour, minute } = wallClock(instant)
  if (minute === 0 && hour === 0) return 'midnight'
  if (minute === 0 && hour === 12) return 'midday'
  const suffix = hour < 12 ? 'am' : 'pm'
  const hour12 = hour % 12 === 0 ? 12 : hour % 12
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${pad(minute)}${suffix}`
}
