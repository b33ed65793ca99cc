/**
 * Screening a request for support with the Brook Traffic Light Tool: ratings, Hackett's
 * continuum, where the behaviour happened, and the checks on a screening before it is saved.
 * Pure functions, no I/O. Dates are YYYY-MM-DD strings; "today" is passed in.
 *
 * No behaviour wording from the tool is here (it is Brook's licensed content): behaviours are
 * described in the practitioner's own words.
 */
import { BROOK_TOOLS, isBrookToolVersion, parseIsoDate, type BrookToolVersion } from './age-bands.rules.js'

export {
  ageBand,
  ageOn,
  checkAgeBands,
  isBrookToolVersion,
  AGE_BAND_ERRORS,
  ALL_BROOK_TOOL_VERSIONS,
  BROOK_TOOLS,
  type AgeBand,
  type AgeBandError,
  type AgeBandResult,
  type BrookTool,
  type BrookToolVersion,
} from './age-bands.rules.js'

// ---------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------

/** Least to most serious. */
export const ALL_RATINGS = ['GREEN', 'AMBER', 'RED'] as const
export type Rating = (typeof ALL_RATINGS)[number]

export function isRating(value: unknown): value is Rating {
  return typeof value === 'string' && (ALL_RATINGS as readonly string[]).includes(value)
}

/** The rating as the tool version names it: the 2020 revision says "Orange" for amber. */
export function ratingLabel(rating: Rating, toolVersion: BrookToolVersion): string {
  if (rating === 'AMBER') return BROOK_TOOLS[toolVersion].amberLabel
  return rating === 'RED' ? 'Red' : 'Green'
}

/** The most serious rating of the behaviours (red, then amber, then green); null if none. */
export function overallRating(behaviours: readonly { rating: Rating }[]): Rating | null {
  let worst: Rating | null = null
  for (const { rating } of behaviours) {
    if (worst === null || ALL_RATINGS.indexOf(rating) > ALL_RATINGS.indexOf(worst)) worst = rating
  }
  return worst
}

// ---------------------------------------------------------------------------------------------
// Hackett's continuum and where the behaviour happened
// ---------------------------------------------------------------------------------------------

/** Hackett's continuum of children's sexual behaviours, in order. */
export const HACKETT_LABELS = {
  NORMAL: 'Normal',
  INAPPROPRIATE: 'Inappropriate',
  PROBLEMATIC: 'Problematic',
  ABUSIVE: 'Abusive',
  VIOLENT: 'Violent',
} as const
export type HackettPoint = keyof typeof HACKETT_LABELS
export const ALL_HACKETT_POINTS = Object.keys(HACKETT_LABELS) as HackettPoint[]

export function isHackettPoint(value: unknown): value is HackettPoint {
  return typeof value === 'string' && Object.hasOwn(HACKETT_LABELS, value)
}

/** Where the behaviour happened. */
export const BEHAVIOUR_CONTEXT_LABELS = {
  HOME: 'At home',
  SCHOOL: 'At school or college',
  ONLINE: 'Online',
  COMMUNITY: 'In the community',
  OTHER: 'Somewhere else',
} as const
export type BehaviourContext = keyof typeof BEHAVIOUR_CONTEXT_LABELS
export const ALL_BEHAVIOUR_CONTEXTS = Object.keys(BEHAVIOUR_CONTEXT_LABELS) as BehaviourContext[]

export function isBehaviourContext(value: unknown): value is BehaviourContext {
  return typeof value === 'string' && Object.hasOwn(BEHAVIOUR_CONTEXT_LABELS, value)
}

// ---------------------------------------------------------------------------------------------
// Checking a screening
// ---------------------------------------------------------------------------------------------

/** One behaviour as entered (strings from the form; blank means not given). */
export type ScreeningBehaviourInput = {
  description?: string | null
  /** YYYY-MM-DD; optional, as the date may not be known. */
  behaviourDate?: string | null
  context?: string | null
  hackett?: string | null
  rating?: string | null
  rationale?: string | null
}

export type ScreeningInput = {
  toolVersion?: string | null
  /** YYYY-MM-DD. */
  dateOfBirth?: string | null
  behaviours?: readonly ScreeningBehaviourInput[] | null
  overallRationale?: string | null
}

/** `field` is the form field's id; `href` links the error summary to it (date inputs: the day). */
export type ScreeningFieldError = { field: string; href: string; message: string }

const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() : '')

function fieldError(field: string, message: string, isDate = false): ScreeningFieldError {
  return { field, href: `#${field}${isDate ? '-day' : ''}`, message }
}

/**
 * The problems with a screening, in the order the fields appear on the page; empty if none.
 * Field ids: tool-version, date-of-birth, behaviours, behaviour-N-description, -date, -context,
 * -hackett, -rating, -rationale (N from 1), overall-rationale.
 *
 * Each rated behaviour needs the rationale for its rating, and the screening always needs an
 * overall rationale. A behaviour's date is optional; when given it must fall between the date of
 * birth and today. Where the behaviour happened and Hackett's continuum are optional.
 * `today` is the UK calendar date as YYYY-MM-DD (e.g. todayInUk() in admin.form.ts).
 */
export function validateScreening(input: ScreeningInput, today: string): ScreeningFieldError[] {
  const errors: ScreeningFieldError[] = []

  if (!isBrookToolVersion(input.toolVersion)) {
    errors.push(fieldError('tool-version', 'Select which version of the Brook Traffic Light Tool you used'))
  }

  let dateOfBirth: string | null = null
  const dob = text(input.dateOfBirth)
  if (dob === '') errors.push(fieldError('date-of-birth', 'Enter the child’s date of birth', true))
  else if (!parseIsoDate(dob)) errors.push(fieldError('date-of-birth', 'Date of birth must be a real date', true))
  else if (dob > today) errors.push(fieldError('date-of-birth', 'Date of birth must be today or in the past', true))
  else dateOfBirth = dob

  const behaviours = input.behaviours ?? []
  if (behaviours.length === 0) errors.push(fieldError('behaviours', 'Add at least one behaviour'))

  behaviours.forEach((b, i) => {
    const n = i + 1
    const id = (part: string) => `behaviour-${n}-${part}`
    if (text(b.description) === '') errors.push(fieldError(id('description'), `Enter a description of behaviour ${n}`))

    const date = text(b.behaviourDate)
    if (date !== '') {
      if (!parseIsoDate(date)) errors.push(fieldError(id('date'), `Date of behaviour ${n} must be a real date`, true))
      else if (date > today) errors.push(fieldError(id('date'), `Date of behaviour ${n} must be today or in the past`, true))
      else if (dateOfBirth !== null && date < dateOfBirth) {
        errors.push(fieldError(id('date'), `Date of behaviour ${n} must be on or after the child’s date of birth`, true))
      }
    }

    if (text(b.context) !== '' && !isBehaviourContext(b.context))
      errors.push(fieldError(id('context'), `Select where behaviour ${n} happened`))
    if (text(b.hackett) !== '' && !isHackettPoint(b.hackett)) {
      errors.push(fieldError(id('hackett'), `Select where behaviour ${n} sits on Hackett’s continuum`))
    }

    if (!isRating(b.rating)) errors.push(fieldError(id('rating'), `Select a rating for behaviour ${n}`))
    else if (text(b.rationale) === '') errors.push(fieldError(id('rationale'), `Enter the rationale for the rating of behaviour ${n}`))
  })

  if (text(input.overallRationale) === '') errors.push(fieldError('overall-rationale', 'Enter the rationale for the rating'))
  return errors
}
