import { addCalendarDays, calendarDaysBetween, type IsoDate } from '../../platform/clocks/london-time.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { formatDate } from '../../platform/http/format.js'
import type { DashboardFigureId } from './dashboard.service.js'
import { SUPPRESSED_MARK, type ShownCell, type ShownFigure } from './insight.figures.js'
import { financialYear, financialYearOf, lastDayOfMonth, month, pad, parseInsightQuery, quarter, type Period } from './insight.query.js'
import type { ReportSection } from './insight.tables.js'

/**
 * The board's annual HSB report, as a pure document model: the four sections the partnerships
 * already write, in order, each with its text and the figures filled from the records for the
 * report's period (after publication suppression). The page, the DOCX and the PDF all come from
 * this; no I/O here.
 */

/** The headline figures: what was done in the period ("What have we done?"), and the same for the period before ("Where were we?"). */
export const HEADLINE_FIGURES = [
  'referrals-by-rating',
  'strategy-meetings',
  'aim-assessments',
  'interventions',
] as const satisfies readonly DashboardFigureId[]

export const SECTIONS = [
  {
    key: 'WHERE_WERE_WE',
    slug: 'where-were-we',
    heading: 'Where were we?',
    hint: 'Where the partnership started from: the position at the start of the period, and the figures for the period before.',
    figures: HEADLINE_FIGURES,
    previous: true,
  },
  {
    key: 'WHAT_HAVE_WE_DONE',
    slug: 'what-have-we-done',
    heading: 'What have we done?',
    hint: 'What the partnership did in the period: referrals, strategy meetings, AIM assessments and interventions.',
    figures: HEADLINE_FIGURES,
    previous: false,
  },
  {
    key: 'WHAT_ELSE',
    slug: 'what-else',
    heading: 'What else do we need to do?',
    hint: 'What is still to do: children waiting for provision, open cases, gaps in the provision.',
    figures: ['waiting-for-provision', 'open-cases-by-stage'],
    previous: false,
  },
  {
    key: 'WHAT_DIFFERENCE',
    slug: 'what-difference',
    heading: 'What difference have we made?',
    hint: 'The difference made for children: re-referrals within 12 months, and what children and families said.',
    figures: ['re-referrals'],
    previous: false,
  },
] as const satisfies readonly {
  key: ReportSection
  slug: string
  heading: string
  hint: string
  figures: readonly DashboardFigureId[]
  previous: boolean
}[]
export type SectionDef = (typeof SECTIONS)[number]

/** Every figure a report needs for its own period. */
export const CURRENT_FIGURES: readonly DashboardFigureId[] = [
  ...new Set(SECTIONS.filter((s) => !s.previous).flatMap((s) => [...s.figures])),
]

export const sectionBySlug = (slug: string): SectionDef | undefined => SECTIONS.find((s) => s.slug === slug)

export const BODY_MAX = 20_000
export const TITLE_MAX = 200

// ---------------------------------------------------------------- periods

/** A report's period from its dates, named as a financial year, quarter or month when it is one. */
export function reportPeriod(from: IsoDate, to: IsoDate): Period {
  const [y, m] = from.split('-').map(Number) as [number, number]
  const fy = financialYearOf(from)
  const candidates = [financialYear(fy), ...([1, 2, 3, 4] as const).map((q) => quarter(fy, q)), month(y, m)]
  const named = candidates.find((p) => p.from === from && p.to === to)
  return named ?? { kind: 'custom', key: 'custom', from, to, label: `${formatDate(from)} to ${formatDate(to)}` }
}

/**
 * The period of the same length just before: whole months map to the same number of whole months
 * (a financial year to the one before, a quarter to the quarter before), other periods to the same
 * number of days ending the day before this one starts.
 */
