import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline, Readable } from 'node:stream'
import { parse, type Parser } from 'csv-parse'
import { zipEntries, zipEntryStream, type ZipEntry } from '../../platform/files/zip.js'
import {
  columnFor,
  SSD_TABLE_NAMES,
  SSD_TABLES,
  tableForFile,
  type SsdColumn,
  type SsdRow,
  type SsdTable,
  type SsdTableName,
} from './ssd.spec.js'
import { normaliseCell } from './ssd.values.js'

/**
 * Reading an SSD extract (a folder of CSVs, or a zip of them) into rows, one at a time: every row
 * is read, checked and normalised as it streams past, so an extract of millions of rows never
 * sits in memory. A bad row is rejected (with its file, row number and why) and reading goes on;
 * a file that cannot be read at all is a file error and the next file is read. An extract that is
 * unsafe or too big is refused (ExtractRefused) before anything is read, or, when a zip turns out
 * to unpack to more than it said, as soon as that is seen.
 */

export type ExtractLimits = {
  /** The most one CSV may hold, unpacked. */
  maxFileBytes: number
  /** The most the whole extract may unpack to: declared sizes before reading, bytes counted while reading. */
  maxUnpackedBytes: number
  /** The most data rows, all files together. */
  maxRows: number
}

const MB = 1024 * 1024
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxFileBytes: 500 * MB, maxUnpackedBytes: 4 * 1024 * MB, maxRows: 5_000_000 }

export type ExtractSource = { dir: string } | { zip: Uint8Array }

/**
 * What reading finds, in order: files ignored and tables missing first; then for each table
 * (department first, involvements last: every table after the ones it points to) any warning
 * about its header, its rows (read or rejected) and, when the whole file was read, `file-done`
 * with its counts (not after a file error). `file` is the file's name as found in the extract
 * (with its folder, in a zip).
 */
export type ExtractEvent =
  | { kind: 'row'; row: SsdRow; warnings: string[] }
  | { kind: 'rejected'; table: SsdTableName; file: string; rowNo: number; reason: string }
  | { kind: 'file-error'; file: string; message: string }
  | { kind: 'warning'; file: string; message: string }
  | { kind: 'ignored'; file: string; reason: string }
  | { kind: 'file-done'; table: SsdTableName; file: string; rows: number; rejected: number }

/** The extract is not read at all, or reading stops: too big, a path that leaves the extract, not a zip. */
export class ExtractRefused extends Error {
  override name = 'ExtractRefused'
}

/** A CSV found in the extract for one of our tables. `declaredBytes`: its size as the zip or the file system says. */
type Found = { table: SsdTable; name: string; declaredBytes: number; fromZip: boolean; open: () => Readable | null }
type Located = { found: Found[]; ignored: { file: string; reason: string }[] }
/** What the whole extract has used so far. */
type Meter = { unpacked: number; rows: number }

const size = (bytes: number) =>
  bytes >= MB ? `${Math.round(bytes / MB).toLocaleString('en-GB')} MB` : `${bytes.toLocaleString('en-GB')} bytes`
const NOT_OURS = 'not one of the SSD tables this service imports'
/** csv-parse is fed this much at a time, so a stored (uncompressed) zip entry does not arrive as one huge chunk. */
const CHUNK_BYTES = 64 * 1024
/** No real SSD row is anywhere near this: an unclosed quote would otherwise swallow the rest of the file. */
const MAX_RECORD_CHARS = 4 * MB

/** The extract's rows and what went wrong with them, table by table in dependency order. */
export async function* readExtract(source: ExtractSource, limits: Partial<ExtractLimits> = {}): AsyncGenerator<ExtractEvent> {
  const max: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS, ...limits }
  const located = 'zip' in source ? locateInZip(source.zip, max) : await locateInDir(source.dir, max)
  for (const { file, reason } of located.ignored) yield { kind: 'ignored', file, reason }
  const byTable = new Map(located.found.map((f) => [f.table.name, f]))
  for (const name of SSD_TABLE_NAMES) {
    if (byTable.has(name)) continue
    const file = SSD_TABLES[name].file
    if (name === 'ssd_person')
      yield { kind: 'file-error', file, message: `${file} is not in the extract: the import cannot go on without it` }
    else yield { kind: 'warning', file, message: `${file} is not in the extract: nothing of it is imported` }
  }
  const meter: Meter = { unpacked: 0, rows: 0 }
  for (const name of SSD_TABLE_NAMES) {
    const found = byTable.get(name)
    if (found) yield* readFile(found, meter, max)
  }
}

