import { z } from 'zod'
import { BadRequestError } from '../../platform/http/errors.js'
import { parseForm, type FieldError, text } from '../../platform/forms/forms.js'
import { isValidNhsNumber, isValidUpn, normaliseNhsNumber, normaliseUpn } from './identifiers.rules.js'
import { ALL_LINK_KINDS, type LinkKind } from './links.rules.js'
import type { ChildQuery } from './matches.rules.js'

export type { ChildQuery }

export const GENDERS = [
  { value: 'FEMALE', label: 'Female' },
  { value: 'MALE', label: 'Male' },
  { value: 'OTHER', label: 'In another way' },
  { value: 'NOT_KNOWN', label: 'Not known' },
] as const

/** The ONS 2021 census top-level ethnic groups (England and Wales), and two answers for no answer. */
export const ETHNIC_GROUPS = [
  { value: 'ASIAN', label: 'Asian, Asian British or Asian Welsh' },
  { value: 'BLACK', label: 'Black, Black British, Black Welsh, Caribbean or African' },
  { value: 'MIXED', label: 'Mixed or Multiple ethnic groups' },
  { value: 'WHITE', label: 'White' },
  { value: 'OTHER', label: 'Other ethnic group' },
  { value: 'NOT_STATED', label: 'Not stated: the child or family chose not to say' },
  { value: 'NOT_KNOWN', label: 'Not known' },
] as const

export type NewChildCommand = ChildQuery & {
  givenNames: string
  familyName: string
  dateOfBirth: string
  gender: string | null
  ethnicity: string | null
  sendNeeds: string | null
  idempotencyKey: string
  /** "I have checked these possible matches and this is a different child" */
  confirmedDifferent: boolean
}

export type LinkSearch = { kind: LinkKind; query: ChildQuery }

/** The fields of each form, top to bottom: the error summary follows this order. */
export const SEARCH_FIELDS = ['given-names', 'family-name', 'date-of-birth', 'nhs-number', 'upn', 'local-case-id']
export const NEW_CHILD_FIELDS = [...SEARCH_FIELDS, 'gender', 'ethnicity', 'send-needs', 'confirm-different']
export const LINK_FIELDS = ['kind', ...SEARCH_FIELDS, 'linked-child-id']

/** A field as typed, without surrounding spaces. */
const trimmed = (value: unknown) => text(value).trim()
const field = (max: number, message: string) => z.preprocess(text, z.string().max(max, message))
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const identityShape = {
  'given-names': field(100, 'First names must be 100 characters or fewer'),
  'family-name': field(100, 'Family name must be 100 characters or fewer'),
  'date-of-birth-day': field(10, 'Date of birth must be a real date'),
  'date-of-birth-month': field(10, 'Date of birth must be a real date'),
  'date-of-birth-year': field(10, 'Date of birth must be a real date'),
  'nhs-number': field(20, 'Enter a valid NHS number, like 943 476 5919'),
  upn: field(20, 'Enter a valid unique pupil number (UPN), like B801200005001'),
  'local-case-id': field(50, 'Local case number must be 50 characters or fewer'),
}
type IdentityForm = { [K in keyof typeof identityShape]: string }
type Ctx = z.RefinementCtx

