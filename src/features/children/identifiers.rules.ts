/**
 * Finding a child who is already known before creating a new record: the NHS number, the DfE
 * unique pupil number (UPN), and an explainable match score. Pure functions, no I/O.
 *
 * The name helpers live in names.rules.ts (re-exported here) to keep each file short.
 */
import { compareNames, NAME_COMPARISONS, normaliseName, phoneticKey } from './names.rules.js'

export { compareNames, normaliseName, phoneticKey }

// ---------------------------------------------------------------------------------------------
// NHS number
// ---------------------------------------------------------------------------------------------

/** Spaces (including non-breaking ones pasted from documents) and hyphen or dash separators. */
const SEPARATORS = /[\s\u00a0\u2010-\u2015-]/g

/**
 * The NHS number as 10 digits, or null if, once spaces and hyphens are taken out, it is not
 * exactly 10 digits. Does not check the check digit: see isValidNhsNumber.
 */
export function normaliseNhsNumber(input: string | null | undefined): string | null {
  if (typeof input !== 'string') return null
  const digits = input.replace(SEPARATORS, '')
  return /^\d{10}$/.test(digits) ? digits : null
}

/**
 * The modulus 11 check digit for the first nine digits: weights 10 down to 2, check digit
 * = 11 − (sum mod 11); 11 becomes 0; 10 means no valid NHS number starts with these nine digits
 * (returned as null).
 */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i)
  const check = 11 - (sum % 11)
  if (check === 11) return 0
  if (check === 10) return null
  return check
}

/**
 * True for a well-formed NHS number (spaces and hyphens allowed) whose check digit is right.
 *
 * Because 11 is prime and every weight (10..2, and 1 for the check digit itself) is below 11,
 * changing any single digit always changes the sum mod 11, so every one-digit typing error is
 * caught; so is swapping two adjacent different digits. It does not check the number was ever
 * issued (e.g. 000 000 0000 passes the check).
 */
export function isValidNhsNumber(value: string | null | undefined): boolean {
  const nhs = normaliseNhsNumber(value)
  if (nhs === null) return false
  return nhsCheckDigit(nhs.slice(0, 9)) === Number(nhs[9])
}

/**
 * True for a valid NHS number in the range reserved for testing (starting 999), which will never
 * be issued to a real person. Demo and test data must use only these.
 */
export function isTestRangeNhsNumber(value: string | null | undefined): boolean {
  const nhs = normaliseNhsNumber(value)
  return nhs !== null && nhs.startsWith('999') && isValidNhsNumber(nhs)
}

// ---------------------------------------------------------------------------------------------
// Unique pupil number (UPN)
// ---------------------------------------------------------------------------------------------

/**
 * The DfE letter table: position = value. I, O and S are not used (they look like 1, 0 and 5).
 *
 * Source: UK Government Data Standards Catalogue, "Unique Pupil Number" v2.0 (2004), and the
 * DfE UPN guidance, which describe: a check letter at position 1; positions 2–13 are the LA
 * number (3 digits), establishment number (4), last two digits of the year of issue (2) and a
 * serial (3 digits, or 2 digits and a letter for a temporary UPN); the check letter is
 * (Σ value × weight for positions 2–13, weights 2..13) mod 23 through this table; a temporary
 * UPN's final letter takes its value from the same table (A = 0, B = 1, …).
 * Checked against the published example B801200005001. We do not check that the LA number is
 * a real one (DfE's list changes with local government reorganisation).
 */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

