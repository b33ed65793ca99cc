import ExcelJS from 'exceljs'
import { formatLondonDate, formatLondonTime, isIsoDate, startOfLondonDay } from '../../platform/clocks/london-time.js'
import { escapeFormula } from '../../platform/exports/formula.js'
import { SUPPRESSED_MARK, type ShownCell, type ShownFigure } from './insight.figures.js'

/**
 * Downloads of insight figures, CSV and Excel, exactly as the reader sees them on the page:
 * suppressed cells stay "[c]". Every text cell is guarded against formula injection (labels are
 * partnership data); the workbook never holds a formula.
 */

/** What a download says about itself, in its first rows. */
export type ExportMeta = { title: string; periodLabel: string; asAt: string; filtersLabel: string; generatedAt: Date }

const isSuppressed = (cell: ShownCell) => cell.hidden === 'suppressed' || cell.hidden === 'secondary'

/** The rows that open every download: what it is, for when, and what [c] means. */
export function metaRows(figures: readonly ShownFigure[], meta: ExportMeta): string[][] {
  const asAt = isIsoDate(meta.asAt) ? formatLondonDate(startOfLondonDay(meta.asAt)) : meta.asAt
  const rows = [
    [meta.title],
    ['Period', meta.periodLabel],
    ['As at', asAt],
    ['Filters', meta.filtersLabel || 'None'],
    ['Generated', `${formatLondonDate(meta.generatedAt)} at ${formatLondonTime(meta.generatedAt)} (UK time)`],
  ]
  const threshold = figures.find((f) => f.anySuppressed && f.threshold !== null)?.threshold
  if (threshold) {
    rows.push([`${SUPPRESSED_MARK} = suppressed: fewer than ${threshold}, or hidden so that a total cannot reveal such a number`])
  }
  return rows
}

/** One figure as rows of text: title, description, header, then its rows as shown. */
export function figureRows(figure: ShownFigure): string[][] {
  return [
    [figure.title],
    [figure.description],
    [figure.rowHeading, ...figure.columns.map((c) => c.label)],
    ...figure.rows.map((row) => [row.label, ...row.cells.map((cell) => cell.text)]),
  ]
}

const csvField = (value: string): string => {
  const safe = escapeFormula(value)
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** RFC 4180: fields quoted when they need it, CRLF line ends, UTF-8 with a byte order mark for Excel. */
export function figuresCsv(figures: readonly ShownFigure[], meta: ExportMeta): string {
  const rows: string[][] = [...metaRows(figures, meta)]
  for (const figure of figures) rows.push([], ...figureRows(figure))
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`
}

const FORBIDDEN_SHEET_CHARS = /[[\]:*?/\\]/g

/** Sheet names: at most 31 characters, none of []:*?/\, no apostrophe at either end, unique (case-insensitive). */
export function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(FORBIDDEN_SHEET_CHARS, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^'+|'+$/g, '') || 'Figure'
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` (${n})`
    const name = `${base.slice(0, 31 - suffix.length).trimEnd()}${suffix}`
    const key = name.toLowerCase()
    if (!taken.has(key) && key !== 'history') {
      taken.add(key)
      return name
    }
  }
}

function textCell(cell: ExcelJS.Cell, value: string): void {
  cell.value = escapeFormula(value)
  cell.numFmt = '@'
}

function addTextRow(sheet: ExcelJS.Worksheet, values: readonly string[]): ExcelJS.Row {
  const row = sheet.addRow([])
  values.forEach((value, i) => textCell(row.getCell(i + 1), value))
  return row
}

/** A shown cell as a spreadsheet value: numbers stay numbers, shares become percentages, hidden cells their mark. */
function valueCell(cell: ExcelJS.Cell, shown: ShownCell, kind: string): void {
  if (shown.hidden || shown.value === null || isSuppressed(shown)) {
    textCell(cell, shown.text)
    cell.alignment = { horizontal: 'right' }
    return
  }
  if (kind === 'share') {
    cell.value = shown.value / 100
    cell.numFmt = '0%'
  } else if (kind === 'days') {
    cell.value = shown.value
    cell.numFmt = '#,##0.0'
  } else {
    cell.value = shown.value
    cell.numFmt = '#,##0'
  }
}

/** One sheet per figure, after an "About" sheet saying what the download is. Never any formula. */
export async function figuresXlsx(figures: readonly ShownFigure[], meta: ExportMeta): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = 'HSB Pathway'
  book.created = meta.generatedAt
  const taken = new Set<string>(['about'])
  const about = book.addWorksheet('About')
  about.columns = [{ width: 24 }, { width: 80 }]
  metaRows(figures, meta).forEach((values, i) => {
    const row = addTextRow(about, values)
    if (i === 0) row.font = { bold: true, size: 14 }
  })
  addTextRow(about, [])
  addTextRow(about, ['Figures']).font = { bold: true }
  const names = figures.map((figure) => sheetName(figure.title, taken))
  figures.forEach((figure, i) => addTextRow(about, [names[i]!, figure.description]))

  figures.forEach((figure, i) => {
    const sheet = book.addWorksheet(names[i]!, { views: [{ state: 'frozen', ySplit: 4 }] })
    sheet.columns = [{ width: 32 }, ...figure.columns.map(() => ({ width: 16 }))]
    addTextRow(sheet, [figure.title]).font = { bold: true, size: 14 }
    addTextRow(sheet, [figure.description])
    addTextRow(sheet, [])
    addTextRow(sheet, [figure.rowHeading, ...figure.columns.map((c) => c.label)]).font = { bold: true }
    for (const shown of figure.rows) {
      const row = sheet.addRow([])
      textCell(row.getCell(1), shown.label)
      shown.cells.forEach((cell, c) => valueCell(row.getCell(c + 2), cell, figure.columns[c]?.kind ?? 'count'))
      if (shown.isTotal) row.font = { bold: true }
    }
    if (figure.anySuppressed && figure.threshold !== null) {
      addTextRow(sheet, [])
      addTextRow(sheet, [
        `${SUPPRESSED_MARK} = suppressed: fewer than ${figure.threshold}, or hidden so that a total cannot reveal such a number`,
      ])
    }
  })
  return Buffer.from(await book.xlsx.writeBuffer())
}
