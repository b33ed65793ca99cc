/**
 * Requests for support: the bases for sharing information, and dates and times as a person
 * types them (GOV.UK date input, a 24-hour time) turned into UK calendar dates and instants.
 * Pure: no I/O, no reading the system clock.
 */
import { londonOffsetMs, type IsoDate } from '../../platform/clocks/london-time.js'

/** Why information about the child may be shared (recorded whether or not consent was sought). */
export const SHARING_BASES = {
  CONSENT: 'CONSENT',
  PUBLIC_TASK_WITHOUT_CONSENT: 'PUBLIC_TASK_WITHOUT_CONSENT',
  SAFEGUARDING_WITHOUT_CONSENT: 'SAFEGUARDING_WITHOUT_CONSENT',
} as const
export type SharingBasis = (typeof SHARING_BASES)[keyof typeof SHARING_BASES]
export const ALL_SHARING_BASES = Object.values(SHARING_BASES) as SharingBasis[]

export const SHARING_BASIS_LABELS = {
  CONSENT: 'The family agreed to the information being shared',
  PUBLIC_TASK_WITHOUT_CONSENT: 'Without consent: it is needed for our public task (statutory duty)',
  SAFEGUARDING_WITHOUT_CONSENT: 'Without consent: to protect a child from harm (safeguarding)',
} as const satisfies Record<SharingBasis, string>

export function isSharingBasis(value: unknown): value is SharingBasis {
  return typeof value === 'string' && Object.hasOwn(SHARING_BASES, value)
}

export type DateParts = { day: string; month: string; year: string }
export type DateCheck = { ok: true; value: IsoDate | null } | { ok: false; message: string }

/**
 * GOV.UK date input rules: every part present, digits only, a real date. All parts blank is
 * no date (null), or an error when the date is required.
 */
export function dateFromParts(parts: DateParts, label: string, required: boolean): DateCheck {
  const [day, month, year] = [parts.day.trim(), parts.month.trim(), parts.year.trim()]
  if (!day && !month && !year) return required ? { ok: false, message: `Enter the ${label.toLowerCase()}` } : { ok: true, value: null }
  const missing = (['day', 'month', 'year'] as const).filter((p) => !{ day, month, year }[p])
  if (missing.length) return { ok: false, message: `${label} must include a ${missing.join(' and ')}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { ok: false, message: `${label} must be a real date` }
  const [d, m, y] = [Number(day), Number(month), Number(year)]
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `${label} must be a real date` }
  }
  return { ok: true, value: date.toISOString().slice(0, 10) }
}

/** A 24-hour time as typed: 14:30, 9:05, 09.05. Null if it is not one. */
export function parseClockTime(value: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(value.trim())
  if (!m) return null
  const [hour, minute] = [Number(m[1]), Number(m[2])]
  return hour <= 23 && minute <= 59 ? { hour, minute } : null
}

/**
 * The instant a UK wall clock showed this date and time. In the hour the clocks go back the
 * later (GMT) instant is taken; a time skipped when they go forward reads as an hour later.
 */
export function londonInstant(date: IsoDate, time: { hour: number; minute: number }): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const asIfUtc = Date.UTC(y, m - 1, d, time.hour, time.minute)
  const first = asIfUtc - londonOffsetMs(new Date(asIfUtc))
  return new Date(asIfUtc - londonOffsetMs(new Date(first)))
}

/** The parts of an instant on a UK wall clock, to fill a date input and a time field. */
export function londonParts(instant: Date): DateParts & { time: string } {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]))
  const num = (v: string | undefined) => String(Number(v))
  return { day: num(p.day), month: num(p.month), year: num(p.year), time: `${p.hour}:${p.minute}` }
}
