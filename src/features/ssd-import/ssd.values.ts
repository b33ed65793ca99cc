import type { ColumnKind } from './ssd.spec.js'
import { ETHNIC_GROUPS, GENDERS, nhsCheckDigit } from '../children/index.js'

/**
 * The values of an SSD extract, as the systems that write them differ: dates in three shapes, NULL
 * written out, flags as Y/N or 1/0, NHS numbers with spaces. Pure functions, no I/O.
 * docs/ssd-import.md ("Dates and values") describes the rules for people.
 */

export type CellResult = { ok: true; value: string | null; warning?: string } | { ok: false; error: string }

const empty = (): CellResult => ({ ok: true, value: null })
const value = (v: string): CellResult => ({ ok: true, value: v })
const fail = (error: string): CellResult => ({ ok: false, error })

/** Empty, only spaces, or the word NULL (any case) as SQL Server's export writes it. */
export function isNullCell(raw: string | null | undefined): boolean {
  return raw === null || raw === undefined || /^\s*(null)?\s*$/i.test(raw)
}

/** A cell normalised for its column's kind: null when empty; a warning when a value was read with doubt or left empty. */
export function normaliseCell(kind: ColumnKind, raw: string | null | undefined): CellResult {
  if (raw === null || raw === undefined || isNullCell(raw)) return empty()
  const text = raw.trim()
  switch (kind) {
    case 'id':
    case 'text':
      return value(text)
    case 'date':
      return dateCell(text)
    case 'datetime':
      return dateTimeCell(text)
    case 'nhs':
      return nhsCell(text)
    case 'flag':
      return flagCell(text)
    case 'int':
      return intCell(text)
    case 'json':
      return jsonCell(text)
  }
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

type Time = { h: number; mi: number; s: number; ms: number }
/** A date as written: `offsetMs` only when the text gave a zone (Z or ±hh:mm). */
type Written = { y: number; m: number; d: number; time: Time | null; offsetMs: number | null; dayFirst: boolean }

/** 2024-07-01, 2024-07-01 10:00:00.000 (SQL Server), 2024-07-01T10:00[:00[.000]][Z|±hh:mm]. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i
/** 1/7/2024, 01/07/2024, 01/07/2024 10:00[:00[.000]]: always day first (UK order). */
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/

/** Dates systems write for "no date": read as empty, with a warning. */
const PLACEHOLDER_DATES = new Set(['1900-01-01', '1899-12-30', '9999-12-31', '0001-01-01'])
const EARLIEST_YEAR = 1800

const pad = (n: number, width = 2) => String(n).padStart(width, '0')
const ymd = (w: Pick<Written, 'y' | 'm' | 'd'>) => `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const daysInMonth = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31)

function zoneOffsetMs(zone: string | undefined): number | null {
  if (!zone) return null
  if (zone.toUpperCase() === 'Z') return 0
  const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? []
  const minutes = Number(hh) * 60 + Number(mm ?? 0)
  return (sign === '-' ? -1 : 1) * minutes * 60_000
}

function readWritten(text: string): Written | null {
  const iso = ISO.exec(text)
  const uk = iso ? null : UK.exec(text)
  const m = iso ?? uk
  if (!m) return null
  const n = (i: number) => Number(m[i] ?? 0)
  const [y, mo, d] = iso ? [n(1), n(2), n(3)] : [n(3), n(2), n(1)]
  const time = m[4] === undefined ? null : { h: n(4), mi: n(5), s: n(6), ms: Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)) }
  return { y, m: mo, d, time, offsetMs: iso ? zoneOffsetMs(m[8]) : null, dayFirst: uk !== null }
}

/** Why a written date is not a real one, or null when it is. */
function impossible(w: Written, text: string): string | null {
  if (w.m < 1 || w.m > 12) {
    const order = w.dayFirst ? ' (dates are read day first: DD/MM/YYYY)' : ''
    return `'${text}' is not a real date: there is no month ${w.m}${order}`
  }
  if (w.d < 1 || w.d > daysInMonth(w.y, w.m)) return `'${text}' is not a real date`
  if (w.y < EARLIEST_YEAR) return `'${text}' is before ${EARLIEST_YEAR}: not a date we can take`
  if (w.time && (w.time.h > 23 || w.time.mi > 59 || w.time.s > 59)) return `'${text}' is not a real time of day`
  return null
}

const NOT_A_DATE = (text: string) => `'${text}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY`
const placeholder = (date: string): CellResult => ({ ok: true, value: null, warning: `${date} is a placeholder for no date: left empty` })

/** A calendar date, YYYY-MM-DD. A time is dropped; with a zone, the date is the UK date of that instant. */
function dateCell(text: string): CellResult {
  const w = readWritten(text)
  if (!w) return fail(NOT_A_DATE(text))
  if (PLACEHOLDER_DATES.has(ymd(w))) return placeholder(ymd(w))
  const why = impossible(w, text)
  if (why) return fail(why)
  if (w.offsetMs === null || !w.time) return value(ymd(w))
  return value(ukDateOf(wallClockMs(w) - w.offsetMs))
}

/**
 * An instant, as an ISO string in UTC (toISOString()). A time with no zone is UK local time
 * (Europe/London: GMT in winter, BST in summer); a Z or an offset is honoured.
 *
 * A date with no time is taken as the START of that day in the UK (00:00 Europe/London, so
 * 2024-07-01 is 2024-06-30T23:00:00.000Z), without a warning: SSD systems write whole days
 * for events they record as dates, and the start of the day keeps the UK date when shown again.
 */
function dateTimeCell(text: string): CellResult {
  const w = readWritten(text)
  if (!w) return fail(NOT_A_DATE(text))
  if (PLACEHOLDER_DATES.has(ymd(w))) return placeholder(ymd(w))
  const why = impossible(w, text)
  if (why) return fail(why)
  const wall = wallClockMs(w)
  if (w.offsetMs !== null) return value(new Date(wall - w.offsetMs).toISOString())
  const uk = ukLocalToInstant(wall)
  return uk.warning
    ? { ok: true, value: new Date(uk.instant).toISOString(), warning: uk.warning }
    : value(new Date(uk.instant).toISOString())
}

/** The fields as if they were UTC (a "wall clock" time, to be placed in a zone). */
function wallClockMs(w: Written): number {
  const t = w.time ?? { h: 0, mi: 0, s: 0, ms: 0 }
  const date = new Date(Date.UTC(2000, 0, 1, t.h, t.mi, t.s, t.ms))
  date.setUTCFullYear(w.y, w.m - 1, w.d)
  return date.getTime()
}

// ---------------------------------------------------------------------------------------------
// UK local time (Europe/London, through Intl: no time zone library)
// ---------------------------------------------------------------------------------------------

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
})
/** UK clocks change on the hour (01:00 UTC), so the offset is looked up once per hour of UTC. */
const offsetByHour = new Map<number, number>()
const MAX_CACHED_HOURS = 100_000