export function previousPeriod(from: IsoDate, to: IsoDate): Period {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number]
  if (fd === 1 && td === lastDayOfMonth(ty, tm)) {
    const months = ty * 12 + tm - (fy * 12 + fm) + 1
    const start = fy * 12 + (fm - 1) - months
    const startYear = Math.floor(start / 12)
    return reportPeriod(`${startYear}-${pad((start % 12) + 1)}-01`, addCalendarDays(from, -1))
  }
  const days = calendarDaysBetween(from, to) + 1
  const end = addCalendarDays(from, -1)
  return reportPeriod(addCalendarDays(end, -(days - 1)), end)
}

/**
 * The financial years offered when starting a report (latest first), back to the year of the
 * partnership's earliest record (`earliest`, history entered afterwards included) and at least
 * `count` of them; and the default: the last complete one.
 */
export function yearOptions(today: IsoDate, earliest: IsoDate | null = null, minimum = 6): { years: Period[]; defaultKey: string } {
  const current = financialYearOf(today)
  const count = Math.max(minimum, earliest && earliest < today ? current - financialYearOf(earliest) + 1 : 0)
  const years = Array.from({ length: count }, (_, i) => financialYear(current - i))
  return { years, defaultKey: financialYear(current - 1).key }
}

export const defaultTitle = (period: Period) =>
  period.kind === 'financial-year'
    ? `Annual HSB report ${period.from.slice(0, 4)} to ${period.to.slice(0, 4)}`
    : `HSB report ${period.label}`

export type ReportInput = { title: string; period: string; from: string; to: string }

/** A new report's title and period; the period's rules are the dashboard's (insight.query.ts). */
export function validateReportInput(
  input: ReportInput,
  today: IsoDate,
): { ok: true; value: { title: string; from: IsoDate; to: IsoDate } } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const title = input.title.trim()
  if (!title) errors.push({ href: '#title', text: 'Enter a title for the report' })
  else if (title.length > TITLE_MAX) errors.push({ href: '#title', text: `The title must be ${TITLE_MAX} characters or fewer` })
  let period: Period | null = null
  if (!input.period) errors.push({ href: '#period', text: 'Select the period the report covers' })
  else {
    const parsed = parseInsightQuery({ period: input.period, from: input.from, to: input.to }, today, { agencies: [], teams: [] })
    if (parsed.ok) period = parsed.value.period
    else errors.push(...parsed.errors.filter((e) => ['#period', '#from', '#to'].includes(e.href)))
  }
  if (errors.length || !period) return { ok: false, errors }
  return { ok: true, value: { title, from: period.from, to: period.to } }
}

export function validateSectionBody(body: string): { ok: true; value: string } | { ok: false; errors: FieldError[] } {
  const text = body.replace(/\r\n/g, '\n').trim()
  if (!text) return { ok: false, errors: [{ href: '#body', text: 'Enter the text of this section' }] }
  if (text.length > BODY_MAX)
    return { ok: false, errors: [{ href: '#body', text: `The section must be ${BODY_MAX.toLocaleString('en-GB')} characters or fewer` }] }
  return { ok: true, value: text }
}

// ---------------------------------------------------------------- summary sentences

