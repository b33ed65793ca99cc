import { isIsoDate } from '../../platform/clocks/london-time.js'
import type { FieldError } from '../../platform/forms/forms.js'
import { isRagKey, isReviewKind, type RagKey, type RagKeyInput, RAG_KEYS, type ReviewKind } from './reviews.rules.js'

/** Reads and checks the reviews forms. Everything typed comes back as strings for re-display. */

type Body = Record<string, unknown>
const asBody = (raw: unknown): Body => (raw && typeof raw === 'object' ? (raw as Body) : {})
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const MAX_SHORT = 200
export const MAX_TEXT = 10_000

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

function required(errors: FieldError[], field: string, value: string, message: string, max = MAX_TEXT): string {
  const v = value.trim()
  if (!v) errors.push({ href: `#${field}`, text: message })
  else if (v.length > max) errors.push({ href: `#${field}`, text: `Must be ${max} characters or fewer` })
  return v
}

function optional(errors: FieldError[], field: string, value: string, max = MAX_TEXT): string | null {
  const v = value.trim()
  if (v.length > max) errors.push({ href: `#${field}`, text: `Must be ${max} characters or fewer` })
  return v || null
}

/** A GOV.UK date input: all blank is no date; anything else must be a real date. */
function dateInput(errors: FieldError[], field: string, body: Body, label: string): string | null {
  const [d = '', m = '', y = ''] = ['day', 'month', 'year'].map((p) => text(body[`${field}-${p}`]).trim())
  if (!d && !m && !y) return null
  const iso = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y) || !isIsoDate(iso)) {
    errors.push({ href: `#${field}-day`, text: `${label} must be a real date` })
    return null
  }
  return iso
}

export function version(raw: unknown): number | null {
  const v = text(asBody(raw).version)
  return /^\d{1,9}$/.test(v) ? Number(v) : null
}

export function readReviewForm(raw: unknown): Result<{ kind: ReviewKind; name: string; reviewDate: string | null }> {
  const body = asBody(raw)
  const errors: FieldError[] = []
  const kind = text(body.kind)
  if (!isReviewKind(kind)) errors.push({ href: '#kind', text: 'Select the kind of review' })
  const name = required(errors, 'name', text(body.name), 'Enter the name of the review', MAX_SHORT)
  const reviewDate = dateInput(errors, 'review-date', body, 'The date of the review')
  return errors.length ? { ok: false, errors } : { ok: true, value: { kind: kind as ReviewKind, name, reviewDate } }
}

export function readFindingForm(raw: unknown): Result<{ number: string; title: string; narrative: string | null }> {
  const body = asBody(raw)
  const errors: FieldError[] = []
  const number = required(errors, 'number', text(body.number), 'Enter the finding’s number', 20)
  const title = required(errors, 'title', text(body.title), 'Enter the finding’s title', MAX_SHORT)
  const narrative = optional(errors, 'narrative', text(body.narrative))
  return errors.length ? { ok: false, errors } : { ok: true, value: { number, title, narrative } }
}

export function readQuestionForm(raw: unknown): Result<{ code: string; text: string }> {
  const body = asBody(raw)
  const errors: FieldError[] = []
  const code = required(errors, 'code', text(body.code), 'Enter the code, for example 1a', 20)
  if (code && !/^[\p{L}\p{N}.()-]+$/u.test(code)) errors.push({ href: '#code', text: 'The code can only have letters, numbers, dots, brackets and hyphens' })
  const value = required(errors, 'text', text(body.text), 'Enter the question or recommendation')
  return errors.length ? { ok: false, errors } : { ok: true, value: { code, text: value } }
}

export function readResponseForm(raw: unknown, agencyIds: readonly string[], editing: boolean): Result<{ agencyId: string; response: string }> {
  const body = asBody(raw)
  const errors: FieldError[] = []
  const agencyId = text(body.agency).toLowerCase()
  if (!editing && (!UUID.test(agencyId) || !agencyIds.includes(agencyId))) errors.push({ href: '#agency', text: 'Select the agency' })
  const response = required(errors, 'response', text(body.response), 'Enter the agency’s response')
  return errors.length ? { ok: false, errors } : { ok: true, value: { agencyId, response } }
}

export type ActionInput = {
  text: string
  rag: RagKey | null
  constraints: string | null
  targetDate: string | null
  targetText: string | null
  evidence: string | null
  leadUserId: string | null
  leadText: string | null
  desiredOutcome: string | null
}

export function readActionForm(raw: unknown, peopleIds: readonly string[]): Result<ActionInput> {
  const body = asBody(raw)
  const errors: FieldError[] = []
  const actionText = required(errors, 'text', text(body.text), 'Enter the action')
  const ragValue = text(body.rag)
  if (ragValue && !isRagKey(ragValue)) errors.push({ href: '#rag', text: 'Select a status from the RAG key' })
  const constraints = optional(errors, 'constraints', text(body.constraints))
  const targetDate = dateInput(errors, 'target-date', body, 'The target date')
  const targetText = optional(errors, 'target-text', text(body['target-text']), MAX_SHORT)
  if (targetDate && targetText) errors.push({ href: '#target-text', text: 'Enter a target date or describe the target, not both' })
  const evidence = optional(errors, 'evidence', text(body.evidence))
  const lead = text(body.lead).toLowerCase()
  if (lead && !peopleIds.includes(lead)) errors.push({ href: '#lead', text: 'Select a person from the list' })
  const leadText = optional(errors, 'lead-text', text(body['lead-text']), MAX_SHORT)
  const desiredOutcome = optional(errors, 'desired-outcome', text(body['desired-outcome']))
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    value: { text: actionText, rag: isRagKey(ragValue) ? ragValue : null, constraints, targetDate, targetText, evidence, leadUserId: lead || null, leadText: lead ? null : leadText, desiredOutcome },
  }
}

export function readProgressForm(raw: unknown): Result<{ note: string; rag: RagKey | null }> {
  const body = asBody(raw)
  const errors: FieldError[] = []
  const note = required(errors, 'note', text(body.note), 'Enter the progress update')
  const rag = text(body.rag)
  if (!isRagKey(rag)) errors.push({ href: '#rag', text: 'Select the status now' })
  return errors.length ? { ok: false, errors } : { ok: true, value: { note, rag: rag as RagKey } }
}

export function readRagKeyForm(raw: unknown): RagKeyInput {
  const body = asBody(raw)
  return Object.fromEntries(
    RAG_KEYS.map((k) => {
      const id = k.toLowerCase()
      return [k, { label: text(body[`${id}-label`]), colour: text(body[`${id}-colour`]), meaning: text(body[`${id}-meaning`]) }]
    }),
  ) as RagKeyInput
}