function londonWallOf(instant: number): number {
  const parts = LONDON.formatToParts(new Date(instant))
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
}

/** How far UK clocks are ahead of UTC at this instant: 0 (GMT) or one hour (BST). */
export function londonOffsetMs(instant: number): number {
  const hour = Math.floor(instant / HOUR_MS)
  const known = offsetByHour.get(hour)
  if (known !== undefined) return known
  const offset = londonWallOf(hour * HOUR_MS) - hour * HOUR_MS
  if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear()
  offsetByHour.set(hour, offset)
  return offset
}

const clock = (wall: number) => new Date(wall).toISOString().slice(11, 16)

/**
 * The instant a UK wall-clock time names. On the day the clocks go forward, a time in the missing
 * hour (01:00–01:59) is read as GMT (so an hour later on the clock), with a warning; on the day
 * they go back, a time in the repeated hour is read as the first (BST), with a warning.
 */
export function ukLocalToInstant(wall: number): { instant: number; warning?: string } {
  const offsets = [...new Set([londonOffsetMs(wall - DAY_MS), londonOffsetMs(wall + DAY_MS)])]
  const fits = offsets
    .map((o) => wall - o)
    .filter((t) => t + londonOffsetMs(t) === wall)
    .sort((a, b) => a - b)
  const at = `${clock(wall)} on ${ymd(ymdOf(wall))}`
  if (fits.length === 1) return { instant: fits[0] as number }
  if (fits.length > 1)
    return { instant: fits[0] as number, warning: `${at} happened twice in the UK (the clocks went back): read as the first (BST)` }
  const before = offsets[0] ?? 0
  return { instant: wall - before, warning: `${at} did not happen in the UK (the clocks went forward): read as an hour later` }
}