/** What the main count of each figure is, in a sentence: [one, many]. */
const PHRASES: Partial<Record<string, [one: string, many: string]>> = {
  'referrals-by-rating': ['referral was received', 'referrals were received'],
  'referrals-by-agency': ['referral was received', 'referrals were received'],
  'referrals-by-age': ['referral was received', 'referrals were received'],
  'strategy-meetings': ['strategy meeting was held', 'strategy meetings were held'],
  'aim-assessments': ['AIM assessment was started', 'AIM assessments were started'],
  interventions: ['intervention was recorded', 'interventions were recorded'],
  're-referrals': ['referral was received', 'referrals were received'],
  'open-cases-by-stage': ['case was open', 'cases were open'],
  'waiting-for-provision': ['child was waiting for provision', 'children were waiting for provision'],
}
/** How the other counts read after their number (default: the column's label). */
const CLAUSES: Partial<Record<string, string>> = {
  'strategy-meetings.discussions': 'strategy discussions were held',
  'strategy-meetings.due': 'were due in the period (24 hours after a concern was confirmed)',
  'strategy-meetings.within-24-hours': 'were held within 24 hours',
  'strategy-meetings.running': 'not yet due (still running)',
  'aim-assessments.completed': 'were completed',
  'aim-assessments.within-6-weeks': 'within 6 weeks',
  'aim-assessments.within-8-weeks': 'within 8 weeks',
  're-referrals.re-referrals': 'were about a child referred in the 12 months before',
}
/** Figures whose rows are worth naming in the sentence (a short list of categories). */
const ROWS_NAMED = new Set(['referrals-by-rating', 'open-cases-by-stage', 'waiting-for-provision'])

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s)
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** How a count reads in a sentence: never the number when it is hidden. */
export function countWords(cell: ShownCell | undefined, threshold: number | null): string | null {
  if (!cell) return null
  if (cell.hidden === 'suppressed') return `fewer than ${threshold ?? 5}`
  if (cell.hidden === 'secondary') return 'not shown'
  if (cell.hidden === 'not-applicable' || cell.value === null) return null
  return cell.value.toLocaleString('en-GB')
}

