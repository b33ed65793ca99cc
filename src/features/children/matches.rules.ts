/**
 * Turning the records the database offers as possible matches into the list a person sees:
 * scored and explained with matchScore, strongest first. Pure, no I/O.
 */
import { MATCH_SCORES, matchScore, matchStrength, type ChildIdentity, type MatchStrength } from './identifiers.rules.js'

/** What a person typed to find a child (every part optional; the form says which are needed). */
export type ChildQuery = {
  givenNames: string | null
  familyName: string | null
  /** YYYY-MM-DD */
  dateOfBirth: string | null
  /** 10 digits, no spaces */
  nhsNumber: string | null
  /** 13 characters, upper case */
  upn: string | null
  localCaseId: string | null
}

export type Candidate = ChildIdentity & { id: string }
export type Match<C extends Candidate> = C & { score: number; strength: MatchStrength; reasons: string[] }

/**
 * The weakest evidence worth showing. A shared date of birth alone is not: showing every child
 * born that day would disclose names for nothing.
 */
export const SHOWN_FROM = MATCH_SCORES.NAMES_ONLY

export function rankMatches<C extends Candidate>(candidates: readonly C[], query: ChildIdentity): Match<C>[] {
  return candidates
    .map((c) => {
      const { score, reasons } = matchScore(c, query)
      return { ...c, score, strength: matchStrength(score), reasons }
    })
    .filter((m) => m.score >= SHOWN_FROM)
    .sort((a, b) => b.score - a.score)
}

/** The form fields whose identifier an existing record already has: creation is refused on these. */
export const IDENTIFIER_FIELDS = {
  'Same NHS number': { field: 'nhs-number', text: 'A child with this NHS number already has a record' },
  'Same UPN': { field: 'upn', text: 'A child with this UPN already has a record' },
  'Same local case number': { field: 'local-case-id', text: 'A child with this local case number already has a record' },
} as const

export function duplicateIdentifiers(matches: readonly { reasons: readonly string[] }[]): { field: string; text: string }[] {
  const found = new Map<string, { field: string; text: string }>()
  for (const m of matches) {
    for (const reason of m.reasons) {
      const hit = IDENTIFIER_FIELDS[reason as keyof typeof IDENTIFIER_FIELDS]
      if (hit) found.set(hit.field, hit)
    }
  }
  return [...found.values()]
}

/** A strong match on name and date of birth (not an identifier) needs a person to confirm it is a different child. */
export function needsConfirmation(matches: readonly { strength: MatchStrength }[]): boolean {
  return matches.some((m) => m.strength === 'HIGH' || m.strength === 'CERTAIN')
}

/**
 * Searches one person may run in any window of `SEARCH_WINDOW_MINUTES` (find a child and the
 * search for a child to link): enough for real work, too few to trawl the records by name.
 */
export const SEARCHES_PER_WINDOW = 20
export const SEARCH_WINDOW_MINUTES = 5

const sameText = (a: string | null | undefined, b: string | null | undefined, fold: (s: string) => string) =>
  !!a && !!b && fold(a) !== '' && fold(a) === fold(b)
const nameFold = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-GB')

/**
 * Whether what was typed identifies this record exactly: all of the first names, the family name
 * and the date of birth the same (letter case aside). Only then may someone who cannot open the
 * record see who it is as a match: they typed all of it already. An identifier alone (an NHS
 * number, a UPN, a local case number, some of them sequential) never shows who a child is, or a
 * person could list the children behind a run of numbers.
 */
export function isExactMatch(candidate: ChildIdentity, query: ChildIdentity): boolean {
  return (
    sameText(candidate.givenNames, query.givenNames, nameFold) &&
    sameText(candidate.familyName, query.familyName, nameFold) &&
    !!candidate.dateOfBirth &&
    candidate.dateOfBirth === query.dateOfBirth
  )
}