// ---------------------------------------------------------------------------------------------
// Finding the files, and refusing before reading
// ---------------------------------------------------------------------------------------------

/** An absolute path, a Windows drive, or a `..` step: a name that would land outside the extract if unpacked. */
function leavesTheExtract(name: string): boolean {
  return /^[/\\]/.test(name) || /^[a-z]:/i.test(name) || name.split(/[/\\]/).includes('..')
}

function locateInZip(bytes: Uint8Array, limits: ExtractLimits): Located {
  const entries = zipEntries(bytes)
  if (!entries) throw new ExtractRefused('The file is not a zip that can be read (or it holds an absolute path or a name twice): refused.')
  const unsafe = entries.find((e) => leavesTheExtract(e.name))
  if (unsafe) throw new ExtractRefused(`The zip holds "${unsafe.name}", a path outside the extract: refused, nothing was read.`)
  const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0)
  if (declared > limits.maxUnpackedBytes)
    throw new ExtractRefused(
      `The zip says it unpacks to ${size(declared)}, more than the ${size(limits.maxUnpackedBytes)} allowed: refused.`,
    )
  const located: Located = { found: [], ignored: [] }
  for (const entry of entries.filter((e) => !e.name.endsWith('/'))) {
    const table = tableForFile(entry.name)
    if (!table) located.ignored.push({ file: entry.name, reason: NOT_OURS })
    else located.found.push(foundInZip(bytes, entry, table))
  }
  return checked(located, limits)
}

function foundInZip(bytes: Uint8Array, entry: ZipEntry, table: SsdTable): Found {
  return { table, name: entry.name, declaredBytes: entry.uncompressedSize, fromZip: true, open: () => zipEntryStream(bytes, entry) }
}

async function locateInDir(dir: string, limits: ExtractLimits): Promise<Located> {
  const located: Located = { found: [], ignored: [] }
  const names = await readdir(dir).catch((error: unknown) => {
    throw new ExtractRefused(`The folder ${dir} cannot be read: ${error instanceof Error ? error.message : String(error)}`)
  })
  for (const name of names.sort()) {
    const path = join(dir, name)
    const info = await stat(path)
    const table = info.isFile() ? tableForFile(name) : null
    if (!table) located.ignored.push({ file: name, reason: info.isFile() ? NOT_OURS : 'not a file' })
    else located.found.push({ table, name, declaredBytes: info.size, fromZip: false, open: () => createReadStream(path) })
  }
  return checked(located, limits)
}

/** One file a table, none over the limit, all of them together within the limit. */
function checked(located: Located, limits: ExtractLimits): Located {
  const seen = new Map<SsdTableName, string>()
  for (const f of located.found) {
    const other = seen.get(f.table.name)
    if (other)
      throw new ExtractRefused(`The extract holds both "${other}" and "${f.name}" for ${f.table.name}: refused, as either could be meant.`)
    seen.set(f.table.name, f.name)
    if (f.declaredBytes > limits.maxFileBytes)
      throw new ExtractRefused(`${f.name} is ${size(f.declaredBytes)}, more than the ${size(limits.maxFileBytes)} a file may be: refused.`)
  }
  const total = located.found.reduce((sum, f) => sum + f.declaredBytes, 0)
  if (total > limits.maxUnpackedBytes)
    throw new ExtractRefused(`The extract's files come to ${size(total)}, more than the ${size(limits.maxUnpackedBytes)} allowed: refused.`)
  return located
}

