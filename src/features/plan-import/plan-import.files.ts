import pLimit from 'p-limit'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { zipEntries, zipEntryStream } from '../../platform/files/zip.js'
import { findHeader, type SheetCell, type SheetRow } from './plan-import.rules.js'

/** The largest plan accepted through the web. Real plans are a few hundred kilobytes at most. */
export const MAX_PLAN_BYTES = 5 * 1024 * 1024
export type PlanFileKind = 'CSV' | 'XLSX'
/** A refusal says how many rows were read before it: a file over the row limit is refused at the row after it. */
export type ReadFile = { ok: true; kind: PlanFileKind; rows: SheetRow[] } | { ok: false; message: string; rowsRead?: number }

/**
 * How much a reader accepts: the web's limits keep one upload small; the command line takes extracts.
 * `maxUnpackedBytes`: what a workbook (a zip) may hold once inflated, counted while inflating, so a
 * small file that unpacks to gigabytes is refused before the spreadsheet library unpacks it.
 */
export type PlanLimits = { maxBytes: number; maxRows: number; maxUnpackedBytes: number }
/** A plan of 5,000 rows of board text unpacks to a few megabytes; 50 MB is far beyond any real one. */
export const WEB_LIMITS: PlanLimits = { maxBytes: MAX_PLAN_BYTES, maxRows: 5000, maxUnpackedBytes: 50 * 1024 * 1024 }
/** The command line's limits: an extract of a few million rows (a JavaScript string holds at most about 512 MB). */
export const EXTRACT_LIMITS: PlanLimits = { maxBytes: 480 * 1024 * 1024, maxRows: 3_000_000, maxUnpackedBytes: 8 * 1024 * 1024 * 1024 }

