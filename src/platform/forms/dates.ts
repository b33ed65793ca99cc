import { londonOffsetMs, type IsoDate } from '../clocks/london-time.js'
import { field, fieldError, type FieldError } from './forms.js'

/**
 * The GOV.UK date input (`<id>-day`, `<id>-month`, `<id>-year`) and a time field (`<id>-time`),
 * read the one way, with the design system's messages:
 * "Enter the …", "… must include a day and month", "… must be a real date". Errors link to the
 * day field. Pure: no I/O, no reading the system clock.
 */
export type DateParts = { day: string; month: string; year: string }
export type DateCheck = { ok: true; value: IsoDate | null } | { ok: false; message: string }

/** The three boxes of a date input as typed. */
export const datePartsOf = (body: unknown, id: string): DateParts => ({
  day: field(body, `${id}-day`),
  month: field(body, `${id}-month`),
  year: field(body, `${id}-year`),
})

/**
 * Every part present, digits only, a real date from `minYear` (default 1900). All parts blank is
 * no date (null), or "Enter the …" when the date is required.
 */
export function checkDate(parts: DateParts, label: string, options: { required?: boolean; minYear?: number } = {}): DateCheck {
  const [day, month, year] = [parts.day.trim(), parts.month.trim(), parts.year.trim()]
  if (!day && !month && !year)
    return options.required ? { ok: false, message: `Enter the ${label.toLowerCase()}` } : { ok: true, value: null }
  const missing = (['day', 'month', 'year'] as const).filter((p) => !{ day, month, year }[p])
  if (missing.length) return { ok: false, message: `${label} must include a ${missing.join(' and ')}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { ok: false, message: `${label} must be a real date` }
  const [d, m, y] = [Number(day), Number(month), Number(year)]
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < (options.minYear ?? 1900) || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `${label} must be a real date` }
  }
  return { ok: true, value: date.toISOString().slice(0, 10) }
}

/** A date input as a field error linked to its day box, or the date (null when blank and optional). */
export function readDate(
  parts: DateParts,
  id: string,
  label: string,
  options: { required?: boolean; minYear?: number } = {},
): { value: IsoDate | null; error: FieldError | null } {
  const checked = checkDate(parts, label, options)
  return checked.ok ? { value: checked.value, error: null } : { value: null, error: fieldError(`${id}-day`, checked.message) }
}

/**
 * A time as people write it: 14:30, 09.05, and unless `clock` is '24-hour' also 2:30pm, 2.30 pm,
 * 9am, midday, noon, midnight. Minutes after midnight, or null.
 */
export function parseTime(value: string, clock: 'any' | '24-hour' = 'any'): number | null {
  const v = value.trim().toLowerCase().replace(/\s+/g, '')
  if (clock === '24-hour') {
    const m = /^(\d{1,2})[:.](\d{2})$/.exec(v)
    if (!m) return null
    const [hour, minute] = [Number(m[1]), Number(m[2])]
    return hour <= 23 && minute <= 59 ? hour * 60 + minute : null
  }
  if (v === 'midday' || v === 'noon' || v === '12noon') return 12 * 60
  if (v === 'midnight') return 0
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(v)
  if (!match) return null
  const [hour, minute, half] = [Number(match[1]), match[2] === undefined ? 0 : Number(match[2]), match[3]]
  if (minute > 59) return null
  if (half) {
    if (hour < 1 || hour > 12) return null
    return ((hour % 12) + (half === 'pm' ? 12 : 0)) * 60 + minute
  }
  // Without am or pm, a bare hour is ambiguous (is "9" morning or evening?): ask for minutes.
  if (match[2] === undefined || hour > 23) return null
  return hour * 60 + minute
}

/**
 * The instant a UK wall clock showed this date and time (BST or GMT as it was that day). In the
 * hour the clocks go back the later (GMT) instant is taken; a time skipped when they go forward
 * reads as an hour later.
 */
export function londonInstant(isoDate: IsoDate, minutesAfterMidnight: number): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  const asIfUtc = Date.UTC(y, m - 1, d, Math.floor(minutesAfterMidnight / 60), minutesAfterMidnight % 60)
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

export type DateTimeCheck = { ok: true; value: Date | null } | { ok: false; errors: FieldError[] }

/**
 * A date input (`<id>-day` …) with a time field (`<id>-time`) as one instant in UK time; both
 * blank is no date (or "Enter the date and time …" when required). `label` finishes the sentence:
 * "the meeting was held".
 */
export function checkDateTime(
  input: DateParts & { time: string },
  id: string,
  label: string,
  required: boolean,
  options: { minYear?: number } = {},
): DateTimeCheck {
  const date = checkDate(input, `The date ${label}`, options)
  const blank = date.ok && date.value === null && !input.time.trim()
  if (blank)
    return required ? { ok: false, errors: [fieldError(`${id}-day`, `Enter the date and time ${label}`)] } : { ok: true, value: null }
  const errors: FieldError[] = []
  if (!date.ok) errors.push(fieldError(`${id}-day`, date.message))
  else if (date.value === null) errors.push(fieldError(`${id}-day`, `Enter the date ${label}`))
  const minutes = parseTime(input.time)
  if (!input.time.trim()) errors.push(fieldError(`${id}-time`, `Enter the time ${label}`))
  else if (minutes === null) errors.push(fieldError(`${id}-time`, 'Enter a time like 9:30am or 14:30'))
  if (errors.length || !date.ok || date.value === null || minutes === null) return { ok: false, errors }
  return { ok: true, value: londonInstant(date.value, minutes) }
}

/** A date input and time field read from a body. */
export const dateTimeOf = (body: unknown, id: string): DateParts & { time: string } => ({
  ...datePartsOf(body, id),
  time: field(body, `${id}-time`),
})

type Values = Record<string, string | string[] | undefined>
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))

/** A date's parts to show in a date input again (from a stored YYYY-MM-DD date). */
export function partsOfIsoDate(iso: IsoDate | null): DateParts {
  if (!iso) return { day: '', month: '', year: '' }
  const [y, m, d] = iso.split('-')
  return { day: String(Number(d)), month: String(Number(m)), year: y ?? '' }
}

/** The items of a GOV.UK date input, showing what was typed and marking all three boxes when its error is shown. */
export function dateItemsFor(prefix: string, parts: DateParts, errors: readonly FieldError[] = []) {
  const bad = errors.some((e) => e.href === `#${prefix}-day`) ? ' govuk-input--error' : ''
  return [
    { name: 'day', value: parts.day, classes: `govuk-input--width-2${bad}` },
    { name: 'month', value: parts.month, classes: `govuk-input--width-2${bad}` },
    { name: 'year', value: parts.year, classes: `govuk-input--width-4${bad}` },
  ]
}

/** The same, from a form's values as typed (`<prefix>-day` …). */
export const dateInputItems = (prefix: string, values: Values, errors: readonly FieldError[] = []) =>
  dateItemsFor(
    prefix,
    { day: one(values[`${prefix}-day`]), month: one(values[`${prefix}-month`]), year: one(values[`${prefix}-year`]) },
    errors,
  )