function ymdOf(ms: number) {
  const d = new Date(ms)
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() }
}

/** The UK calendar date of an instant, YYYY-MM-DD. */
export function ukDateOf(instant: number): string {
  return ymd(ymdOf(instant + londonOffsetMs(instant)))
}

// ---------------------------------------------------------------------------------------------
// NHS numbers, flags, integers, JSON
// ---------------------------------------------------------------------------------------------

/** Spaces (also non-breaking) and hyphens or dashes between the digits. */
const NHS_SEPARATORS = /[\s\u00a0\u2010-\u2015-]/g

/** The modulus 11 check: the children feature's, the one rule for an NHS number. */
export function nhsCheckDigitOk(digits: string): boolean {
  return /^\d{10}$/.test(digits) && nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9])
}

/** Ten digits, or empty with a warning: an NHS number that fails its check is never kept. The number is not repeated in the warning. */
function nhsCell(text: string): CellResult {
  const digits = text.replace(NHS_SEPARATORS, '')
  if (!/^\d{10}$/.test(digits)) return { ok: true, value: null, warning: 'not a valid NHS number (it is not 10 digits): left empty' }
  if (!nhsCheckDigitOk(digits)) return { ok: true, value: null, warning: 'not a valid NHS number (its check digit is wrong): left empty' }
  return value(digits)
}

const YES = new Set(['Y', 'YES', '1', 'TRUE'])
const NO = new Set(['N', 'NO', '0', 'FALSE'])

function flagCell(text: string): CellResult {
  const upper = text.toUpperCase()
  if (YES.has(upper)) return value('Y')
  if (NO.has(upper)) return value('N')
  return fail(`'${text}' is not a yes or no (Y/N, 1/0, true/false, yes/no)`)
}

/** A whole number, written without leading zeros; 12.0 (a float column) is 12. */
function intCell(text: string): CellResult {
  const m = /^([+-]?)(\d+)(?:\.0+)?$/.exec(text)
  const n = m ? Number(`${m[1]}${m[2]}`) : NaN
  if (!Number.isSafeInteger(n)) return fail(`'${text}' is not a whole number`)
  return value(String(n))
}

/** JSON is kept as written (trimmed) once it parses. */
function jsonCell(text: string): CellResult {
  try {
    JSON.parse(text)
    return value(text)
  } catch {
    return fail('is not valid JSON')
  }
}

// ---------------------------------------------------------------------------------------------
// Code sets: what the service stores (features/children: GENDERS and ETHNIC_GROUPS in children.form.ts)
// ---------------------------------------------------------------------------------------------

/** The child record's gender values (children.form.ts GENDERS). */
/** What the child record keeps (the child form's lists, features/children). */
export const STORED_GENDERS = GENDERS.map((g) => g.value)
export type StoredGender = (typeof GENDERS)[number]['value']
/** The child record's ethnic groups: ONS 2021 top-level groups and two for no answer (children.form.ts ETHNIC_GROUPS). */
export const STORED_ETHNIC_GROUPS = ETHNIC_GROUPS.map((g) => g.value)
export type StoredEthnicGroup = (typeof ETHNIC_GROUPS)[number]['value']