// ---------------------------------------------------------------------------------------------
// Reading one file
// ---------------------------------------------------------------------------------------------

/** The bytes, counted as they pass (a zip can say less than it holds), in pieces of at most CHUNK_BYTES. */
async function* metered(source: AsyncIterable<Buffer>, file: Found, meter: Meter, limits: ExtractLimits): AsyncGenerator<Buffer> {
  let bytes = 0
  for await (const chunk of source) {
    bytes += chunk.length
    meter.unpacked += chunk.length
    if (file.fromZip && bytes > file.declaredBytes)
      throw new ExtractRefused(
        `${file.name} unpacks to more than the ${size(file.declaredBytes)} the zip says: refused, the zip is not what it claims.`,
      )
    if (bytes > limits.maxFileBytes)
      throw new ExtractRefused(`${file.name} is more than the ${size(limits.maxFileBytes)} a file may be: refused.`)
    if (meter.unpacked > limits.maxUnpackedBytes)
      throw new ExtractRefused(`The extract unpacks to more than the ${size(limits.maxUnpackedBytes)} allowed: refused.`)
    for (let at = 0; at < chunk.length; at += CHUNK_BYTES) yield chunk.subarray(at, at + CHUNK_BYTES)
  }
}

function csvRecords(file: Found, stream: Readable, meter: Meter, limits: ExtractLimits): Parser {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS })
  // Errors reach the parser (pipeline destroys every stage with the first error) and so the loop reading it.
  pipeline(Readable.from(metered(stream, file, meter, limits)), parser, () => undefined)
  return parser
}

async function* readFile(file: Found, meter: Meter, limits: ExtractLimits): AsyncGenerator<ExtractEvent> {
  const table = file.table
  const stream = file.open()
  if (!stream) {
    yield {
      kind: 'file-error',
      file: file.name,
      message: `${file.name} cannot be unpacked (an unsupported kind of compression or a damaged zip)`,
    }
    return
  }
  const parser = csvRecords(file, stream, meter, limits)
  let header: Header | null = null
  let rowNo = 0
  const done = { table: table.name, file: file.name, rows: 0, rejected: 0 }
  let warnedEncoding = false
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        const bound = bindHeader(table, record, file.name)
        if (!bound.ok) {
          yield { kind: 'file-error', file: file.name, message: bound.message }
          return
        }
        for (const message of bound.warnings) yield { kind: 'warning', file: file.name, message }
        header = bound.header
        continue
      }
      rowNo++
      if (++meter.rows > limits.maxRows)
        throw new ExtractRefused(
          `The extract has more than ${limits.maxRows.toLocaleString('en-GB')} rows: refused at ${file.name}, row ${rowNo}.`,
        )
      const event = readRow(header, record, rowNo, file.name)
      if (event.kind === 'row') done.rows++
      else done.rejected++
      if (!warnedEncoding && record.some((cell) => cell.includes('\uFFFD'))) {
        warnedEncoding = true
        yield {
          kind: 'warning',
          file: file.name,
          message: `${file.name} is not all UTF-8 (first at row ${rowNo}): some letters may be wrong; save it as UTF-8`,
        }
      }
      yield event
    }
  } catch (error) {
    if (error instanceof ExtractRefused) throw error
    const why = error instanceof Error ? error.message : String(error)
    yield { kind: 'file-error', file: file.name, message: `${file.name} could not be read after row ${rowNo}: ${why}` }
    return
  } finally {
    parser.destroy()
    stream.destroy()
  }
  if (!header) yield { kind: 'file-error', file: file.name, message: `${file.name} is empty: it has no header row` }
  else yield { kind: 'file-done', ...done }
}

// ---------------------------------------------------------------------------------------------
// The header, and each row
// ---------------------------------------------------------------------------------------------

/** Which field holds which of the table's columns. */
type Header = { table: SsdTable; width: number; fields: { index: number; column: SsdColumn }[] }
type Bound = { ok: true; header: Header; warnings: string[] } | { ok: false; message: string }

const listed = (names: readonly string[]) => names.join(', ')

