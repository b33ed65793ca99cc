import { addCalendarDays, isIsoDate, startOfLondonDay, type IsoDate } from '../../platform/clocks/london-time.js'
import { text, type FieldError } from '../../platform/forms/forms.js'

/**
 * What an insight page shows, read from its query string (so a view can be bookmarked and
 * shared): a period, an "as at" date, and filters. Pure: no I/O.
 *
 * Periods are calendar dates in UK time, inclusive at both ends:
 *   period=2025-26          the financial year 1 April 2025 to 31 March 2026
 *   period=2025-26-q1       its first quarter (April to June); q4 is January to March
 *   period=2026-04          a month
 *   period=custom&from=2026-01-01&to=2026-02-15
 * as-at=2026-06-30 shows the figures as the records stood at the end of that day (default: today).
 */

export type PeriodKind = 'financial-year' | 'quarter' | 'month' | 'custom'
export type Period = { kind: PeriodKind; key: string; from: IsoDate; to: IsoDate; label: string }

export const AGE_BANDS = [
  { value: 'under-10', label: 'Under 10', min: 0, max: 9 },
  { value: '10-13', label: '10 to 13', min: 10, max: 13 },
  { value: '14-17', label: '14 to 17', min: 14, max: 17 },
  { value: '18-plus', label: '18 or over', min: 18, max: 200 },
] as const
export type AgeBand = (typeof AGE_BANDS)[number]['value']

export const RATINGS = [
  { value: 'GREEN', label: 'Green' },
  { value: 'AMBER', label: 'Amber' },
  { value: 'RED', label: 'Red' },
] as const
export const GENDER_FILTERS = [
  { value: 'FEMALE', label: 'Female' },
  { value: 'MALE', label: 'Male' },
  { value: 'OTHER', label: 'In another way' },
  { value: 'NOT_KNOWN', label: 'Not known or not recorded' },
] as const
export const ETHNICITY_FILTERS = [
  { value: 'ASIAN', label: 'Asian' },
  { value: 'BLACK', label: 'Black' },
  { value: 'MIXED', label: 'Mixed or multiple' },
  { value: 'WHITE', label: 'White' },
  { value: 'OTHER', label: 'Other ethnic group' },
  { value: 'NOT_STATED', label: 'Not stated' },
  { value: 'NOT_KNOWN', label: 'Not known or not recorded' },
] as const
export const SEND_FILTERS = [
  { value: 'yes', label: 'SEND or learning difficulty recorded' },
  { value: 'no', label: 'None recorded' },
] as const

export type Filters = {
  agencyId?: string
  teamId?: string
  rating?: (typeof RATINGS)[number]['value']
  ageBand?: AgeBand
  gender?: (typeof GENDER_FILTERS)[number]['value']
  ethnicity?: (typeof ETHNICITY_FILTERS)[number]['value']
  send?: (typeof SEND_FILTERS)[number]['value']
}

export type InsightQuery = {
  period: Period
  asAt: IsoDate
  filters: Filters
  /** The start of the first day and the start of the day after the last, as instants (for indexed range scans). */
  fromInstant: Date
  toInstantExclusive: Date
  /** The end of the as-at day: nothing recorded after this instant is counted. */
  asAtCutoff: Date
}

export type Known = { agencies: readonly { id: string; name: string }[]; teams: readonly { id: string; name: string }[] }
export type ParsedQuery =
  { ok: true; value: InsightQuery; params: Record<string, string> } | { ok: false; errors: FieldError[]; params: Record<string, string> }

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
/** Two digits, for a month or day in an ISO date. */
export const pad = (n: number) => String(n).padStart(2, '0')
export const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** The financial year (April to March) a date falls in, by its starting year. */
export function financialYearOf(date: IsoDate): number {
  const [year, month] = date.split('-').map(Number) as [number, number]
  return month >= 4 ? year : year - 1
}

export const financialYearKey = (startYear: number) => `${startYear}-${pad((startYear + 1) % 100)}`

export function financialYear(startYear: number): Period {
  return {
    kind: 'financial-year',
    key: financialYearKey(startYear),
    from: `${startYear}-04-01`,
    to: `${startYear + 1}-03-31`,
    label: `Financial year ${startYear} to ${startYear + 1}`,
  }
}

export function quarter(startYear: number, q: 1 | 2 | 3 | 4): Period {
  const firstMonth = [4, 7, 10, 1][q - 1]!
  const year = q === 4 ? startYear + 1 : startYear
  const lastMonth = firstMonth + 2
  return {
    kind: 'quarter',
    key: `${financialYearKey(startYear)}-q${q}`,
    from: `${year}-${pad(firstMonth)}-01`,
    to: `${year}-${pad(lastMonth)}-${pad(lastDayOfMonth(year, lastMonth))}`,
    label: `Quarter ${q} of ${startYear} to ${startYear + 1} (${MONTHS[firstMonth - 1]} to ${MONTHS[lastMonth - 1]} ${year})`,
  }
}

