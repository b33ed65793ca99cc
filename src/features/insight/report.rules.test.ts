import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FIGURE_SPECS, buildFigure, type Count } from './dashboard.figures.js'
import { applyDisclosure } from './disclosure.rules.js'
import type { ShownFigure } from './insight.figures.js'
import {
  SECTIONS,
  buildReportDocument,
  columnFractions,
  layoutLines,
  layoutText,
  previousPeriod,
  previousSummary,
  reportContent,
  reportPeriod,
  summarise,
  validateReportInput,
  yearOptions,
} from './report.rules.js'

const PUBLICATION = { suppress: true, threshold: 5, drill: false }
const spec = (id: string) => FIGURE_SPECS.find((f) => f.id === id)!
const counts = (cells: [row: string, col: string, n: number, label?: string][]): Count[] =>
  cells.map(([rowKey, colKey, n, label]) => ({ rowKey, colKey, n, median: null, label: label ?? null }))
const shown = (
  id: string,
  cells: [string, string, number, string?][],
  extra: Record<string, Record<string, number | null>> = {},
): ShownFigure => applyDisclosure(buildFigure(spec(id), counts(cells), extra), PUBLICATION)

/** Numbers 1 to 4 standing alone as counts (not part of a longer number, a percentage, or the labels' "24 hours", "6 weeks", "12 months"). */
const smallCount = (text: string) =>
  /(?<![\d.,])[1-4](?![\d%,.])/.test(
    text.replace(/fewer than 5|24 hours|6 weeks|8 weeks|12 months|Under 10|10 to 13|14 to 17|18 or over/g, ''),
  )

describe('report periods', () => {
  it('names a financial year, a quarter or a month, and otherwise shows the dates', () => {
    expect(reportPeriod('2025-04-01', '2026-03-31')).toMatchObject({
      kind: 'financial-year',
      key: '2025-26',
      label: 'Financial year 2025 to 2026',
    })
    expect(reportPeriod('2026-01-01', '2026-03-31')).toMatchObject({ kind: 'quarter', key: '2025-26-q4' })
    expect(reportPeriod('2026-02-01', '2026-02-28')).toMatchObject({ kind: 'month', key: '2026-02' })
    expect(reportPeriod('2025-04-10', '2025-06-30')).toMatchObject({ kind: 'custom', label: '10 April 2025 to 30 June 2025' })
  })

  it('takes the period of the same length just before, across financial-year boundaries', () => {
    // A financial year: the one before (including a leap year's 366 days).
    expect(previousPeriod('2024-04-01', '2025-03-31')).toMatchObject({ from: '2023-04-01', to: '2024-03-31', key: '2023-24' })
    expect(previousPeriod('2025-04-01', '2026-03-31')).toMatchObject({ from: '2024-04-01', to: '2025-03-31', key: '2024-25' })
    // The first quarter of a year: the last quarter of the year before.
    expect(previousPeriod('2025-04-01', '2025-06-30')).toMatchObject({ from: '2025-01-01', to: '2025-03-31', key: '2024-25-q4' })
    // April: March, in the financial year before.
    expect(previousPeriod('2025-04-01', '2025-04-30')).toMatchObject({ from: '2025-03-01', to: '2025-03-31', key: '2025-03' })
    // Whole months across a calendar year: November to February → July to October.
    expect(previousPeriod('2025-11-01', '2026-02-28')).toMatchObject({ from: '2025-07-01', to: '2025-10-31' })
    // Custom dates: the same number of days, ending the day before.
    expect(previousPeriod('2025-03-20', '2025-04-10')).toMatchObject({ kind: 'custom', from: '2025-02-26', to: '2025-03-19' })
    expect(previousPeriod('2025-04-01', '2025-04-01')).toMatchObject({ from: '2025-03-31', to: '2025-03-31' })
  })

  it('offers the financial years, defaulting to the last complete one', () => {
    const { years, defaultKey } = yearOptions('2026-05-10')
    expect(years.map((y) => y.key)).toEqual(['2026-27', '2025-26', '2024-25', '2023-24', '2022-23', '2021-22'])
    expect(defaultKey).toBe('2025-26')
    expect(yearOptions('2026-03-31').defaultKey).toBe('2024-25')
  })

  it('offers every year back to the partnership’s earliest record, history entered afterwards included', () => {
    const { years } = yearOptions('2026-05-10', '2018-06-01')
    expect(years.map((y) => y.key).at(-1)).toBe('2018-19')
    expect(years).toHaveLength(9)
    expect(yearOptions('2026-05-10', '2025-01-01').years).toHaveLength(6)
    expect(validateReportInput({ title: 'Back then', period: '2018-19', from: '', to: '' }, '2026-05-10')).toMatchObject({
      ok: true,
      value: { from: '2018-04-01', to: '2019-03-31' },
    })
  })

  it('checks a new report’s title and period with the dashboard’s rules', () => {
    expect(validateReportInput({ title: ' Annual HSB report 2025 to 2026 ', period: '2025-26', from: '', to: '' }, '2026-05-01')).toEqual({
      ok: true,
      value: { title: 'Annual HSB report 2025 to 2026', from: '2025-04-01', to: '2026-03-31' },
    })
    expect(validateReportInput({ title: 'Half year', period: 'custom', from: '2025-04-01', to: '2025-09-30' }, '2026-05-01')).toMatchObject(
      { ok: true, value: { from: '2025-04-01', to: '2025-09-30' } },
    )
    const backwards = validateReportInput({ title: 'Backwards', period: 'custom', from: '2026-03-31', to: '2025-04-01' }, '2026-05-01')
    expect(backwards).toEqual({ ok: false, errors: [{ href: '#to', text: 'The end date must be the same as or after the start date' }] })
    const empty = validateReportInput({ title: '', period: '', from: '', to: '' }, '2026-05-01')
    expect(empty.ok ? [] : empty.errors.map((e) => e.href)).toEqual(['#title', '#period'])
    const bad = validateReportInput({ title: 'x', period: 'custom', from: '2025-02-30', to: '' }, '2026-05-01')
    expect(bad.ok ? [] : bad.errors.map((e) => e.text)).toEqual([
      'Enter the start date as a real date, like 2025-04-01',
      'Enter the end date',
    ])
  })
})

