import type { ZodType } from 'zod'

/** A GOV.UK error: the message, and the field it links to from the error summary (`#id`; a date input's is `#id-day`). */
export type FieldError = { href: string; text: string }

/** What reading or checking a form gives: its typed value, or the errors to show beside the fields. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

export const fieldError = (id: string, text: string): FieldError => ({ href: `#${id}`, text })

/** The value if there are no errors, otherwise the errors (in the order they were found). */
export const resultOf = <T>(errors: readonly FieldError[], value: T): FormResult<T> =>
  errors.length ? { ok: false, errors: [...errors] } : { ok: true, value }

/** Shown when a form arrives without the hidden fields its page put there (a stale or altered page). */
export const INCOMPLETE_FORM = 'The form was incomplete. Go back, reload the page and try again.'

/**
 * Reading a body: form fields arrive as strings, arrays of strings (repeated names, checkboxes) or
 * not at all. These never throw and never return anything but strings.
 */
export const text = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : ''
export const field = (body: unknown, name: string): string =>
  text(body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined)
/** Every value of a repeated field or a group of checkboxes. */
export function fields(body: unknown, name: string): string[] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
/** A whole number the page put in a hidden field (a record's version), or null. */
export function wholeNumber(value: unknown): number | null {
  const s = text(value).trim()
  return /^\d{1,9}$/.test(s) ? Number(s) : null
}

/**
 * A text answer: trimmed, required or not, at most `max` characters (the GOV.UK character count's
 * limit), with the design system's messages: "Enter …", "… must be N characters or fewer".
 */
export function readText(
  body: unknown,
  id: string,
  rule: { label: string; required?: boolean | string; max: number; name?: string },
): { value: string; error: FieldError | null } {
  const raw = field(body, rule.name ?? id)
  const value = raw.trim()
  if (!value && rule.required)
    return { value, error: fieldError(id, typeof rule.required === 'string' ? rule.required : `Enter ${rule.label.toLowerCase()}`) }
  if (raw.length > rule.max) return { value, error: fieldError(id, `${rule.label} must be ${rule.max} characters or fewer`) }
  return { value, error: null }
}

/**
 * Parses a form body with its schema. On failure returns GOV.UK-style field errors (one per
 * field, in form order) that link to the field, for the error summary and the field itself.
 */
export function parseForm<T>(schema: ZodType<T>, body: unknown): FormResult<T> {
  const result = schema.safeParse(body ?? {})
  if (result.success) return { ok: true, value: result.data }
  const seen = new Set<string>()
  const errors: FieldError[] = []
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? 'form')
    if (seen.has(name)) continue
    seen.add(name)
    errors.push({ href: `#${name}`, text: issue.message })
  }
  return { ok: false, errors }
}

/** Form bodies arrive as strings or arrays of strings; this keeps what the user typed, for re-display. */
export function formValues(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === '_csrf') continue
      if (typeof value === 'string') values[key] = value
      else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string')
    }
  }
  return values
}