const fail = (message: string, rowsRead?: number): ReadFile => ({ ok: false, message, ...(rowsRead === undefined ? {} : { rowsRead }) })
const MAX_COLUMNS = 40
const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.ceil(bytes / 1024)} kB`)
const tooManyRows = (maxRows: number, rowsRead: number) =>
  fail(`The file must have ${maxRows.toLocaleString('en-GB')} rows or fewer.`, rowsRead)
const NOT_A_WORKBOOK = 'The file is not an Excel workbook that can be read. Save it as .xlsx or CSV and try again.'

/** What kind of file the bytes are, by their first bytes rather than the name. */
export function sniff(bytes: Uint8Array): PlanFileKind | 'OLD_EXCEL' | 'BINARY' {
  const head = (n: number) => Array.from(bytes.subarray(0, n))
  if (head(4).join() === [0x50, 0x4b, 0x03, 0x04].join()) return 'XLSX'
  if (head(4).join() === [0xd0, 0xcf, 0x11, 0xe0].join()) return 'OLD_EXCEL'
  const sample = bytes.subarray(0, 8192)
  if (sample.includes(0)) return 'BINARY'
  return 'CSV'
}

/**
 * Reads a CSV or XLSX plan into rows. Anything else, an empty file or one over the limits: a message
 * for the person. The row limit is checked as rows are read (a CSV stops at the row after the limit;
 * a workbook's sheets are counted while they are inflated, before the workbook is built).
 */
export async function readPlanFile(bytes: Uint8Array, limits: PlanLimits = WEB_LIMITS): Promise<ReadFile> {
  if (bytes.length === 0) return fail('The file is empty.')
  if (bytes.length > limits.maxBytes)
    return fail(`The file is larger than ${megabytes(limits.maxBytes)}. Remove anything other than the action plan and try again.`)
  const kind = sniff(bytes)
  if (kind === 'OLD_EXCEL') return fail('The file is an older Excel workbook (.xls). Save it as .xlsx or CSV and try again.')
  if (kind === 'BINARY') return fail('The file must be a CSV or an Excel workbook (.xlsx).')
  if (kind === 'CSV') return readCsv(bytes, limits.maxRows)
  const checked = await checkWorkbook(bytes, limits)
  return checked ?? readXlsx(bytes, limits.maxRows)
}

/** How long a web upload's reading may take before it is given up (the person is asked to try a smaller file). */
const WORKER_TIMEOUT_MS = 60_000
/** The reader's heap in its thread: far more than a 5,000-row plan needs, far less than the service has. */
const WORKER_HEAP_MB = 512

/**
 * `readPlanFile` in a worker thread, so a large file's parsing never holds up other people's pages;
 * with the thread's id (tests check it was not the web process's main thread). A thread that runs
 * out of memory or time gives a message, not an error page.
 */
export function readPlanFileInThread(bytes: Uint8Array, limits: PlanLimits = WEB_LIMITS): Promise<{ threadId: number; file: ReadFile }> {
  return readers(() => readInThread(bytes, limits))
}

/** At most this many files are read at once in this process (each thread may take WORKER_HEAP_MB); the rest wait their turn. */
const READERS_AT_ONCE = 2
const readers = pLimit(READERS_AT_ONCE)

function readInThread(bytes: Uint8Array, limits: PlanLimits): Promise<{ threadId: number; file: ReadFile }> {
  const [script, options] = workerScript()
  const worker = new Worker(script, {
    ...options,
    workerData: { bytes, limits },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    stdout: false,
    stderr: false,
  })
  worker.unref() // a reading in progress does not keep a stopping process alive
  return new Promise((resolve) => {
    let settled = false
    const settle = (value: { threadId: number; file: ReadFile }) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      resolve(value)
    }
    const unreadable = () =>
      settle({
        threadId: worker.threadId,
        file: fail('The file could not be read. Check it opens in a spreadsheet, save it as CSV or .xlsx and try again.'),
      })
    const timer = setTimeout(unreadable, WORKER_TIMEOUT_MS)
    worker.once('message', (file: ReadFile) => settle({ threadId: worker.threadId, file }))
    worker.once('error', unreadable)
    worker.once('exit', unreadable)
  })
}

/**
 * The worker's script. Built, it is JavaScript beside this file. From source (tests, `npm run dev`)
 * it is TypeScript: a one-line script registers tsx in the thread, then imports it (a worker does not
 * take tsx through --import on Node 20).
 */
function workerScript(): [string | URL, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./plan-import.worker.js', import.meta.url), {}]
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json')
  const exported = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports
  const api = new URL(exported['./esm/api']!.import.default, pathToFileURL(pkg)).href
  const script = new URL('./plan-import.worker.ts', import.meta.url).href
  return [`import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}) })`, { eval: true }]
}

/** The entries ExcelJS reads as worksheets (it matches this pattern anywhere in an entry's name). */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/
/** A row element (with or without a namespace prefix) and its attributes. */
const ROW_TAG = /<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>/g
const ROW_NUMBER = /(?:^|\s)r\s*=\s*["'](\d+)["']/
/** An unfinished tag longer than this between two chunks is not a spreadsheet's. */
const MAX_TAG = 64 * 1024

/**
 * Checks a workbook before it is built: every entry is inflated as a stream, counting what it unpacks
 * to, and every worksheet's rows are counted (and their declared row numbers read) as they go past,
 * stopping at the first row over the limit. Null when the workbook is within the limits.
 */
async function checkWorkbook(bytes: Uint8Array, limits: PlanLimits): Promise<ReadFile | null> {
  const entries = zipEntries(bytes)
  if (!entries) return fail(NOT_A_WORKBOOK)
  let unpacked = 0
  for (const entry of entries) {
    const stream = zipEntryStream(bytes, entry)
    if (!stream) return fail(NOT_A_WORKBOOK)
    const isSheet = WORKSHEET.test(entry.name)
    let rows = 0
    let carry = ''
    let refusal: ReadFile | null = null
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        unpacked += chunk.length
        if (unpacked > limits.maxUnpackedBytes) {
          refusal = fail(
            `The workbook unpacks to more than ${megabytes(limits.maxUnpackedBytes)}. Save the action plan on its own as .xlsx or CSV and try again.`,
          )
          break
        }
        if (!isSheet) continue
        // Tags are ASCII: latin1 keeps one character per byte, so a chunk boundary never splits a character.
        const text = carry + chunk.toString('latin1')
        const open = text.lastIndexOf('<')
        const complete = open >= 0 && text.indexOf('>', open) < 0 ? open : text.length
        carry = text.slice(complete)
        if (carry.length > MAX_TAG) {
          refusal = fail(NOT_A_WORKBOOK)
          break
        }
        for (const match of text.slice(0, complete).matchAll(ROW_TAG)) {
          rows++
          const declared = Number(ROW_NUMBER.exec(match[1] ?? '')?.[1] ?? 0)
          if (rows > limits.maxRows || declared > limits.maxRows) {
            refusal = tooManyRows(limits.maxRows, rows)
            break
          }
        }
        if (refusal) break
      }
    } catch {
      refusal = fail(NOT_A_WORKBOOK)
    } finally {
      stream.destroy()
    }
    if (refusal) return refusal
  }
  return null
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
  let rowsRead = 0
  try {
    // `to`: the parser stops at the row after the limit, without reading the rest of the file.
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      to: maxRows + 1,
      on_record: (record: string[]) => {
        rowsRead++
        return record
      },
    }) as string[][]
  } catch {
    return fail('The file could not be read as CSV. Check it opens in a spreadsheet, save it as CSV or .xlsx and try again.')
  }
  if (records.length > maxRows) return tooManyRows(maxRows, rowsRead)
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
    return fail(NOT_A_WORKBOOK)
  }
  let fallback: SheetRow[] | null = null
  for (const sheet of workbook.worksheets) {
    if (sheet.rowCount > maxRows) return tooManyRows(maxRows, sheet.rowCount)
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
