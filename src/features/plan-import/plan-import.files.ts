import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { findHeader, type SheetCell, type SheetRow } from './plan-import.rules.js'

/** The largest plan accepted through the web. Real plans are a few hundred kilobytes at most. */
export const MAX_PLAN_BYTES = 5 * 1024 * 1024
export type PlanFileKind = 'CSV' | 'XLSX'
export type ReadFile = { ok: true; kind: PlanFileKind; rows: SheetRow[] } | { ok: false; message: string }

/** How much a reader accepts: the web's limits keep one upload small; the command line takes extracts. */
export type PlanLimits = { maxBytes: number; maxRows: number }
export const WEB_LIMITS: PlanLimits = { maxBytes: MAX_PLAN_BYTES, maxRows: 5000 }
/** The command line's limits: an extract of a few million rows (a JavaScript string holds at most about 512 MB). */
export const EXTRACT_LIMITS: PlanLimits = { maxBytes: 480 * 1024 * 1024, maxRows: 3_000_000 }

const fail = (message: string): ReadFile => ({ ok: false, message })
const MAX_COLUMNS = 40
const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.ceil(bytes / 1024)} kB`)

/** What kind of file the bytes are, by their first bytes rather than the name. */
export function sniff(bytes: Uint8Array): PlanFileKind | 'OLD_EXCEL' | 'BINARY' {
  const head = (n: number) => Array.from(bytes.subarray(0, n))
  if (head(4).join() === [0x50, 0x4b, 0x03, 0x04].join()) return 'XLSX'
  if (head(4).join() === [0xd0, 0xcf, 0x11, 0xe0].join()) return 'OLD_EXCEL'
  const sample = bytes.subarray(0, 8192)
  if (sample.includes(0)) return 'BINARY'
  return 'CSV'
}

/** Reads a CSV or XLSX plan into rows. Anything else, an empty file or one over the limit: a message for the person. */
export async function readPlanFile(bytes: Uint8Array, limits: PlanLimits = WEB_LIMITS): Promise<ReadFile> {
  if (bytes.length === 0) return fail('The file is empty.')
  if (bytes.length > limits.maxBytes)
    return fail(`The file is larger than ${megabytes(limits.maxBytes)}. Remove anything other than the action plan and try again.`)
  const kind = sniff(bytes)
  if (kind === 'OLD_EXCEL') return fail('The file is an older Excel workbook (.xls). Save it as .xlsx or CSV and try again.')
  if (kind === 'BINARY') return fail('The file must be a CSV or an Excel workbook (.xlsx).')
  return kind === 'XLSX' ? readXlsx(bytes, limits.maxRows) : readCsv(bytes, limits.maxRows)
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Excel on Windows saves CSV in Windows-1252.
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

/** An export escapes text that a spreadsheet would run with a leading apostrophe; a real formula in a CSV starts with "=". */
function csvCell(raw: string): SheetCell {
  if (/^'[=+\-@\t\r]/.test(raw)) return { text: raw.slice(1) }
  if (raw.startsWith('=')) return { text: raw, formula: true }
  return { text: raw }
}

function readCsv(bytes: Uint8Array, maxRows: number): ReadFile {
  const text = decode(bytes).replace(/^\uFEFF/, '')
  if (!text.trim()) return fail('The file is empty.')
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const count = (ch: string) => firstLine.split(ch).length - 1
  const delimiter = count('\t') > count(',') ? '\t' : count(';') > count(',') ? ';' : ','
  let records: string[][]
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][]
  } catch {
    return fail('The file could not be read as CSV. Check it opens in a spreadsheet, save it as CSV or .xlsx and try again.')
  }
  if (records.length > maxRows) return fail(`The file has more than ${maxRows.toLocaleString('en-GB')} rows.`)
  const rows = records.map((cells, i) => ({ rowNumber: i + 1, cells: cells.slice(0, MAX_COLUMNS).map(csvCell) }))
  return { ok: true, kind: 'CSV', rows }
}

type CellValue = ExcelJS.CellValue

function textOf(value: CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('')
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('result' in value) return textOf((value as { result?: CellValue }).result ?? null)
    if ('error' in value) return String(value.error)
  }
  return ''
}

const isoOf = (d: Date) => d.toISOString().slice(0, 10)
/** Excel's day numbers (1 = 1 January 1900, with its 1900 leap-year bug), for dates typed into a cell with no date format. */
const fromSerial = (serial: number) => isoOf(new Date(Date.UTC(1899, 11, 30) + Math.round(serial) * 86_400_000))

function sheetCell(cell: ExcelJS.Cell, isTargetColumn: boolean): SheetCell {
  const master = cell.isMerged ? cell.master : cell
  const fromAbove = master !== cell && master.row !== cell.row
  const fromLeft = master !== cell && master.row === cell.row
  const formula = master.type === ExcelJS.ValueType.Formula
  const value = master.value
  const flags = {
    ...(formula ? { formula: true } : {}),
    ...(fromAbove ? { fromAbove: true } : {}),
    ...(fromLeft ? { fromLeft: true } : {}),
  }
  if (value instanceof Date) return { text: isoOf(value), date: isoOf(value), ...flags }
  if (typeof value === 'number' && isTargetColumn && value > 20_000 && value < 80_000)
    return { text: String(value), date: fromSerial(value), ...flags }
  const raw = textOf(value)
  return { text: /^'[=+\-@\t\r]/.test(raw) ? raw.slice(1) : raw, ...flags }
}

async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<ReadFile> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer)
  } catch {
    return fail('The file is not an Excel workbook that can be read. Save it as .xlsx or CSV and try again.')
  }
  let fallback: SheetRow[] | null = null
  for (const sheet of workbook.worksheets) {
    if (sheet.rowCount > maxRows) return fail(`The sheet “${sheet.name}” has more than ${maxRows.toLocaleString('en-GB')} rows.`)
    const width = Math.min(sheet.columnCount, MAX_COLUMNS)
    const targetColumns = new Set<number>()
    const rows: SheetRow[] = []
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r)
      const cells: SheetCell[] = []
      for (let c = 1; c <= width; c++) cells.push(sheetCell(row.getCell(c), targetColumns.has(c - 1)))
      rows.push({ rowNumber: r, cells })
      if (!targetColumns.size) {
        const header = findHeader([{ rowNumber: r, cells }])
        if (header?.columns.target !== undefined) targetColumns.add(header.columns.target)
      }
    }
    if (findHeader(rows)) return { ok: true, kind: 'XLSX', rows }
    fallback ??= rows
  }
  return { ok: true, kind: 'XLSX', rows: fallback ?? [] }
}
