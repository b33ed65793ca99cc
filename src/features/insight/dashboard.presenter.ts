import { addCalendarDays, formatLondonDate, startOfLondonDay, type IsoDate } from '../../platform/clocks/london-time.js'
import type { ShownFigure } from './insight.figures.js'
import {
  AGE_BANDS,
  ETHNICITY_FILTERS,
  financialYearOf,
  GENDER_FILTERS,
  month,
  quarter,
  RATINGS,
  SEND_FILTERS,
  type Known,
  type Period,
} from './insight.query.js'

type Item = { value: string; text: string; selected?: boolean }

const items = (
  all: readonly { value: string; label?: string; text?: string }[],
  selected: string | undefined,
  allLabel: string,
): Item[] => [
  { value: '', text: allLabel, selected: !selected },
  ...all.map((a) => ({ value: a.value, text: a.label ?? a.text ?? a.value, selected: a.value === selected })),
]

/** The filter form: GOV.UK select items with the current choice selected, and a summary in words. */
export function presentFilters(params: Record<string, string>, known: Known, years: readonly Period[], today: IsoDate) {
  const currentYear = financialYearOf(today)
  const periods: { value: string; text: string }[] = []
  for (const year of years) periods.push({ value: year.key, text: year.label })
  for (const y of [currentYear, currentYear - 1])
    for (const q of [1, 2, 3, 4] as const) periods.push({ value: quarter(y, q).key, text: quarter(y, q).label })
  let date = `${today.slice(0, 7)}-01`
  for (let i = 0; i < 12; i++) {
    const [y, m] = date.split('-').map(Number) as [number, number]
    periods.push({ value: month(y, m).key, text: month(y, m).label })
    date = addCalendarDays(date, -1).slice(0, 7) + '-01'
  }
  periods.push({ value: 'custom', text: 'Custom dates (enter them below)' })
  const selectedPeriod = params.period ?? years[0]?.key ?? ''
  const agencies = known.agencies.map((a) => ({ value: a.id, text: a.name }))
  const teams = known.teams.map((t) => ({ value: t.id, text: t.name }))
  const label = (list: readonly { value: string; text?: string; label?: string }[], value: string | undefined) => {
    const found = list.find((l) => l.value === value)
    return found ? (found.label ?? found.text ?? value) : undefined
  }
  const summary = [
    ['Agency', label(agencies, params.agency)],
    ['Team', label(teams, params.team)],
    ['Rating', label(RATINGS, params.rating)],
    ['Age', label(AGE_BANDS, params.age)],
    ['Gender', label(GENDER_FILTERS, params.gender)],
    ['Ethnic group', label(ETHNICITY_FILTERS, params.ethnicity)],
    ['SEND', label(SEND_FILTERS, params.send)],
  ]
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
  return {
    periodItems: periods.map((p) => ({ ...p, selected: p.value === selectedPeriod })),
    agencyItems: items(agencies, params.agency, 'All agencies'),
    teamItems: items(teams, params.team, 'All teams'),
    ratingItems: items(RATINGS, params.rating, 'All ratings'),
    ageItems: items(AGE_BANDS, params.age, 'All ages'),
    genderItems: items(GENDER_FILTERS, params.gender, 'All'),
    ethnicityItems: items(ETHNICITY_FILTERS, params.ethnicity, 'All ethnic groups'),
    sendItems: items(SEND_FILTERS, params.send, 'All children'),
    from: params.from ?? '',
    to: params.to ?? '',
    asAt: params['as-at'] ?? '',
    summary,
  }
}

/** Each figure with its chart (SVG built by our own escaped code) and its download links. */
export function presentFigures(
  figures: readonly ShownFigure[],
  chart: (f: ShownFigure) => string,
  downloads: (id: string) => { csv: string; xlsx: string },
) {
  return figures.map((fig) => ({ fig, chart: chart(fig), downloads: downloads(fig.id) }))
}

/**
 * Which date the figures are as at, in plain words for the top of the page: the end of a past
 * day, or today so far (the figures then count up to the moment the page was shown).
 */
export function presentAsAt(asAt: IsoDate, today: IsoDate): { heading: string; detail: string } {
  const day = formatLondonDate(startOfLondonDay(asAt))
  const detail =
    'They count what had happened by then, by the date and time each step happened, even where it was entered on the system later.'
  if (asAt === today)
    return {
      heading: `Figures as at today, ${day}, up to the time this page was shown`,
      detail: `${detail} A strategy meeting not yet due is counted as still running.`,
    }
  return { heading: `Figures as at the end of ${day}`, detail }
}
