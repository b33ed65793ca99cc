import type { ZodType } from 'zod'

export type FieldError = { href: string; text: string }

/**
 * Parses a form body with its schema. On failure returns GOV.UK-style field errors (one per
 * field, in form order) that link to the field, for the error summary and the field itself.
 */
export function parseForm<T>(
  schema: ZodType<T>,
  body: unknown,
): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(body ?? {})
  if (result.success) return { ok: true, value: result.data }
  const seen = new Set<string>()
  const errors: FieldError[] = []
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form')
    if (seen.has(field)) continue
    seen.add(field)
    errors.push({ href: `#${field}`, text: issue.message })
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
