/** Dates as GOV.UK style asks: 5 January 2026, and 5 January 2026, 2:05pm (UK time). */
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' })

export function formatDate(value: Date | string | null | undefined): string {
  return value ? dateFormat.format(new Date(value)) : ''
}

/**
 * Formatted moments, by their time in ms: Intl formatting is the dearest part of a history list,
 * and the same moments are shown again and again. Cleared when it holds 20,000 (a few MB).
 */
const formatted = new Map<number, string>()

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  const ms = d.getTime()
  const known = formatted.get(ms)
  if (known !== undefined) return known
  // en-GB's 12-hour clock says "0:46 am" after midnight; GOV.UK style says 12:46am.
  const text = `${dateFormat.format(d)}, ${timeFormat.format(d).replace(' ', '').toLowerCase().replace(/^0:/, '12:')}`
  if (formatted.size >= 20_000) formatted.clear()
  formatted.set(ms, text)
  return text
}
