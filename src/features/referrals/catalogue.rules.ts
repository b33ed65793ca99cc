/**
 * A partnership's own behaviour catalogue for a screening tool, loaded as a CSV file.
 * Pure functions, no I/O. The behaviour lists of licensed tools are never shipped: a
 * partnership holding a licence loads its own, with the header
 * `tool_version,age_band,rating,behaviour`.
 */
import { BROOK_TOOLS, isBrookToolVersion, type BrookToolVersion } from './age-bands.rules.js'

export const CATALOGUE_HEADER = ['tool_version', 'age_band', 'rating', 'behaviour'] as const
export const MAX_CATALOGUE_ROWS = 2000
export const MAX_BEHAVIOUR_LENGTH = 300
const RATINGS = ['GREEN', 'AMBER', 'RED'] as const
export type CatalogueRating = (typeof RATINGS)[number]

export type CatalogueRow = { toolVersion: BrookToolVersion; ageBand: string; rating: CatalogueRating; behaviour: string }
/** Row 1 is the header, so the first behaviour is row 2, as a spreadsheet numbers it. */
export type CatalogueError = { row: number; message: string }
export type CatalogueParse = { ok: true; rows: CatalogueRow[] } | { ok: false; errors: CatalogueError[] }

/** Splits CSV text into records of fields: quoted fields may hold commas, line breaks and doubled quotes. */
export function splitCsv(text: string): { records: string[][] } | { error: string } {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  let wasQuoted = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '' && !wasQuoted) {
      quoted = true
      wasQuoted = true
    } else if (c === ',') {
      record.push(field)
      field = ''
      wasQuoted = false
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
      wasQuoted = false
    } else field += c
  }
  if (quoted) return { error: 'A quoted field is not closed: check the quotation marks' }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return { records }
}

/** The band key for a band's label (or its key) in one tool version; undefined if it is not one. */
export function bandKeyFor(version: BrookToolVersion, band: string): string | undefined {
  const wanted = band.trim().toLowerCase()
  return BROOK_TOOLS[version].bands.find((b) => b.label.toLowerCase() === wanted || b.key.toLowerCase() === wanted)?.key
}

export function parseCatalogue(text: string): CatalogueParse {
  const split = splitCsv(text)
  if ('error' in split) return { ok: false, errors: [{ row: 0, message: split.error }] }
  const records = split.records.filter((r) => r.some((f) => f.trim() !== ''))
  const header = records[0]?.map((h) => h.trim().toLowerCase())
  if (!header || header.join(',') !== CATALOGUE_HEADER.join(',')) {
    return { ok: false, errors: [{ row: 1, message: `The first row must be the header ${CATALOGUE_HEADER.join(',')}` }] }
  }
  const headerIndex = split.records.indexOf(records[0]!)
  const body = split.records.slice(headerIndex + 1)
  const errors: CatalogueError[] = []
  const rows: CatalogueRow[] = []
  const seen = new Map<string, number>()
  const count = records.length - 1
  if (count === 0) return { ok: false, errors: [{ row: 2, message: 'The file has no behaviours' }] }
  if (count > MAX_CATALOGUE_ROWS)
    return { ok: false, errors: [{ row: 0, message: `The file has ${count} behaviours: the most is ${MAX_CATALOGUE_ROWS}` }] }
  body.forEach((fields, i) => {
    const row = headerIndex + i + 2
    if (fields.every((f) => f.trim() === '')) return
    if (fields.length !== CATALOGUE_HEADER.length) {
      errors.push({ row, message: `Row ${row} has ${fields.length} fields: it must have ${CATALOGUE_HEADER.length}` })
      return
    }
    const [version, band, rating, behaviour] = fields.map((f) => f.trim()) as [string, string, string, string]
    const problems: string[] = []
    if (!isBrookToolVersion(version)) problems.push(`tool version “${version}” is not one of ${Object.keys(BROOK_TOOLS).join(', ')}`)
    const bandKey = isBrookToolVersion(version) ? bandKeyFor(version, band) : undefined
    if (isBrookToolVersion(version) && !bandKey) {
      problems.push(`age band “${band}” is not a band of ${version} (${BROOK_TOOLS[version].bands.map((b) => b.label).join(', ')})`)
    }
    const upper = rating.toUpperCase()
    if (!(RATINGS as readonly string[]).includes(upper)) problems.push(`rating “${rating}” must be GREEN, AMBER or RED`)
    if (behaviour === '') problems.push('the behaviour is empty')
    else if (behaviour.length > MAX_BEHAVIOUR_LENGTH) problems.push(`the behaviour is longer than ${MAX_BEHAVIOUR_LENGTH} characters`)
    if (problems.length === 0) {
      const key = `${version}|${bandKey}|${behaviour.toLowerCase()}`
      const first = seen.get(key)
      if (first !== undefined) problems.push(`it repeats row ${first}`)
      else seen.set(key, row)
    }
    if (problems.length > 0) errors.push({ row, message: `Row ${row}: ${problems.join('; ')}` })
    else rows.push({ toolVersion: version as BrookToolVersion, ageBand: bandKey!, rating: upper as CatalogueRating, behaviour })
  })
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows }
}
