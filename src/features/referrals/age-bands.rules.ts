/**
 * The Brook Traffic Light Tool's versions and age bands, and a child's age at a date.
 * Pure functions, no I/O. Dates are calendar dates as YYYY-MM-DD strings (no time zone):
 * convert a database Date with the UK calendar before calling.
 *
 * Only the band edges are here. The tool's behaviour lists are Brook's licensed content and
 * must not be shipped; a partnership holding a licence loads its own catalogue.
 */

/** Whole years, both ends included: { minAge: 5, maxAge: 9 } is from the 5th birthday until the 10th. */
export type AgeBand = { key: string; label: string; minAge: number; maxAge: number }

export type BrookTool = {
  label: string
  /** The 2020 revision says "orange" where the original says "amber". */
  amberLabel: 'Amber' | 'Orange'
  bands: readonly AgeBand[]
  /** False while the band edges have not been checked against the licensed tool. */
  bandsConfirmed: boolean
}

/** The tool's versions, by the key stored with a screening. */
export const BROOK_TOOLS = {
  /**
   * The widely used version: four bands that overlap on purpose (Brook: "the age categories
   * deliberately overlap to demonstrate the fluidity and variable nature of development").
   */
  BROOK_ORIGINAL: {
    label: 'Brook Traffic Light Tool (original, four age groups)',
    amberLabel: 'Amber',
    bands: [
      { key: 'AGE_0_5', label: '0 to 5', minAge: 0, maxAge: 5 },
      { key: 'AGE_5_9', label: '5 to 9', minAge: 5, maxAge: 9 },
      { key: 'AGE_9_13', label: '9 to 13', minAge: 9, maxAge: 13 },
      { key: 'AGE_13_17', label: '13 to 17', minAge: 13, maxAge: 17 },
    ],
    bandsConfirmed: true,
  },
  /**
   * UNCONFIRMED. Brook describes the 2020 revision as having "five age groups within 0–18 years"
   * and calls amber "orange". We have not seen the licensed tool, so we do not know the exact
   * edges: these four bands are placeholders from the brief, and the fifth is missing. A
   * partnership holding the licence must replace them (pass its own bands to ageBand, checked
   * with checkAgeBands) before relying on the band shown for this version.
   */
  BROOK_2020: {
    label: 'Brook Traffic Light Tool (2020 revision)',
    amberLabel: 'Orange',
    bands: [
      { key: 'AGE_0_4', label: '0 to 4', minAge: 0, maxAge: 4 },
      { key: 'AGE_5_9', label: '5 to 9', minAge: 5, maxAge: 9 },
      { key: 'AGE_10_13', label: '10 to 13', minAge: 10, maxAge: 13 },
      { key: 'AGE_14_17', label: '14 to 17', minAge: 14, maxAge: 17 },
    ],
    bandsConfirmed: false,
  },
} as const satisfies Record<string, BrookTool>
export type BrookToolVersion = keyof typeof BROOK_TOOLS
export const ALL_BROOK_TOOL_VERSIONS = Object.keys(BROOK_TOOLS) as BrookToolVersion[]

export function isBrookToolVersion(value: unknown): value is BrookToolVersion {
  return typeof value === 'string' && Object.hasOwn(BROOK_TOOLS, value)
}

type CalendarDate = { year: number; month: number; day: number }

/** A YYYY-MM-DD string that is a real date, as its parts; otherwise null. */
export function parseIsoDate(value: string | null | undefined): CalendarDate | null {
  if (typeof value !== 'string') return null
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return { year, month, day }
}

/**
 * Age in whole years on a date, or null if either date is not a real YYYY-MM-DD date or `onDate`
 * is before the date of birth. The birthday counts: a child is 5 on their 5th birthday.
 *
 * Born on 29 February: in a year without one, the birthday is taken as 1 March (the child is
 * still the younger age on 28 February). This is the convention commonly applied in England and
 * Wales: the Family Law Reform Act 1969, s. 9, has an age attained at the start of the
 * anniversary of the date of birth, and a non-leap year has no 29 February. We know of no
 * statute or case that settles it either way; it matters only on 28 February.
 */