const shareWords = (cell: ShownCell | undefined) => (cell && !cell.hidden && cell.value !== null ? cell.text : null)
const list = (items: readonly string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
const isHidden = (cell: ShownCell | undefined) => cell?.hidden === 'suppressed' || cell?.hidden === 'secondary'

/**
 * One sentence about a figure, from its (already suppressed) cells: the main count, the other
 * counts with their shares, and for short category lists the count in each. A hidden count reads
 * "fewer than 5" (or "not shown" when it is hidden so that others cannot be worked out): the
 * number itself is never in the sentence.
 */
export function summarise(fig: ShownFigure): string | null {
  const mainIndex = fig.columns.findIndex((c) => c.kind === 'count')
  if (mainIndex < 0) return null
  const dataRows = fig.rows.filter((r) => !r.isTotal)
  const total = fig.rows.find((r) => r.isTotal)
  const [one, many] = PHRASES[fig.id] ?? [`counted in “${fig.title}”`, `counted in “${fig.title}”`]
  if (!total) {
    // No total row (a cross-tabulation): the sum of every count, when none is hidden.
    const countCols = fig.columns.flatMap((c, i) => (c.kind === 'count' ? [i] : []))
    const cells = dataRows.flatMap((r) => countCols.map((i) => r.cells[i]))
    if (!cells.length) return `No ${many} in this period.`
    const rowsWord = `${dataRows.length} ${lowerFirst(fig.rowHeading)}${dataRows.length === 1 ? '' : 's'}`
    if (cells.some(isHidden)) return `${upperFirst(many)} with ${rowsWord}; some counts are suppressed.`
    const sum = cells.reduce((a, c) => a + (c?.value ?? 0), 0)
    if (sum === 0) return `No ${many} in this period.`
    return `${sum.toLocaleString('en-GB')} ${sum === 1 ? one : many} with ${rowsWord}.`
  }
  const main = total.cells[mainIndex]
  const words = countWords(main, fig.threshold)
  if (words === null) return null
  if (!main?.hidden && main?.value === 0) return `No ${many} in this period.`
  let lead =
    main?.hidden === 'secondary'
      ? `${many} (how many is not shown, so that small counts cannot be worked out)`
      : `${words} ${main?.value === 1 ? one : many}`
  if (ROWS_NAMED.has(fig.id)) {
    const named = dataRows
      .map((r) => ({ label: r.label, cell: r.cells[mainIndex] }))
      .filter((r) => isHidden(r.cell) || (r.cell?.value ?? 0) > 0)
      .map((r) => `${r.label} ${countWords(r.cell, fig.threshold)}`)
    if (named.length && named.length <= 8) lead += ` (by ${lowerFirst(fig.rowHeading)}: ${list(named)})`
  }
  const clauses: string[] = []
  fig.columns.forEach((col, i) => {
    if (i === mainIndex || col.kind !== 'count') return
    const n = countWords(total.cells[i], fig.threshold)
    if (n === null || total.cells[i]?.hidden === 'secondary') return
    const shareIndex = fig.columns.findIndex((c) => c.kind === 'share' && c.of?.numerator === col.key)
    const pct = shareIndex >= 0 ? shareWords(total.cells[shareIndex]) : null
    clauses.push(`${n}${pct ? ` (${pct})` : ''} ${CLAUSES[`${fig.id}.${col.key}`] ?? lowerFirst(col.label)}`)
  })
  return `${upperFirst(lead)}${clauses.length ? `, ${list(clauses)}` : ''}.`
}

/** A summary of the period before, for "Where were we?". */
export const previousSummary = (sentence: string | null) =>
  sentence ? `In the period before, ${lowerFirst(sentence.replace(/ in this period\.$/, '.'))}` : null

/** The explanation printed wherever a figure has a suppressed cell. */
export const suppressionNote = (threshold: number | null) =>
  `${SUPPRESSED_MARK} Not shown to protect children’s privacy: counts from 1 to ${(threshold ?? 5) - 1} are suppressed, and so are other figures from which they could be worked out.`

// ---------------------------------------------------------------- the document model

export type Block =
  | { kind: 'heading'; level: 1 | 2; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'muted' | 'summary' | 'note' }
  | { kind: 'table'; caption: string; header: string[]; rows: { cells: string[]; total: boolean }[]; numeric: boolean[] }

/** The report as headings, paragraphs and tables, in reading order: rendered to DOCX and PDF. */
export type ReportDocument = { title: string; meta: string[]; blocks: Block[] }

export type FigureContent = { figure: ShownFigure; summary: string | null }
export type SectionContent = { def: SectionDef; body: string | null; period: Period; figures: FigureContent[] }
export type ReportContent = {
  title: string
  period: Period
  previous: Period
  asAt: IsoDate
  generatedAt: Date
  sections: SectionContent[]
}

/** The report's sections in order, each with its text and its figures (picked by id, in the section's order). */
export function reportContent(input: {
  title: string
  from: IsoDate
  to: IsoDate
  asAt: IsoDate
  generatedAt: Date
  bodies: Partial<Record<ReportSection, string>>
  current: readonly ShownFigure[]
  previous: readonly ShownFigure[]
}): ReportContent {
  const period = reportPeriod(input.from, input.to)
  const previous = previousPeriod(input.from, input.to)
  const pick = (figures: readonly ShownFigure[], ids: readonly string[], before: boolean) =>
    ids
      .flatMap((id) => figures.filter((f) => f.id === id))
      .map((figure) => ({ figure, summary: before ? previousSummary(summarise(figure)) : summarise(figure) }))
  return {
    title: input.title,
    period,
    previous,
    asAt: input.asAt,
    generatedAt: input.generatedAt,
    sections: SECTIONS.map((def) => ({
      def,
      body: input.bodies[def.key] ?? null,
      period: def.previous ? previous : period,
      figures: pick(def.previous ? input.previous : input.current, def.figures, def.previous),
    })),
  }
}

export const NOT_WRITTEN = 'Not written yet.'

const paragraphsOf = (body: string) =>
  body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)

export function figureTable(figure: ShownFigure, period: Period): Extract<Block, { kind: 'table' }> {
  return {
    kind: 'table',
    caption: `${figure.title}, ${period.label}`,
    header: [figure.rowHeading, ...figure.columns.map((c) => c.label)],
    rows: figure.rows.map((r) => ({ cells: [r.label, ...r.cells.map((c) => c.text)], total: Boolean(r.isTotal) })),
    numeric: [false, ...figure.columns.map(() => true)],
  }
}