/**
 * A code mapped to what the service stores. `code` is the code as given (trimmed), to keep with
 * the imported record; `value` is null when the code is empty or not one we know (then a warning).
 */
export type CodeMapping<T extends string> = { value: T | null; code: string | null; warning?: string }

const GENDER_CODES: Readonly<Record<string, StoredGender>> = {
  // The spec's gender code set (PERS003A): 0 not known, 1 male, 2 female, 9 prefers to self-describe.
  '0': 'NOT_KNOWN',
  '00': 'NOT_KNOWN',
  '1': 'MALE',
  '01': 'MALE',
  '2': 'FEMALE',
  '02': 'FEMALE',
  '9': 'OTHER',
  '09': 'OTHER',
  // Deployed extracts and sex (PERS002A): M, F, U, and I (indeterminate); words some systems write.
  M: 'MALE',
  MALE: 'MALE',
  MAN: 'MALE',
  BOY: 'MALE',
  F: 'FEMALE',
  FEMALE: 'FEMALE',
  WOMAN: 'FEMALE',
  GIRL: 'FEMALE',
  U: 'NOT_KNOWN',
  UNKNOWN: 'NOT_KNOWN',
  'NOT KNOWN': 'NOT_KNOWN',
  NOT_KNOWN: 'NOT_KNOWN',
  I: 'OTHER',
  INDETERMINATE: 'OTHER',
  OTHER: 'OTHER',
}

function mapCode<T extends string>(
  raw: string | null | undefined,
  lookup: (upper: string) => { value: T; warning?: string } | null,
  what: string,
): CodeMapping<T> {
  if (raw === null || raw === undefined || isNullCell(raw)) return { value: null, code: null }
  const code = raw.trim()
  const found = lookup(code.toUpperCase())
  if (found) return { value: found.value, code, ...(found.warning ? { warning: found.warning } : {}) }
  return { value: null, code, warning: `${what} code '${code}' is not one we know: kept as given, not mapped` }
}

/**
 * The stored gender for pers_gender (00/01/02/09, 10–99 local sub-codes of 9, or M/F/U/I) or
 * pers_sex (M/F/U). See personGenderOf for a person's row.
 */
export function genderOf(raw: string | null | undefined): CodeMapping<StoredGender> {
  return mapCode(
    raw,
    (upper) => {
      const known = GENDER_CODES[upper]
      if (known) return { value: known }
      return /^[1-9]\d$/.test(upper) ? { value: 'OTHER' } : null
    },
    'Gender',
  )
}

/** A person's gender: pers_gender, or pers_sex when gender is empty, unknown or not known. */
export function personGenderOf(gender: string | null | undefined, sex: string | null | undefined): CodeMapping<StoredGender> {
  const byGender = genderOf(gender)
  const known = (m: CodeMapping<StoredGender>) => m.value !== null && m.value !== 'NOT_KNOWN'
  if (known(byGender)) return byGender
  const bySex = genderOf(sex)
  if (known(bySex)) return bySex
  return byGender.value === null && bySex.value !== null ? bySex : byGender
}

/** DfE main ethnicity codes (CIN census, school census) and the group each belongs to. */
const ETHNICITY_CODES: Readonly<Record<string, StoredEthnicGroup>> = {
  WBRI: 'WHITE',
  WIRI: 'WHITE',
  WOTH: 'WHITE',
  WIRT: 'WHITE',
  WROM: 'WHITE',
  MWBC: 'MIXED',
  MWBA: 'MIXED',
  MWAS: 'MIXED',
  MOTH: 'MIXED',
  AIND: 'ASIAN',
  APKN: 'ASIAN',
  ABAN: 'ASIAN',
  AOTH: 'ASIAN',
  // The ONS 2021 groups put Chinese with Asian.
  CNHE: 'ASIAN',
  BCRB: 'BLACK',
  BAFR: 'BLACK',
  BOTH: 'BLACK',
  OOTH: 'OTHER',
  // Arab: Eclipse's deployed extract writes ORAB; the DfE extended code is OARA.
  ORAB: 'OTHER',
  OARA: 'OTHER',
  REFU: 'NOT_STATED',
  NOBT: 'NOT_KNOWN',
}