/** The header's names bound to the table's columns: by name, trimmed, any case, aliases honoured, in any order. */
export function bindHeader(table: SsdTable, names: readonly string[], file: string): Bound {
  const bound = new Map<string, { index: number; column: SsdColumn; exact: boolean; as: string }>()
  const unknown: string[] = []
  const warnings: string[] = []
  for (const [index, raw] of names.entries()) {
    const as = raw.trim()
    const column = columnFor(table, as)
    if (!column) {
      unknown.push(as === '' ? `(a column with no name, column ${index + 1})` : as)
      continue
    }
    const exact = as.toLowerCase() === column.name
    const before = bound.get(column.name)
    if (before && before.exact === exact)
      return { ok: false, message: `${file} has the column ${column.name} twice (${before.as} and ${as})` }
    if (before) warnings.push(`${file} has both ${column.name} and its other name ${exact ? before.as : as}: ${column.name} is read`)
    if (!before || exact) bound.set(column.name, { index, column, exact, as })
  }
  const missing = table.columns.filter((c) => c.required && !bound.has(c.name)).map((c) => c.name)
  if (missing.length)
    return {
      ok: false,
      message: `${file} is missing the required column${missing.length > 1 ? 's' : ''} ${listed(missing)}: nothing in it was read`,
    }
  if (unknown.length) warnings.push(`${file} has columns this import does not know, ignored: ${listed(unknown)}`)
  const fields = [...bound.values()].map(({ index, column }) => ({ index, column }))
  return { ok: true, header: { table, width: names.length, fields }, warnings }
}

type RowEvent = Extract<ExtractEvent, { kind: 'row' } | { kind: 'rejected' }>

/**
 * One data row (rowNo counts data rows from 1: the header is not counted): every column the table
 * has, normalised, null when empty or absent. A bad value in a required column rejects the row; in
 * another column it is left empty with a warning.
 */
export function readRow(header: Header, record: readonly string[], rowNo: number, file: string): RowEvent {
  const { table } = header
  const reject = (reason: string): RowEvent => ({ kind: 'rejected', table: table.name, file, rowNo, reason })
  if (record.length !== header.width) return reject(`row ${rowNo} has ${record.length} fields; the header has ${header.width}`)
  const values: Record<string, string | null> = Object.fromEntries(table.columns.map((c) => [c.name, null]))
  const warnings: string[] = []
  for (const { index, column } of header.fields) {
    const cell = normaliseCell(column.kind, record[index])
    if (!cell.ok && column.required) return reject(`${column.name}: ${cell.error}`)
    if (!cell.ok) {
      warnings.push(`${column.name}: ${cell.error}; left empty`)
      continue
    }
    if (cell.value === null && column.required) return reject(`${column.name} is empty${cell.warning ? ` (${cell.warning})` : ''}`)
    values[column.name] = cell.value
    if (cell.warning) warnings.push(`${column.name}: ${cell.warning}`)
  }
  const oneOf = table.requireOneOf ?? []
  if (oneOf.length && oneOf.every((c) => values[c] === null)) return reject(`none of ${listed(oneOf)} has a value`)
  return { kind: 'row', row: { table: table.name, file, rowNo, values }, warnings }
}

/** An event in a sentence, for a log or a list: "ssd_person.csv, row 3: pers_dob: '31/02/2020' is not a real date". */
export function describeEvent(event: ExtractEvent): string {
  switch (event.kind) {
    case 'row':
      return `${event.row.file}, row ${event.row.rowNo}: read${event.warnings.length ? ` (${event.warnings.join('; ')})` : ''}`
    case 'rejected':
      return `${event.file}, row ${event.rowNo}: rejected: ${event.reason}`
    case 'file-done':
      return `${event.file}: ${event.rows.toLocaleString('en-GB')} rows read, ${event.rejected.toLocaleString('en-GB')} rejected`
    case 'ignored':
      return `${event.file}: ignored (${event.reason})`
    case 'file-error':
    case 'warning':
      return event.message
  }
}