export function month(year: number, m: number): Period {
  return {
    kind: 'month',
    key: `${year}-${pad(m)}`,
    from: `${year}-${pad(m)}-01`,
    to: `${year}-${pad(m)}-${pad(lastDayOfMonth(year, m))}`,
    label: `${MONTHS[m - 1]} ${year}`,
  }
}

/** Reads a period key; null when it is not one. */
export function periodFromKey(key: string): Period | null {
  let m = /^(\d{4})-(\d{2})$/.exec(key)
  if (m) {
    const [year, second] = [Number(m[1]), Number(m[2])]
    if (second === (year + 1) % 100 && year >= 2000 && year <= 2100) return financialYear(year)
    if (second >= 1 && second <= 12 && year >= 2000 && year <= 2100) return month(year, second)
    return null
  }
  m = /^(\d{4})-(\d{2})-q([1-4])$/.exec(key)
  if (m && Number(m[2]) === (Number(m[1]) + 1) % 100 && Number(m[1]) >= 2000 && Number(m[1]) <= 2100)
    return quarter(Number(m[1]), Number(m[3]) as 1 | 2 | 3 | 4)
  return null
}

/** Reads the query string into an insight query; unknown values are named, never ignored. */
export function parseInsightQuery(query: Record<string, unknown>, today: IsoDate, known: Known): ParsedQuery {
  const names = ['period', 'from', 'to', 'as-at', 'agency', 'team', 'rating', 'age', 'gender', 'ethnicity', 'send'] as const
  const params: Record<string, string> = {}
  for (const name of names) {
    const value = text(query[name]).trim()
    if (value) params[name] = value.slice(0, 100)
  }
  const errors: FieldError[] = []
  let period: Period | null = null
  const periodKey = params.period ?? financialYearKey(financialYearOf(today))
  if (periodKey === 'custom') {
    const from = params.from ?? ''
    const to = params.to ?? ''
    if (!isIsoDate(from))
      errors.push({ href: '#from', text: from ? 'Enter the start date as a real date, like 2025-04-01' : 'Enter the start date' })
    if (!isIsoDate(to)) errors.push({ href: '#to', text: to ? 'Enter the end date as a real date, like 2026-03-31' : 'Enter the end date' })
    if (isIsoDate(from) && isIsoDate(to)) {
      if (to < from) errors.push({ href: '#to', text: 'The end date must be the same as or after the start date' })
      else period = { kind: 'custom', key: 'custom', from, to, label: `${from} to ${to}` }
    }
  } else {
    period = periodFromKey(periodKey)
    if (!period) errors.push({ href: '#period', text: 'Select a period from the list, or choose “Custom dates”' })
  }
  const asAt = params['as-at'] ?? today
  if (!isIsoDate(asAt)) errors.push({ href: '#as-at', text: 'Enter the “as at” date as a real date, like 2026-03-31' })
  else if (asAt > today) errors.push({ href: '#as-at', text: 'The “as at” date cannot be in the future' })

  const filters: Filters = {}
  /** A filter from its parameter: one of `allowed`, else an error naming the parameter. */
  const choose = <K extends keyof Filters>(key: K, name: string, allowed: readonly { value: Filters[K] }[], message: string) => {
    const value = params[name]
    if (value === undefined) return
    const found = allowed.find((a) => a.value === value)
    if (found) filters[key] = found.value
    else errors.push({ href: `#${name}`, text: message })
  }
  choose(
    'agencyId',
    'agency',
    known.agencies.map((a) => ({ value: a.id })),
    'Select an agency from the list',
  )
  choose(
    'teamId',
    'team',
    known.teams.map((t) => ({ value: t.id })),
    'Select a team from the list',
  )
  choose('rating', 'rating', RATINGS, 'Select a rating from the list')
  choose('ageBand', 'age', AGE_BANDS, 'Select an age band from the list')
  choose('gender', 'gender', GENDER_FILTERS, 'Select a gender from the list')
  choose('ethnicity', 'ethnicity', ETHNICITY_FILTERS, 'Select an ethnic group from the list')
  choose('send', 'send', SEND_FILTERS, 'Select whether SEND is recorded from the list')

  if (errors.length || !period || !isIsoDate(asAt)) return { ok: false, errors, params }
  return {
    ok: true,
    params,
    value: {
      period,
      asAt,
      filters,
      fromInstant: startOfLondonDay(period.from),
      toInstantExclusive: startOfLondonDay(addCalendarDays(period.to, 1)),
      asAtCutoff: startOfLondonDay(addCalendarDays(asAt, 1)),
    },
  }
}

/** The query string of a view, for links (drill-through, downloads, the report pack). */
export function queryString(params: Record<string, string>, extra: Record<string, string> = {}): string {
  const all = new URLSearchParams({ ...params, ...extra })
  return all.toString()
}

/** The financial years offered in the period list: from the first year with records to this one. */
export function financialYearsBetween(firstYear: number, today: IsoDate): Period[] {
  const last = financialYearOf(today)
  const years: Period[] = []
  for (let y = last; y >= Math.min(firstYear, last); y--) years.push(financialYear(y))
  return years
}