export function buildReportDocument(content: ReportContent): ReportDocument {
  const { period, previous } = content
  const blocks: Block[] = []
  for (const section of content.sections) {
    blocks.push({ kind: 'heading', level: 1, text: section.def.heading })
    if (section.body) for (const p of paragraphsOf(section.body)) blocks.push({ kind: 'paragraph', text: p })
    else blocks.push({ kind: 'paragraph', text: NOT_WRITTEN, tone: 'muted' })
    if (section.def.previous)
      blocks.push({
        kind: 'paragraph',
        text: `For comparison, the figures for the period before: ${previous.label} (${formatDate(previous.from)} to ${formatDate(previous.to)}).`,
        tone: 'muted',
      })
    for (const { figure, summary } of section.figures) {
      blocks.push({ kind: 'heading', level: 2, text: section.def.previous ? `${figure.title} (${section.period.label})` : figure.title })
      blocks.push({ kind: 'paragraph', text: figure.description, tone: 'muted' })
      if (summary) blocks.push({ kind: 'paragraph', text: summary, tone: 'summary' })
      blocks.push(figureTable(figure, section.period))
      if (figure.anySuppressed) blocks.push({ kind: 'paragraph', text: suppressionNote(figure.threshold), tone: 'note' })
    }
  }
  return {
    title: content.title,
    meta: [
      `Period: ${period.label} (${formatDate(period.from)} to ${formatDate(period.to)})`,
      `Figures as at ${formatDate(content.asAt)}. Generated ${formatDate(content.generatedAt)}.`,
      `Figures are counted from the partnership’s records and prepared for publication: no child-level information, and small counts are shown as ${SUPPRESSED_MARK}.`,
    ],
    blocks,
  }
}

// ---------------------------------------------------------------- text layout (the PDF)

export type LayoutLine =
  | { style: 'title' | 'meta' | 'h1' | 'h2' | 'body' | 'muted' | 'summary' | 'note' | 'caption'; text: string }
  | { style: 'row'; cells: string[]; widths: number[]; numeric: boolean[]; header: boolean; total: boolean }

/** Column widths as fractions of the line: the label column gets what its text needs (a third to a half), the numbers share the rest. */
export function columnFractions(header: readonly string[], rows: readonly { cells: readonly string[] }[]): number[] {
  const n = header.length
  if (n <= 1) return [1]
  const longest = Math.max(header[0]!.length, ...rows.map((r) => r.cells[0]?.length ?? 0))
  const first = Math.min(0.5, Math.max(1 / 3, longest / 80))
  return [first, ...Array.from({ length: n - 1 }, () => (1 - first) / (n - 1))]
}

/** The report as the lines the PDF writes, in order: what the PDF says, checkable without reading a PDF. */
export function layoutLines(doc: ReportDocument): LayoutLine[] {
  const lines: LayoutLine[] = [{ style: 'title', text: doc.title }, ...doc.meta.map((text) => ({ style: 'meta' as const, text }))]
  for (const b of doc.blocks) {
    if (b.kind === 'heading') lines.push({ style: b.level === 1 ? 'h1' : 'h2', text: b.text })
    else if (b.kind === 'paragraph') lines.push({ style: b.tone ?? 'body', text: b.text })
    else {
      const widths = columnFractions(b.header, b.rows)
      lines.push({ style: 'caption', text: b.caption })
      lines.push({ style: 'row', cells: b.header, widths, numeric: b.numeric, header: true, total: false })
      for (const r of b.rows) lines.push({ style: 'row', cells: r.cells, widths, numeric: b.numeric, header: false, total: r.total })
    }
  }
  return lines
}

/** The plain text of a layout, line by line (table cells separated by " | "): for tests and search. */
export const layoutText = (lines: readonly LayoutLine[]) => lines.map((l) => ('cells' in l ? l.cells.join(' | ') : l.text)).join('\n')