/** Today's date in the UK, as YYYY-MM-DD. */
export function todayInUk(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** GOV.UK date input rules: every part, digits only, a real date, not in the future. */
export function checkDateOfBirth(
  day: string,
  month: string,
  year: string,
  required: boolean,
): { ok: true; value: string | null } | { ok: false; message: string } {
  if (!day && !month && !year) return required ? { ok: false, message: 'Enter the child’s date of birth' } : { ok: true, value: null }
  const missing = (['day', 'month', 'year'] as const).filter((_, i) => ![day, month, year][i])
  if (missing.length) return { ok: false, message: `Date of birth must include a ${missing.join(' and ')}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { ok: false, message: 'Date of birth must be a real date' }
  const [d, m, y] = [Number(day), Number(month), Number(year)]
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: 'Date of birth must be a real date' }
  }
  const iso = date.toISOString().slice(0, 10)
  if (iso > todayInUk()) return { ok: false, message: 'Date of birth must be today or in the past' }
  return { ok: true, value: iso }
}

/** Checks the identity fields, adding field errors; the query, with identifiers normalised. */
function checkIdentity(form: IdentityForm, ctx: Ctx, required: boolean): ChildQuery {
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [path] })
  if (required && !form['given-names']) fail('given-names', 'Enter the child’s first name')
  if (required && !form['family-name']) fail('family-name', 'Enter the child’s family name')
  const dob = checkDateOfBirth(form['date-of-birth-day'], form['date-of-birth-month'], form['date-of-birth-year'], required)
  if (!dob.ok) fail('date-of-birth-day', dob.message)
  if (form['nhs-number'] && !isValidNhsNumber(form['nhs-number'])) fail('nhs-number', 'Enter a valid NHS number, like 943 476 5919')
  if (form.upn && !isValidUpn(form.upn)) fail('upn', 'Enter a valid unique pupil number (UPN), like B801200005001')
  return {
    givenNames: form['given-names'] || null,
    familyName: form['family-name'] || null,
    dateOfBirth: dob.ok ? dob.value : null,
    nhsNumber: normaliseNhsNumber(form['nhs-number']),
    upn: normaliseUpn(form.upn),
    localCaseId: form['local-case-id'] || null,
  }
}

/** A name and date of birth, or one identifier: enough to look for the child. */
function checkEnoughToSearch(query: ChildQuery, ctx: Ctx) {
  if (ctx.issues.length) return
  const byName = (query.givenNames || query.familyName) && query.dateOfBirth
  if (!byName && !query.nhsNumber && !query.upn && !query.localCaseId) {
    ctx.addIssue({
      code: 'custom',
      message: 'Enter the child’s name and date of birth, or their NHS number, UPN or local case number',
      path: ['given-names'],
    })
  }
}

export const searchSchema = z.object(identityShape).transform((form, ctx) => {
  const query = checkIdentity(form, ctx, false)
  checkEnoughToSearch(query, ctx)
  return ctx.issues.length ? z.NEVER : query
})

const newChildSchema = z
  .object({
    ...identityShape,
    gender: z.preprocess(text, z.string()),
    ethnicity: z.preprocess(text, z.string()),
    'send-needs': field(2000, 'SEND or learning difficulty must be 2000 characters or fewer'),
    'confirm-different': z.preprocess((v) => (Array.isArray(v) ? v.includes('yes') : v === 'yes'), z.boolean()),
  })
  .transform((form, ctx) => {
    const query = checkIdentity(form, ctx, true)
    const gender = form.gender || null
    const ethnicity = form.ethnicity || null
    if (gender && !GENDERS.some((g) => g.value === gender))
      ctx.addIssue({ code: 'custom', message: 'Select the child’s gender from the list', path: ['gender'] })
    if (ethnicity && !ETHNIC_GROUPS.some((g) => g.value === ethnicity)) {
      ctx.addIssue({ code: 'custom', message: 'Select the child’s ethnic group from the list', path: ['ethnicity'] })
    }
    if (ctx.issues.length || !query.givenNames || !query.familyName || !query.dateOfBirth) return z.NEVER
    return {
      ...query,
      givenNames: query.givenNames,
      familyName: query.familyName,
      dateOfBirth: query.dateOfBirth,
      gender,
      ethnicity,
      sendNeeds: form['send-needs'] || null,
      confirmedDifferent: form['confirm-different'],
    }
  })

/** Puts field errors in the order the fields appear on the page (dates link to their day field). */
export function inFormOrder(errors: FieldError[], fields: string[]): FieldError[] {
  const rank = (e: FieldError) => {
    const i = fields.findIndex((f) => e.href === `#${f}` || e.href.startsWith(`#${f}-`))
    return i === -1 ? fields.length : i
  }
  return [...errors].sort((a, b) => rank(a) - rank(b))
}

export function parseSearch(body: unknown) {
  const parsed = parseForm(searchSchema, body)
  return parsed.ok ? parsed : { ok: false as const, errors: inFormOrder(parsed.errors, SEARCH_FIELDS) }
}

/**
 * The new child form. The hidden idempotency key is not something the person can put right,
 * so a missing or mangled one is a bad request rather than a field error.
 */
export function parseNewChild(body: unknown): { ok: true; value: NewChildCommand } | { ok: false; errors: FieldError[] } {
  const parsed = parseForm(newChildSchema, body)
  if (!parsed.ok) return { ok: false, errors: inFormOrder(parsed.errors, NEW_CHILD_FIELDS) }
  const key = trimmed((body as Record<string, unknown>)['idempotency-key'])
  if (!UUID.test(key)) throw new BadRequestError('The form was incomplete. Go back, reload the page and try again.')
  return { ok: true, value: { ...parsed.value, idempotencyKey: key.toLowerCase() } }
}

const kindField = z.preprocess(text, z.enum(ALL_LINK_KINDS, { error: 'Select how the children are linked' }))

const linkSearchSchema = z.object({ kind: kindField, ...identityShape }).transform((form, ctx) => {
  const query = checkIdentity(form, ctx, false)
  checkEnoughToSearch(query, ctx)
  return ctx.issues.length ? z.NEVER : { kind: form.kind, query }
})

/** Finding the other child for a link: how they are linked, and who they are. */
export function parseLinkSearch(body: unknown): { ok: true; value: LinkSearch } | { ok: false; errors: FieldError[] } {
  const parsed = parseForm(linkSearchSchema, body)
  return parsed.ok ? parsed : { ok: false, errors: inFormOrder(parsed.errors, LINK_FIELDS) }
}

/** The child chosen from the matches: an id from the list, or a field error. */
export function parseLinkedChildId(body: unknown): string | null {
  const id = trimmed((body as Record<string, unknown> | undefined)?.['linked-child-id'])
  return UUID.test(id) ? id.toLowerCase() : null
}