describe('summary sentences', () => {
  it('say what the figures say, with the shares', () => {
    const meetings = shown('strategy-meetings', [
      ['AMBER', 'held', 9],
      ['AMBER', 'discussions', 5],
      ['AMBER', 'due', 14],
      ['AMBER', 'within-24-hours', 12],
      ['GREEN', 'held', 6],
      ['GREEN', 'due', 6],
      ['GREEN', 'within-24-hours', 6],
      ['GREEN', 'running', 5],
    ])
    // The share is of every strategy meeting that fell due (20), not of those held.
    expect(summarise(meetings)).toBe(
      '15 strategy meetings were held, 5 strategy discussions were held, 20 were due in the period (24 hours after a concern was confirmed), 18 (90%) were held within 24 hours and 5 not yet due (still running).',
    )
    const aim = shown('aim-assessments', [
      ['WELFARE', 'started', 12],
      ['WELFARE', 'completed', 10],
      ['WELFARE', 'within-6-weeks', 8],
      ['WELFARE', 'within-8-weeks', 10],
    ])
    expect(summarise(aim)).toBe('12 AIM assessments were started, 10 were completed, 8 (80%) within 6 weeks and 10 (100%) within 8 weeks.')
    expect(summarise(shown('referrals-by-rating', []))).toBe('No referrals were received in this period.')
    expect(previousSummary(summarise(shown('referrals-by-rating', [])))).toBe('In the period before, no referrals were received.')
    expect(
      summarise(
        shown('interventions', [
          ['p1', 'HIGH', 9, 'Provider A'],
          ['p2', 'LOW', 7, 'Provider B'],
        ]),
      ),
    ).toBe('16 interventions were recorded with 2 providers.')
  })

  it('write "fewer than 5" for a suppressed count, and never its number', () => {
    const referrals = shown('referrals-by-rating', [
      ['RED', 'referrals', 3],
      ['AMBER', 'referrals', 12],
      ['GREEN', 'referrals', 20],
    ])
    const sentence = summarise(referrals)!
    expect(sentence).toBe('35 referrals were received (by rating: Green 20, Amber not shown and Red fewer than 5).')
    expect(smallCount(sentence)).toBe(false)
    const interventions = shown('interventions', [
      ['p1', 'HIGH', 2, 'Provider A'],
      ['p2', 'LOW', 7, 'Provider B'],
    ])
    expect(summarise(interventions)).toBe('Interventions were recorded with 2 providers; some counts are suppressed.')
  })

  it('never contain a count from 1 to 4, whatever the counts (property)', () => {
    const n = fc.integer({ min: 0, max: 40 })
    fc.assert(
      fc.property(
        fc.array(n, { minLength: 4, maxLength: 4 }),
        fc.array(n, { minLength: 8, maxLength: 8 }),
        fc.array(n, { minLength: 4, maxLength: 4 }),
        (ratings, meetings, reReferrals) => {
          const rows = ['GREEN', 'AMBER', 'RED', 'NONE']
          const figures = [
            shown(
              'referrals-by-rating',
              rows.map((r, i) => [r, 'referrals', ratings[i]!]),
            ),
            shown(
              'strategy-meetings',
              rows.flatMap(
                (r, i) =>
                  [
                    [r, 'held', meetings[2 * i]! + meetings[2 * i + 1]!],
                    [r, 'due', meetings[2 * i]! + meetings[2 * i + 1]!],
                    [r, 'within-24-hours', meetings[2 * i]!],
                    [r, 'running', meetings[2 * i + 1]!],
                  ] as [string, string, number][],
              ),
            ),
            shown(
              're-referrals',
              ['under-10', '10-13', '14-17', '18-plus'].flatMap(
                (r, i) =>
                  [
                    [r, 'referrals', reReferrals[i]! + ratings[i]!],
                    [r, 're-referrals', reReferrals[i]!],
                  ] as [string, string, number][],
              ),
            ),
            shown(
              'waiting-for-provision',
              rows.slice(0, 3).map((_, i) => [['LOW', 'MEDIUM', 'HIGH'][i]!, 'waiting', ratings[i]!]),
              { services: { LOW: 1, MEDIUM: 2, HIGH: 1 }, places: { LOW: 10, MEDIUM: 12, HIGH: 6 } },
            ),
          ]
          for (const fig of figures) {
            const sentence = summarise(fig) ?? ''
            expect(smallCount(sentence), sentence).toBe(false)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('the document model', () => {
  const referrals = shown('referrals-by-rating', [
    ['RED', 'referrals', 3],
    ['AMBER', 'referrals', 12],
    ['GREEN', 'referrals', 20],
  ])
  const before = shown('referrals-by-rating', [
    ['AMBER', 'referrals', 8],
    ['GREEN', 'referrals', 30],
  ])
  const content = reportContent({
    title: 'Annual HSB report 2025 to 2026',
    from: '2025-04-01',
    to: '2026-03-31',
    asAt: '2026-05-01',
    generatedAt: new Date('2026-05-01T09:00:00Z'),
    bodies: { WHAT_HAVE_WE_DONE: 'We trained practitioners.\n\nWe held strategy meetings.' },
    current: [
      referrals,
      shown('re-referrals', [
        ['14-17', 'referrals', 35],
        ['14-17', 're-referrals', 6],
      ]),
    ],
    previous: [before],
  })
  const doc = buildReportDocument(content)

  it('has the four sections in order, each with its text or "Not written yet"', () => {
    expect(doc.blocks.filter((b) => b.kind === 'heading' && b.level === 1).map((b) => (b as { text: string }).text)).toEqual([
      'Where were we?',
      'What have we done?',
      'What else do we need to do?',
      'What difference have we made?',
    ])
    expect(SECTIONS.map((s) => s.key)).toEqual(['WHERE_WERE_WE', 'WHAT_HAVE_WE_DONE', 'WHAT_ELSE', 'WHAT_DIFFERENCE'])
    const text = layoutText(layoutLines(doc))
    expect(text).toContain('What have we done?\nWe trained practitioners.\nWe held strategy meetings.')
    expect(text.match(/Not written yet\./g)).toHaveLength(3)
    expect(doc.meta).toEqual([
      'Period: Financial year 2025 to 2026 (1 April 2025 to 31 March 2026)',
      'Figures as at 1 May 2026. Generated 1 May 2026.',
      'Figures are counted from the partnership’s records and prepared for publication: no child-level information, and small counts are shown as [c].',
    ])
  })

  it('puts the period before under "Where were we?" and this period’s figures under the others, as tables with [c] explained', () => {
    const where = content.sections[0]!
    expect(where.period).toMatchObject({ from: '2024-04-01', to: '2025-03-31' })
    expect(where.figures.map((f) => f.summary)).toEqual([
      'In the period before, 38 referrals were received (by rating: Green 30 and Amber 8).',
    ])
    expect(content.sections[1]!.figures.map((f) => f.figure.id)).toEqual(['referrals-by-rating'])
    expect(content.sections[3]!.figures.map((f) => f.figure.id)).toEqual(['re-referrals'])
    const tables = doc.blocks.filter((b) => b.kind === 'table')
    expect(tables.map((t) => t.caption)).toEqual([
      'Requests for support by screening rating, Financial year 2024 to 2025',
      'Requests for support by screening rating, Financial year 2025 to 2026',
      'Re-referrals within 12 months, Financial year 2025 to 2026',
    ])
    expect(tables[1]).toMatchObject({
      header: ['Rating', 'Requests for support'],
      rows: [
        { cells: ['Green', '20'], total: false },
        { cells: ['Amber', '[c]'], total: false },
        { cells: ['Red', '[c]'], total: false },
        { cells: ['Not yet rated', '0'], total: false },
        { cells: ['Total', '35'], total: true },
      ],
    })
    const text = layoutText(layoutLines(doc))
    expect(text).toContain('Rating | Requests for support\nGreen | 20\nAmber | [c]\nRed | [c]\nNot yet rated | 0\nTotal | 35')
    expect(text).toContain('[c] Not shown to protect children’s privacy: counts from 1 to 4 are suppressed')
    expect(text).toContain('35 referrals were received (by rating: Green 20, Amber not shown and Red fewer than 5).')
    expect(text).not.toMatch(/\b3\b/)
  })

  it('lays tables out with a label column wide enough for its text', () => {
    const narrow = columnFractions(['Rating', 'Count'], [{ cells: ['Green', '1'] }])
    expect(narrow[0]).toBeCloseTo(1 / 3)
    expect(narrow[1]).toBeCloseTo(2 / 3)
    const wide = columnFractions(['Stage', 'A', 'B'], [{ cells: ['Waiting for the AIM strategy discussion with the police', '1', '2'] }])
    expect(wide[0]).toBe(0.5)
    expect(wide.reduce((a, b) => a + b, 0)).toBeCloseTo(1)
    expect(columnFractions(['Only'], [])).toEqual([1])
  })
})