/** The UPN's 13 characters, upper case, spaces and hyphens removed; null if not that shape. */
export function normaliseUpn(input: string | null | undefined): string | null {
  if (typeof input !== 'string') return null
  const upn = input.replace(SEPARATORS, '').toUpperCase()
  return /^[ABCDEFGHJKLMNPQRTUVWXYZ]\d{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/.test(upn) ? upn : null
}

/**
 * The check letter for the 12 characters after it (11 digits, then a digit or, for a temporary
 * UPN, a letter from the table), or null if the characters are not that shape.
 */
export function upnCheckLetter(twelveChars: string): string | null {
  const chars = twelveChars.toUpperCase()
  if (!/^\d{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/.test(chars)) return null
  let sum = 0
  for (let i = 0; i < 12; i++) {
    const c = chars[i] as string
    const value = /\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c)
    sum += value * (i + 2)
  }
  return UPN_LETTERS[sum % 23] ?? null
}

/**
 * True for a well-formed UPN (permanent or temporary) with the right check letter.
 *
 * 23 is prime and the weights 2..13 are below it, so any single changed character is caught,
 * with one exception by design of the scheme: a final digit 0–9 swapped for the letter of the
 * same value (A–K without I) gives the same sum, so "…1" and "…B" share a check letter.
 */
export function isValidUpn(value: string | null | undefined): boolean {
  const upn = normaliseUpn(value)
  return upn !== null && upnCheckLetter(upn.slice(1)) === upn[0]
}

/** True if the UPN is a temporary one (its last character is a letter). */
export function isTemporaryUpn(value: string | null | undefined): boolean {
  const upn = normaliseUpn(value)
  return upn !== null && /[A-Z]$/.test(upn)
}

// ---------------------------------------------------------------------------------------------
// Is this child already known?
// ---------------------------------------------------------------------------------------------

/** What we know about a child: an existing record (candidate) or what was entered (query). */
export type ChildIdentity = {
  givenNames?: string | null
  familyName?: string | null
  /** YYYY-MM-DD (a calendar date, no time zone). */
  dateOfBirth?: string | null
  nhsNumber?: string | null
  upn?: string | null
  /** The id in the local case system (Mosaic, Liquidlogic, Eclipse…). */
  localCaseId?: string | null
}

export type MatchResult = { score: number; reasons: string[] }

/**
 * The scores, one per kind of evidence, so a person can see why a record was suggested.
 * An identifier conflict (both records have one and they differ) caps the score, since it
 * suggests a different child (twins share a date of birth and family name).
 */
export const MATCH_SCORES = {
  SAME_IDENTIFIER: 1,
  DOB_AND_SAME_NAMES: 0.95,
  DOB_AND_SIMILAR_NAMES: 0.85,
  DOB_AND_FAMILY_NAME: 0.6,
  DOB_AND_FIRST_NAME: 0.4,
  NAMES_ONLY: 0.3,
  DOB_ONLY: 0.1,
  CAP_WHEN_IDENTIFIERS_DIFFER: 0.3,
} as const

export const MATCH_STRENGTHS = { CERTAIN: 'CERTAIN', HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW', NONE: 'NONE' } as const
export type MatchStrength = (typeof MATCH_STRENGTHS)[keyof typeof MATCH_STRENGTHS]

/** A word for the score: 1 certain, from 0.8 high, from 0.5 medium, above 0 low. */
export function matchStrength(score: number): MatchStrength {
  if (score >= 1) return MATCH_STRENGTHS.CERTAIN
  if (score >= 0.8) return MATCH_STRENGTHS.HIGH
  if (score >= 0.5) return MATCH_STRENGTHS.MEDIUM
  if (score > 0) return MATCH_STRENGTHS.LOW
  return MATCH_STRENGTHS.NONE
}

function normaliseLocalCaseId(input: string | null | undefined): string | null {
  if (typeof input !== 'string') return null
  const id = input.replace(/\s/g, '').toUpperCase()
  return id === '' ? null : id
}

function validDate(input: string | null | undefined): string | null {
  if (typeof input !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input)) return null
  const d = new Date(`${input}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === input ? input : null
}

const IDENTIFIERS: [label: string, read: (c: ChildIdentity) => string | null][] = [
  ['NHS number', (c) => (isValidNhsNumber(c.nhsNumber) ? normaliseNhsNumber(c.nhsNumber) : null)],
  ['UPN', (c) => (isValidUpn(c.upn) ? normaliseUpn(c.upn) : null)],
  ['local case number', (c) => normaliseLocalCaseId(c.localCaseId)],
]

/**
 * How likely it is that `candidate` (an existing record) is the child described by `query`, with
 * the reasons in plain English, strongest first. Identifiers only count when valid (a mistyped
 * NHS number is ignored rather than trusted); a date of birth only when a real date.
 *
 * - the same NHS number, UPN or local case number: 1 (certain);
 * - same date of birth and both names the same or similar: high;
 * - same date of birth and a similar family name (first name differs): medium;
 * - same date of birth and a similar first name only (the family name may have changed): low;
 * - similar names but no matching date of birth: low.
 */
export function matchScore(candidate: ChildIdentity, query: ChildIdentity): MatchResult {
  const same: string[] = []
  const different: string[] = []
  for (const [label, read] of IDENTIFIERS) {
    const a = read(candidate)
    const b = read(query)
    if (a === null || b === null) continue
    if (a === b) same.push(`Same ${label}`)
    else different.push(`Different ${label}`)
  }
  if (same.length) return { score: MATCH_SCORES.SAME_IDENTIFIER, reasons: [...same, ...different] }

  const dobA = validDate(candidate.dateOfBirth)
  const sameDob = dobA !== null && dobA === validDate(query.dateOfBirth)
  const family = compareNames('family', candidate.familyName, query.familyName)
  const given = compareNames('given', candidate.givenNames, query.givenNames)
  const reasons: string[] = []
  if (sameDob) reasons.push('Same date of birth')
  if (family !== NAME_COMPARISONS.DIFFERENT) reasons.push(family === NAME_COMPARISONS.SAME ? 'Same family name' : 'Similar family name')
  if (given !== NAME_COMPARISONS.DIFFERENT) reasons.push(given === NAME_COMPARISONS.SAME ? 'Same first name' : 'Similar first name')

  const familyAlike = family !== NAME_COMPARISONS.DIFFERENT
  const givenAlike = given !== NAME_COMPARISONS.DIFFERENT
  let score = 0
  if (sameDob && familyAlike && givenAlike) {
    const bothSame = family === NAME_COMPARISONS.SAME && given === NAME_COMPARISONS.SAME
    score = bothSame ? MATCH_SCORES.DOB_AND_SAME_NAMES : MATCH_SCORES.DOB_AND_SIMILAR_NAMES
  } else if (sameDob && familyAlike) score = MATCH_SCORES.DOB_AND_FAMILY_NAME
  else if (sameDob && givenAlike) score = MATCH_SCORES.DOB_AND_FIRST_NAME
  else if (familyAlike && givenAlike) score = MATCH_SCORES.NAMES_ONLY
  else if (sameDob) score = MATCH_SCORES.DOB_ONLY

  if (different.length) {
    score = Math.min(score, MATCH_SCORES.CAP_WHEN_IDENTIFIERS_DIFFER)
    reasons.push(...different)
  }
  return { score, reasons }
}