/** DfE extended codes (WENG, BSOM, AKPA, CHKC, …) begin with their main group's letter. */
const GROUP_BY_LETTER: Readonly<Record<string, StoredEthnicGroup>> = {
  W: 'WHITE',
  M: 'MIXED',
  A: 'ASIAN',
  C: 'ASIAN',
  B: 'BLACK',
  O: 'OTHER',
}

/**
 * The stored ethnic group for pers_ethnicity: a DfE main code (case-insensitive), an extended
 * code by its first letter (with a warning), or one of our own values. Anything else: no group,
 * the code kept as given, a warning.
 */
export function ethnicityOf(raw: string | null | undefined): CodeMapping<StoredEthnicGroup> {
  return mapCode(
    raw,
    (upper) => {
      const known = ETHNICITY_CODES[upper] ?? STORED_ETHNIC_GROUPS.find((g) => g === upper)
      if (known) return { value: known }
      const group = /^[A-Z]{4}$/.test(upper) ? GROUP_BY_LETTER[upper[0] as string] : undefined
      if (!group) return null
      return { value: group, warning: `Ethnicity code '${upper}' is not a DfE main code: read as ${group} by its first letter` }
    },
    'Ethnicity',
  )
}

/** The CIN census referral source codes (also used for contact sources). */
export const REFERRAL_SOURCES: Readonly<Record<string, string>> = {
  '1A': 'Individual: family member, relative or carer',
  '1B': 'Individual: acquaintance (including neighbours and child minders)',
  '1C': 'Individual: self',
  '1D': 'Individual: other (including strangers and MPs)',
  '2A': 'Schools',
  '2B': 'Education services',
  '3A': 'Health services: GP',
  '3B': 'Health services: health visitor',
  '3C': 'Health services: school nurse',
  '3D': 'Health services: other primary health services',
  '3E': 'Health services: A&E (emergency department)',
  '3F': 'Health services: other (for example a hospice)',
  '4': 'Housing (local authority housing or a housing association)',
  '5A': 'LA services: social care (for example adult social care)',
  '5B': 'LA services: other internal',
  '5C': 'LA services: external (for example another authority’s adult social care)',
  '5D': 'Early help',
  '6': 'Police',
  '7': 'Other legal agency (courts, probation, immigration, Cafcass, prison)',
  '8': 'Other (children’s centres, independent providers, voluntary organisations)',
  '9': 'Anonymous',
  '10': 'Unknown',
}

/**
 * A referral source as the request for support keeps it: the CIN code, upper case, without a
 * leading zero (01 → 1, 04 → 4). An unknown code is kept as given, with a warning: the field
 * records what the council's system said.
 */
export function referralSourceOf(raw: string | null | undefined): CodeMapping<string> {
  const mapped = mapCode(
    raw,
    (upper) => {
      const code = upper.replace(/^0(?=\d)/, '')
      return REFERRAL_SOURCES[code] ? { value: code } : null
    },
    'Referral source',
  )
  return mapped.value === null && mapped.code !== null ? { ...mapped, value: mapped.code } : mapped
}

/**
 * The CIN assessment factor codes in cinf_assessment_factors_json: a JSON array (["1A","19B"],
 * nulls dropped) or an object whose values say yes ({"1A":"Yes","2B":"No"}); upper case, each once.
 */
export function assessmentFactorsOf(json: string | null): string[] {
  if (json === null) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return []
  }
  const codes = Array.isArray(parsed)
    ? parsed.filter((c): c is string | number => typeof c === 'string' || typeof c === 'number').map(String)
    : parsed && typeof parsed === 'object'
      ? Object.entries(parsed).flatMap(([k, v]) => (v === true || (typeof v === 'string' && YES.has(v.trim().toUpperCase())) ? [k] : []))
      : []
  return [...new Set(codes.map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))]
}
