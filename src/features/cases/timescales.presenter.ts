import { dateInputItems } from '../../platform/forms/dates.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { ClockPage, TimescaleClock, TimescalesPage } from './timescales.service.js'
import { clockName, LENGTH_BOUNDS, lengthInWords, REASON_MAX, unitWords } from './timescales.rules.js'

/** Who made a change: the person, or the command line (the system itself). */
const COMMAND_LINE = 'Command line (system)'
const NOT_RECORDED = 'Not recorded'

function clockSummary(c: TimescaleClock) {
  return {
    kind: c.kind,
    label: c.label,
    name: clockName(c.kind),
    href: `/admin/timescales/${c.kind}`,
    unit: unitWords(c.unit),
    national: lengthInWords(c.unit, c.nationalLength),
    today: lengthInWords(c.unit, c.todayLength),
    isLocalToday: c.isLocalToday,
    upcoming: c.upcoming.map((u) => ({ length: lengthInWords(c.unit, u.length), from: formatDate(u.effectiveFrom) })),
  }
}

/** Every clock: its national length, today's, and what is to come. */
export function presentTimescales(page: TimescalesPage) {
  return { pageTitle: 'Timescales', today: formatDate(page.today), clocks: page.clocks.map(clockSummary) }
}

/**
 * One clock: its lengths, the form to change it (the length in the clock's own unit, the
 * GOV.UK date input for when it takes effect, an optional reason), and every change made.
 * `values` are what was typed, kept when the form comes back with errors.
 */
export function presentClock(page: ClockPage, values: Record<string, string | string[]> = {}, errors?: FieldError[], formKey?: string) {
  const { clock } = page
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
  const bounds = LENGTH_BOUNDS[clock.unit]
  const name = clockName(clock.kind)
  return {
    pageTitle: `${name} timescale`,
    today: formatDate(page.today),
    /** Today as typed in a date input: 27 3 2026. */
    todayExample: page.today
      .split('-')
      .reverse()
      .map((p) => String(Number(p)))
      .join(' '),
    clock: clockSummary(clock),
    lengthHint: `A whole number of ${unitWords(clock.unit)}, from ${bounds.min} to ${bounds.max}. The national length is ${lengthInWords(clock.unit, clock.nationalLength)}.`,
    values: { length: one(values.length), reason: one(values.reason) },
    dateItems: dateInputItems('effective', values, errors ?? []),
    reasonMax: REASON_MAX,
    errors,
    formKey: one(values['form-key']) || formKey,
    history: clock.history.map((h) => ({
      changedAt: formatDateTime(h.changedAt),
      who: h.changedByName ?? COMMAND_LINE,
      from: h.previousLength === null ? NOT_RECORDED : lengthInWords(h.unit, h.previousLength),
      to: lengthInWords(h.unit, h.length),
      effectiveFrom: h.effectiveFrom === '1970-01-01' ? 'Before this was recorded' : formatDate(h.effectiveFrom),
      reason: h.reason ?? '',
    })),
  }
}

/** The flash after a change. */
export function changedMessage(kind: TimescaleClock['kind'], unit: TimescaleClock['unit'], length: number, effectiveFrom: string) {
  return {
    heading: `${clockName(kind)} timescale changed`,
    text: `Clocks started on or after ${formatDate(effectiveFrom)} run for ${lengthInWords(unit, length)}. Clocks already running keep their length.`,
  }
}
