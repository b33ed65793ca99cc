import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { applyDisclosure } from './disclosure.rules.js'
import { figuresCsv, figuresXlsx, sheetName, type ExportMeta } from './figure-export.js'
import type { Figure, ShownFigure } from './insight.figures.js'

const meta: ExportMeta = {
  title: 'Harmful sexual behaviour: partnership insight',
  periodLabel: 'Financial year 2025 to 2026',
  asAt: '2026-03-31',
  filtersLabel: 'Agency: Northshire Police',
  // 14:05 UTC in British Summer Time is 3:05pm in the UK.
  generatedAt: new Date('2026-06-01T14:05:00Z'),
}

const ratings: Figure = {
  id: 'referrals-by-rating',
  title: 'Referrals by rating',
  description: 'Referrals received in the period, by their HSB rating.',
  rowHeading: 'Rating',
  columns: [
    { key: 'referrals', label: 'Referrals', kind: 'count' },
    { key: 'accepted', label: 'Accepted', kind: 'count' },
    { key: 'share', label: 'Accepted (%)', kind: 'share', of: { numerator: 'accepted', denominator: 'referrals' } },
    { key: 'days', label: 'Median days to decision', kind: 'days', basis: 'referrals' },
  ],
  rows: [
    { key: 'GREEN', label: 'Green', values: [1200, 600, null, 3.5] },
    { key: 'AMBER', label: 'Amber', values: [3, 3, null, 2] },
    { key: 'RED', label: '=1+1, "quoted"', values: [7, 6, null, 10] },
  ],
  totalRow: true,
  drillable: true,
}
const agencies: Figure = {
  id: 'agencies',
  title: 'Referrals: by agency [all]/*',
  description: 'Referrals by the agency that made them.',
  rowHeading: 'Agency',
  columns: [{ key: 'referrals', label: 'Referrals', kind: 'count' }],
  rows: [
    { key: 'a', label: '@SUM(A1)', values: [20] },
    { key: 'b', label: 'Schools', values: [0] },
  ],
  totalRow: true,
  drillable: false,
}

const suppressed = (f: Figure): ShownFigure => applyDisclosure(f, { suppress: true, threshold: 5, drill: false })
const open = (f: Figure): ShownFigure => applyDisclosure(f, { suppress: false, threshold: 5, drill: true })

describe('figuresCsv', () => {
  const csv = figuresCsv([suppressed(ratings), suppressed(agencies)], meta)
  const rows = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]

  it('is UTF-8 with a byte order mark and CRLF line ends', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '').includes('\n')).toBe(false)
  })

  it('opens with what it is, for when, and what [c] means', () => {
    expect(rows.slice(0, 6)).toEqual([
      ['Harmful sexual behaviour: partnership insight'],
      ['Period', 'Financial year 2025 to 2026'],
      ['As at', '31 March 2026'],
      ['Filters', 'Agency: Northshire Police'],
      ['Generated', '1 June 2026 at 3:05pm (UK time)'],
      ['[c] = suppressed: fewer than 5, or hidden so that a total cannot reveal such a number'],
    ])
  })

  it('has each figure as shown, with suppressed marks and guarded labels', () => {
    const start = rows.findIndex((r) => r[0] === 'Referrals by rating')
    expect(rows[start + 2]).toEqual(['Rating', 'Referrals', 'Accepted', 'Accepted (%)', 'Median days to decision'])
    expect(rows[start + 3]).toEqual(['Green', '1,200', '600', '50%', '3.5'])
    expect(rows[start + 4]).toEqual(['Amber', '[c]', '[c]', '[c]', '[c]'])
    expect(rows[start + 5]).toEqual(['\'=1+1, "quoted"', '[c]', '[c]', '[c]', '[c]'])
    expect(rows[start + 6]).toEqual(['Total', '1,210', '609', '50%', '–'])
    const second = rows.findIndex((r) => r[0] === 'Referrals: by agency [all]/*')
    expect(rows[second + 3]).toEqual(["'@SUM(A1)", '20'])
    expect(rows[second + 4]).toEqual(['Schools', '0'])
  })

  it('says nothing about [c] when nothing is suppressed', () => {
    const plain = parse(figuresCsv([open(ratings)], meta).slice(1), { relax_column_count: true }) as string[][]
    expect(plain.some((r) => r[0]?.startsWith('[c]'))).toBe(false)
    expect(plain.find((r) => r[0] === 'Amber')).toEqual(['Amber', '3', '3', '100%', '2'])
  })
})

describe('figuresXlsx', () => {
  async function load(figures: ShownFigure[]) {
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await figuresXlsx(figures, meta)) as unknown as ExcelJS.Buffer)
    return book
  }

  it('has an About sheet, then one sheet per figure with safe, unique names', async () => {
    const book = await load([suppressed(ratings), suppressed(agencies), suppressed({ ...agencies, id: 'again' })])
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'About',
      'Referrals by rating',
      'Referrals by agency all',
      'Referrals by agency all (2)',
    ])
    const about = book.getWorksheet('About')!
    expect(about.getCell('A1').value).toBe('Harmful sexual behaviour: partnership insight')
    expect(about.getRow(3).values).toEqual([undefined, 'As at', '31 March 2026'])
    expect(about.getCell('A6').value).toBe('[c] = suppressed: fewer than 5, or hidden so that a total cannot reveal such a number')
  })

  it('keeps numbers as numbers, shares as percentages, and suppressed cells as [c]', async () => {
    const sheet = (await load([suppressed(ratings)])).getWorksheet('Referrals by rating')!
    expect(sheet.getRow(4).values).toEqual([undefined, 'Rating', 'Referrals', 'Accepted', 'Accepted (%)', 'Median days to decision'])
    const green = sheet.getRow(5)
    expect(green.getCell(2).value).toBe(1200)
    expect(green.getCell(2).numFmt).toBe('#,##0')
    expect(green.getCell(4).value).toBe(0.5)
    expect(green.getCell(4).numFmt).toBe('0%')
    expect(green.getCell(5).value).toBe(3.5)
    expect(sheet.getRow(6).values).toEqual([undefined, 'Amber', '[c]', '[c]', '[c]', '[c]'])
    expect(sheet.getCell('A7').value).toBe('\'=1+1, "quoted"')
    expect(sheet.getRow(8).getCell(1).value).toBe('Total')
    expect(sheet.getRow(8).font?.bold).toBe(true)
    expect(sheet.getCell('A10').value).toMatch(/^\[c\] = suppressed: fewer than 5/)
  })

  it('never writes a formula', async () => {
    const book = await load([open(ratings), open(agencies)])
    for (const sheet of book.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)
          if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@]/)
        }),
      )
  })
})

describe('sheetName', () => {
  it('cuts to 31 characters, drops forbidden characters and keeps names unique', () => {
    const taken = new Set<string>()
    const long = 'Children referred by agency and rating over the period'
    const first = sheetName(long, taken)
    const second = sheetName(long, taken)
    expect(first.length).toBeLessThanOrEqual(31)
    expect(second.length).toBeLessThanOrEqual(31)
    expect(second).toMatch(/ \(2\)$/)
    expect(sheetName('a/b\\c?d*e:f[g]', taken)).toBe('a b c d e f g')
    expect(sheetName("'History'", taken)).toBe('History (2)')
    expect(sheetName('???', taken)).toBe('Figure')
  })
})