export function ageOn(dateOfBirth: string, onDate: string): number | null {
  const dob = parseIsoDate(dateOfBirth)
  const on = parseIsoDate(onDate)
  if (!dob || !on) return null
  let age = on.year - dob.year
  if (on.month < dob.month || (on.month === dob.month && on.day < dob.day)) age -= 1
  return age < 0 ? null : age
}

export const AGE_BAND_ERRORS = {
  INVALID_DATE: 'INVALID_DATE',
  BEFORE_BIRTH: 'BEFORE_BIRTH',
  AGED_18_OR_OVER: 'AGED_18_OR_OVER',
  NO_BAND: 'NO_BAND',
} as const
export type AgeBandError = (typeof AGE_BAND_ERRORS)[keyof typeof AGE_BAND_ERRORS]

export type AgeBandResult =
  { ok: true; age: number; band: AgeBand; alsoWithin: AgeBand[] } | { ok: false; error: AgeBandError; message: string }

/**
 * The age band the child was in AT THE TIME OF THE BEHAVIOUR (not today).
 *
 * Where bands overlap (a 5-year-old is in both "0 to 5" and "5 to 9"), `band` is the older band
 * the child has reached and `alsoWithin` lists the others, so the practitioner can also use the
 * younger band's examples if the child's developmental age suggests it. `bands` defaults to the
 * tool version's own table and can be replaced by a partnership's licensed catalogue.
 */
export function ageBand(
  toolVersion: BrookToolVersion,
  dateOfBirth: string,
  behaviourDate: string,
  bands: readonly AgeBand[] = BROOK_TOOLS[toolVersion].bands,
): AgeBandResult {
  if (!parseIsoDate(dateOfBirth) || !parseIsoDate(behaviourDate)) {
    return { ok: false, error: AGE_BAND_ERRORS.INVALID_DATE, message: 'The date of birth and the date of the behaviour must be real dates' }
  }
  const age = ageOn(dateOfBirth, behaviourDate)
  if (age === null) {
    return { ok: false, error: AGE_BAND_ERRORS.BEFORE_BIRTH, message: 'The date of the behaviour is before the child’s date of birth' }
  }
  if (age >= 18) {
    return { ok: false, error: AGE_BAND_ERRORS.AGED_18_OR_OVER, message: 'The young person was 18 or over at the time of the behaviour' }
  }
  const within = bands.filter((b) => b.minAge <= age && age <= b.maxAge)
  const band = within.reduce<AgeBand | undefined>((best, b) => (best === undefined || b.minAge > best.minAge ? b : best), undefined)
  if (!band) {
    return { ok: false, error: AGE_BAND_ERRORS.NO_BAND, message: `No age band in this version of the tool covers age ${age}` }
  }
  return { ok: true, age, band, alsoWithin: within.filter((b) => b !== band) }
}

/**
 * Problems with a table of bands (for a partnership loading its own): empty; not whole years;
 * outside 0 to 17; a band ending before it starts; repeated keys; not in order of starting age;
 * a gap between one band and the next. Overlaps are allowed. Empty list means the table is fine.
 */
export function checkAgeBands(bands: readonly AgeBand[]): string[] {
  if (bands.length === 0) return ['There must be at least one age band']
  const problems: string[] = []
  const keys = new Set<string>()
  bands.forEach((b, i) => {
    const name = `Age band ${i + 1} (${b.label || b.key})`
    if (!Number.isInteger(b.minAge) || !Number.isInteger(b.maxAge)) problems.push(`${name} must use whole years`)
    else if (b.minAge < 0 || b.maxAge > 17) problems.push(`${name} must be within 0 to 17`)
    else if (b.minAge > b.maxAge) problems.push(`${name} must not end before it starts`)
    if (keys.has(b.key)) problems.push(`${name} has the same key as another band`)
    keys.add(b.key)
    const previous = bands[i - 1]
    if (previous) {
      if (b.minAge < previous.minAge) problems.push(`${name} must start no earlier than the band before it`)
      else if (b.minAge > previous.maxAge + 1) problems.push(`There is a gap between age band ${i} and age band ${i + 1}`)
    }
  })
  return problems
}
