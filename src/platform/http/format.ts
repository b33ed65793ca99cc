/** Dates as GOV.UK style asks: 5 January 2026, and 5 January 2026, 2:05pm (UK time). */
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' })

export function formatDate(value: Date | string | null | undefined): string {
  return value ? dateFormat.format(new Date(value)) : ''
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  // en-GB's 12-hour clock says "0:46 am" after midnight; GOV.UK style says 12:46am.
  return `${dateFormat.format(d)}, ${timeFormat.format(d).replace(' ', '').toLowerCase().replace(/^0:/, '12:')}`
}
